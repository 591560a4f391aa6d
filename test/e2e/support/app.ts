/** One harness + browser page for an E2E file, on a fresh rig. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ModuleSpec } from '../../../native/types';
import { startHarness, type HarnessHandle, type HarnessOptions } from '../harness/server';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { ensureRendererBuilt } from './build';

export interface AppUnderTest {
  harness: HarnessHandle;
  browser: LaunchedBrowser;
  page: Page;
  dir: string;
  /** Page errors and console errors seen (a test asserts none). */
  errors: string[];
  close(): Promise<void>;
}

export async function openApp(modules: ModuleSpec[], extra: Partial<HarnessOptions> = {}): Promise<AppUnderTest> {
  await ensureRendererBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-e2e-'));
  const harness = await startHarness({ modules, dataDir: path.join(dir, 'data'), apiPort: null, callTimeoutMs: 15_000, slotPollIntervalMs: 150, ...extra });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(harness.url);
  return {
    harness,
    browser,
    page,
    dir,
    errors,
    async close() {
      await browser.close().catch(() => undefined);
      await harness.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Keyboard only: press Tab until `predicate` holds for the focused element (fails after `max`). */
export async function tabUntil(page: Page, describe: string, predicate: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
     
    const ok = await page.evaluate(`(() => { const el = document.activeElement; return Boolean(el && (${predicate})); })()`);
    if (ok) return;
  }
  throw new Error(`Tab never reached ${describe}`);
}
