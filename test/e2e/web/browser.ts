/** Chromium for the web E2E tests (Debian's build, the project's standard flags) and an SDK bundle. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Bundles sdk/index.ts exactly as scripts/build.mjs does (browser ESM) into a temp dir. */
export async function buildSdk(): Promise<{ path: string; cleanup(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-sdk-'));
  const out = path.join(dir, 'signet.mjs');
  await build({ entryPoints: [path.resolve(__dirname, '../../../sdk/index.ts')], outfile: out, bundle: true, platform: 'browser', target: 'es2022', format: 'esm', logLevel: 'warning' });
  return { path: out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
