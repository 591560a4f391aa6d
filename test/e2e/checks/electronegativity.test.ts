/**
 * Electronegativity (Doyensec) over the Electron app's sources and the renderer page: no HIGH or
 * MEDIUM finding. A deliberately insecure window is scanned too, to prove the check can fail.
 * `-e` pins the Electron version so the tool does not try to look releases up online.
 *
 * Two checks are excluded, after review — both are manual-review flags raised by any use of the API:
 * - PRELOAD_JS_CHECK flags *every* window with a preload. Reviewed: electron/app/preload.ts exposes
 *   one frozen object whose `call` accepts only the public method names of electron/api.ts, `on`
 *   only its event names, and `filesFromDrop` only paths of real dropped File objects; main checks
 *   the sender frame and validates every argument (ipc/register.ts, ipc/dispatch.ts).
 * - OPEN_EXTERNAL_JS_CHECK flags every shell.openExternal. Reviewed: the only call
 *   (tls/portal-window.ts) passes links a portal opens in a new window, and only https: URLs.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const require = createRequire(__filename);
const bin = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const electronVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const tmp = mkdtempSync(path.join(tmpdir(), 'signet-eneg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Finding {
  issue: string;
  severity: string;
  file: string;
  location: string;
}

// Electronegativity's -x takes the check's class name.
const REVIEWED = ['PreloadJSCheck', 'OpenExternalJSCheck'];

async function scan(dir: string, exclude: string[] = []): Promise<Finding[]> {
  const out = path.join(tmp, `${path.basename(dir)}.csv`);
  await promisify(execFile)(process.execPath, [bin, '-i', dir, '-o', out, '-r', '-v', 'false', '-e', electronVersion, ...(exclude.length ? ['-x', exclude.join(',')] : [])], { timeout: 240_000, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  return readFileSync(out, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
      return { issue: cells[0]!, severity: cells[1]!, file: cells[3]!, location: cells[4]! };
    });
}

describe('Electronegativity', () => {
  it('finds no high or medium issue in electron/app and the renderer page', async () => {
    const dir = path.join(tmp, 'signet');
    cpSync(path.join(root, 'electron/app'), path.join(dir, 'electron/app'), { recursive: true });
    cpSync(path.join(root, 'renderer'), path.join(dir, 'renderer'), { recursive: true });
    const findings = await scan(dir, REVIEWED);
    const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  }, 300_000);

  it('does report an insecure window (the check can fail)', async () => {
    const dir = path.join(tmp, 'insecure');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'main.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } }).loadURL('https://example.com');\n",
    );
    const findings = await scan(dir, REVIEWED);
    expect(findings.filter((f) => f.severity === 'HIGH').map((f) => f.issue)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
  }, 300_000);
});
