// Builds every runnable part of Signet into dist/.
// Node-side code (token host, CLI, Electron main/preload, harness) is bundled by esbuild into single
// CommonJS files so each process starts fast and loads only what it needs; pkcs11js (native) and
// electron stay external. The renderer and the SDK are built by Vite / esbuild for the browser.
//
//   node scripts/build.mjs            everything
//   node scripts/build.mjs --node     only the Node bundles (what the tests' global setup needs)
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nodeOnly = process.argv.includes('--node');

/** Other Node bundles: [entry, outfile, extra esbuild options]. Entries not written yet are skipped. */
const nodeBundles = [
  ['electron/app/main.ts', 'dist/app/main.js', {}],
  ['electron/app/preload.ts', 'dist/app/preload.js', {}],
  ['test/e2e/harness/main.ts', 'dist/harness.js', {}],
  ['demo/web/server.ts', 'dist/demo-web.js', {}],
  // The web API's worker thread (electron/web-api/worker/host.ts starts it).
  ['electron/web-api/worker/entry.ts', 'dist/web-api-worker.js', {}],
];

/** Browser bundles (ESM). */
const browserBundles = [['sdk/index.ts', 'dist/sdk/signet.mjs', {}]];

/**
 * The CLI proper: ESM with code splitting, so each command loads only its own code (`signet
 * tokens` does not parse the PDF and CMS libraries: 1.9 MB of JS, ~40 ms of start-up). The CJS
 * bootstrap dist/cli.js forks the token host first, then import()s dist/cli-app/app.mjs.
 */
const cliApp = {
  entryPoints: ['electron/cli/app.ts'],
  outdir: 'dist/cli-app',
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  // Bundled CommonJS dependencies still call require(), and shared code may use __dirname.
  banner: {
    js: [
      "import { createRequire as __signetCreateRequire } from 'node:module';",
      "import { fileURLToPath as __signetFileURLToPath } from 'node:url';",
      "import { dirname as __signetDirname } from 'node:path';",
      'const require = __signetCreateRequire(import.meta.url);',
      'const __filename = __signetFileURLToPath(import.meta.url);',
      'const __dirname = __signetDirname(__filename);',
    ].join('\n'),
  },
};

export const NODE_BUILD_DEFAULTS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['pkcs11js', 'signet-process-hardening', 'electron', 'playwright-core', 'vite', 'fsevents'],
  logLevel: 'warning',
};

/**
 * The visible-signature font (DejaVu Sans, regular and bold, with its licence) into
 * `outRoot`/fonts, where the bundles look for it (electron/core/formats/pades/stamp-fonts.ts).
 */
export function copyStampFonts(outRoot = path.join(root, 'dist')) {
  const src = path.join(root, 'node_modules/dejavu-fonts-ttf');
  const dest = path.join(outRoot, 'fonts');
  mkdirSync(dest, { recursive: true });
  for (const f of ['ttf/DejaVuSans.ttf', 'ttf/DejaVuSans-Bold.ttf', 'LICENSE']) copyFileSync(path.join(src, f), path.join(dest, path.basename(f) === 'LICENSE' ? 'DejaVu-LICENSE' : path.basename(f)));
}

/** The token host and the CLI (bootstrap + code-split app) into `outRoot` (default dist/). */
export async function buildCli(outRoot = path.join(root, 'dist')) {
  copyStampFonts(outRoot);
  await Promise.all([
    build({ absWorkingDir: root, ...NODE_BUILD_DEFAULTS, entryPoints: ['native/host/main.ts'], outfile: path.join(outRoot, 'host.js') }),
    build({ absWorkingDir: root, ...NODE_BUILD_DEFAULTS, entryPoints: ['electron/cli/main.ts'], outfile: path.join(outRoot, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
    build({ absWorkingDir: root, ...NODE_BUILD_DEFAULTS, ...cliApp, outdir: path.join(outRoot, 'cli-app') }),
  ]);
}

async function buildNode() {
  await buildCli();
  await Promise.all(
    nodeBundles
      .filter(([entry]) => existsSync(path.join(root, entry)))
      .map(([entry, outfile, extra]) =>
        build({
          absWorkingDir: root,
          entryPoints: [entry],
          outfile,
          ...NODE_BUILD_DEFAULTS,
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

// Run only when executed (bench/ imports buildCli to bundle into its own temp dir).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildNode();
  if (!nodeOnly) await buildBrowser();
}
