/**
 * Issue 13 item 7: `signet sign` reads each input once. The CLI has no confirmation step, so no
 * separate SHA-256 pass; the one pass computes the digest the signature needs. Measured from the
 * outside: the kernel's count of bytes the CLI process read (/proc/PID/io rchar), sampled while
 * it runs; the signature is checked with `openssl cms -verify`.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { signetEnv, startCli } from './run-cli';

const SIZE = 64 * 1024 * 1024;
let rig: Rig;
let dir: string;

beforeAll(async () => {
  rig = await provisionRig({ tokens: [{ label: 'Hash Once', pin: '123456', keys: [{ name: 'h-sign', keyType: 'EC', purpose: 'signing' }] }] });
  dir = mkdtempSync(path.join(tmpdir(), 'signet-hash-once-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await rig?.cleanup();
});

function bigFile(name: string): string {
  const p = path.join(dir, name);
  const fd = openSync(p, 'w');
  const buf = randomFillSync(Buffer.allocUnsafe(8 * 1024 * 1024));
  for (let done = 0; done < SIZE; done += buf.length) writeSync(fd, buf);
  closeSync(fd);
  return p;
}

const rchar = (pid: number): number | undefined => {
  try {
    return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);
  } catch {
    return undefined;
  }
};

describe('signet sign reads each file once', () => {
  it('CAdES of a 64 MiB file: the CLI reads about 64 MiB, not twice that; openssl cms -verify accepts the signature', async () => {
    const file = bigFile('data.bin');
    const env = { ...signetEnv(path.join(dir, 'home')), ...rig.env };
    const run = startCli(['sign', file, '--json', '--format', 'cades', '--no-tsa', '--module', rig.module, '--key', rig.key('h-sign').keyUri, '--pin-stdin', '--out-dir', dir], {
      env,
      input: '123456\n',
    });
    const pid = run.child.pid!;
    let maxRead = 0;
    const timer = setInterval(() => (maxRead = Math.max(maxRead, rchar(pid) ?? 0)), 5);
    const r = await run.done;
    clearInterval(timer);
    expect(r.code, r.stderr).toBe(0);
    const out = path.join(dir, 'data.bin.p7s');
    expect(existsSync(out)).toBe(true);
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', out, '-content', file, '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
    // What else the process reads (its own bundles, config) is a few MB; a second pass would add 64 MiB.
    expect(maxRead).toBeGreaterThanOrEqual(SIZE);
    expect(maxRead).toBeLessThan(SIZE * 1.4);
  });
});
