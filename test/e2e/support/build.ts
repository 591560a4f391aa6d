/**
 * The E2E and packaging checks need the renderer build (dist/renderer); the global setup builds
 * only the Node bundles. `npm test` runs the full build first; when a test file runs alone, build
 * the renderer once (a lock directory keeps parallel test files from building it twice).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const RENDERER_DIR = path.join(ROOT, 'dist/renderer');

export async function ensureRendererBuilt(): Promise<string> {
  const index = path.join(RENDERER_DIR, 'index.html');
  if (existsSync(index)) return RENDERER_DIR;
  const lock = path.join(ROOT, 'dist', '.renderer-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let i = 0; i < 600; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(index)) return RENDERER_DIR;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!existsSync(index)) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('renderer build failed');
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return RENDERER_DIR;
}
