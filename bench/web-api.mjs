// Runs bench/web-api.ts: bundles it with esbuild (as scripts/build.mjs does for Node) and runs it.
//   node bench/web-api.mjs [iterations]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'signet-bench-build-'));
const out = path.join(dir, 'web-api.cjs');
await build({ entryPoints: [path.join(here, 'web-api.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', external: ['pkcs11js', 'signet-process-hardening', 'electron'] });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
process.exit(r.status ?? 1);
