/**
 * Main-process smoke test on the packaged layout: electron-builder packs `--linux dir` with
 * build/electron-builder.yml (stand-in Electron, ./support/pack.ts), and the same scenarios run
 * against dist/app/main.js inside app.asar — the token host loaded from the asar, pkcs11js's
 * .node from app.asar.unpacked, package.json as electron-builder wrote it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ensureRendererBuilt } from '../e2e/support/build';
import { packagedLayout, packLinuxDir } from './support/pack';
import { mainProcessSmoke } from './support/scenarios';

const tmp = mkdtempSync(path.join(tmpdir(), 'signet-smoke-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

mainProcessSmoke(async () => {
  await ensureRendererBuilt();
  const { unpacked } = await packLinuxDir(tmp);
  return packagedLayout(unpacked);
});
