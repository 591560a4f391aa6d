// `npm start` on a workstation: the Electron binary is not downloaded at install time
// (package.json "allowScripts": {"electron": false} keeps npm from running its postinstall, and CI
// cannot reach the download host). Fetch it on first start instead, using Electron's own installer.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sandboxFacts, sandboxVerdict } from './linux-sandbox.mjs';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
if (!existsSync(path.join(electronDir, 'path.txt'))) {
  console.log('Signet: downloading the Electron runtime (first start only)…');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (r.status !== 0) {
    console.error('Signet: could not download Electron. The CLI works without it: npx signet --help');
    process.exit(r.status ?? 1);
  }
}

// Linux: Electron aborts before Signet's code runs when Chromium's sandbox cannot start (Ubuntu
// 23.10+ AppArmor). Say exactly what to do instead (./linux-sandbox.mjs).
const verdict = sandboxVerdict(sandboxFacts(path.join(electronDir, 'dist')));
if (!verdict.ok) {
  console.error(verdict.message);
  process.exit(1);
}
