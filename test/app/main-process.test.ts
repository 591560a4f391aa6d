/**
 * Main-process smoke test on the repository layout: the built dist/app/main.js (what `npm start`
 * runs) under the fake `electron` (./fake-electron; test/app/README.md says what it covers).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repositoryLayout, ROOT } from './support/launch';
import { mainProcessSmoke } from './support/scenarios';
import { ensureRendererBuilt } from '../e2e/support/build';

mainProcessSmoke(async () => {
  await ensureRendererBuilt();
  for (const f of ['dist/app/main.js', 'dist/app/preload.js', 'dist/host.js', 'dist/cli.js']) {
    if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run npm run build`);
  }
  return repositoryLayout();
});
