// Builds every runnable part of Signet into dist/.
// Node-side code (token host, CLI, Electron main/preload, harness) is bundled by esbuild into single
// CommonJS files so each process starts fast and loads only what it needs; pkcs11js (native) and
// electron stay external. The renderer and the SDK are built by Vite / esbuild for the browser.
//
//   node scripts/build.mjs            everything
//   node scripts/build.mjs --node     only the Node bundles (what the tests' global setup needs)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nodeOnly = process.argv.includes('--node');

/** Node bundles: [entry, outfile, extra esbuild options]. Entries not written yet are skipped. */
const nodeBundles = [
  ['native/host/main.ts', 'dist/host.js', {}],
  ['electron/cli/main.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } }],
  ['electron/cli/app.ts', 'dist/cli-app.js', {}],
  ['electron/app/main.ts', 'dist/app/main.js', {}],
  ['electron/app/preload.ts', 'dist/app/preload.js', {}],
  ['test/e2e/harness/main.ts', 'dist/harness.js', {}],
  ['demo/web/server.ts', 'dist/demo-web.js', {}],
];

/** Browser bundles (ESM). */
const browserBundles = [['sdk/index.ts', 'dist/sdk/signet.mjs', {}]];

async function buildNode() {
  await Promise.all(
    nodeBundles
      .filter(([entry]) => existsSync(path.join(root, entry)))
      .map(([entry, outfile, extra]) =>
        build({
          absWorkingDir: root,
          entryPoints: [entry],
          outfile,
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          sourcemap: 'linked',
          external: ['pkcs11js', 'electron', 'playwright-core', 'vite', 'fsevents'],
          logLevel: 'warning',
          ...extra,
        }),
      ),
  );
}

async function buildBrowser() {
  await Promise.all(
    browserBundles
      .filter(([entry]) => existsSync(path.join(root, entry)))
      .map(([entry, outfile, extra]) =>
        build({
          absWorkingDir: root,
          entryPoints: [entry],
          outfile,
          bundle: true,
          platform: 'browser',
          target: 'es2022',
          format: 'esm',
          sourcemap: 'linked',
          logLevel: 'warning',
          ...extra,
        }),
      ),
  );
  if (existsSync(path.join(root, 'renderer/index.html'))) {
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('renderer build failed');
  }
}

await buildNode();
if (!nodeOnly) await buildBrowser();
