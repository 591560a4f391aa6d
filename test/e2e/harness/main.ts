/**
 * `npm run harness`: the whole app in a browser, for manual trials and tests.
 *
 *   node dist/harness.js [--port N] [--api-port N | --no-api] [--files-dir DIR] [--data-dir DIR]
 *                        [--module PATH]... [--softhsm-conf FILE] [--demo]
 *
 * Tokens: by default the SoftHSM2 demo token (`signet demo init`, run first if needed); with
 * --module / --softhsm-conf, those modules instead (e.g. a test rig's SOFTHSM2_CONF).
 * Prints the URLs it serves and the control token for /harness/control/{next-pick,open-files}.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModuleSpec } from '../../../native/types';
import { DEFAULT_API_PORT } from '../../../electron/web-api/protocol';
import { startHarness } from './server';

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

/** The demo token from A's `signet demo init` (creates or refreshes it; prints {module, softhsmConf, token, pin}). */
function demoModule(): ModuleSpec {
  const cli = path.join(__dirname, 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'demo', 'init', '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`signet demo init failed: ${r.stderr || r.stdout}`);
  const demo = JSON.parse(r.stdout) as { module: string; softhsmConf: string; token: string; pin: string };
  console.log(`Demo token: ${decodeURIComponent(/token=([^;]*)/.exec(demo.token)?.[1] ?? demo.token)}, PIN ${demo.pin}`);
  return { path: demo.module, source: 'demo', env: { SOFTHSM2_CONF: demo.softhsmConf } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5180' },
      'api-port': { type: 'string' },
      'no-api': { type: 'boolean', default: false },
      'files-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      module: { type: 'string', multiple: true },
      'softhsm-conf': { type: 'string' },
      'tsa-url': { type: 'string' },
      'trust-anchor': { type: 'string', multiple: true },
      'allow-http-localhost': { type: 'boolean', default: false },
    },
  });
  let modules: ModuleSpec[];
  if (values['softhsm-conf']) {
    modules = [{ path: values.module?.[0] ?? SOFTHSM, source: 'argument', env: { SOFTHSM2_CONF: path.resolve(values['softhsm-conf']) } }];
  } else if (values.module?.length) {
    modules = values.module.map((p) => ({ path: path.resolve(p), source: 'argument' as const }));
  } else {
    modules = [demoModule()];
  }
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : mkdtempSync(path.join(tmpdir(), 'signet-harness-'));
  const h = await startHarness({
    port: Number(values.port),
    // The web API's usual port by default, so the SDK demo (npm run demo:web) finds it.
    apiPort: values['no-api'] ? null : Number(values['api-port'] ?? DEFAULT_API_PORT),
    modules,
    dataDir,
    ...(values['files-dir'] ? { filesDir: path.resolve(values['files-dir']) } : {}),
    ...(values['trust-anchor']?.length ? { trustAnchorFiles: values['trust-anchor'].map((p) => path.resolve(p)) } : {}),
    settings: {
      ...(values['tsa-url'] ? { tsaUrl: values['tsa-url'] } : {}),
      ...(values['allow-http-localhost'] ? { allowHttpLocalhost: true } : {}),
    },
    echoLogs: false,
  });
  console.log(`Signet harness UI:  ${h.url}`);
  if (h.apiUrl) console.log(`Signet web API:     ${h.apiUrl}`);
  console.log(`Data dir:           ${h.dataDir}`);
  console.log(`Control token:      ${h.controlToken}  (header X-Harness-Token for POST /harness/control/next-pick {"paths":[...]})`);
  const stop = (): void => {
    void h.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
