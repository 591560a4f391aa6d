/** Chromium for the web E2E tests (Debian's build, the project's standard flags) and an SDK bundle. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS } from '../support/browser';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Bundles sdk/index.ts exactly as scripts/build.mjs does (browser ESM) into a temp dir. */
export async function buildSdk(): Promise<{ path: string; cleanup(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-sdk-'));
  const out = path.join(dir, 'signet.mjs');
  await build({ entryPoints: [path.resolve(__dirname, '../../../sdk/index.ts')], outfile: out, bundle: true, platform: 'browser', target: 'es2022', format: 'esm', logLevel: 'warning' });
  return { path: out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
