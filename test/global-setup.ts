import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Bundle the Node processes before any test starts them (esbuild: well under a second). */
export default function setup(): void {
  const root = path.resolve(__dirname, '..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--node'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('build of the Node bundles failed');
}
