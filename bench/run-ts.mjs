// Runs a bench/*.ts file: bundles it with esbuild (as scripts/build.mjs does for Node) and runs it
// with the remaining arguments. The bundle stays until the run ends (benchmarks re-spawn it as
// their measured child process).
//   node bench/run-ts.mjs bench/hash.ts [args]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bench/run-ts.mjs bench/NAME.ts [args]');
  process.exit(2);
}
const dir = mkdtempSync(path.join(tmpdir(), 'signet-bench-build-'));
const out = path.join(dir, `${path.basename(entry, '.ts')}.cjs`);
await build({ entryPoints: [path.resolve(entry)], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', external: ['pkcs11js', 'signet-process-hardening', 'electron'] });
const r = spawnSync(process.execPath, [out, ...args], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
process.exit(r.status ?? 1);
