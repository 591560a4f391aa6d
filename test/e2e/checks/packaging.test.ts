/**
 * Packaging check (issue 4 §6): electron-builder packs `--linux dir` with build/electron-builder.yml
 * and a stand-in Electron distribution (the real binary cannot be downloaded here). The package
 * must hold the app bundles, the renderer and the token host, and pkcs11js's native module must be
 * unpacked from the asar so the token host can load it; the browser harness must not ship.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, ROOT } from '../support/build';

const tmp = mkdtempSync(path.join(tmpdir(), 'signet-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder --linux dir', () => {
  let unpacked: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    for (const f of ['dist/app/main.js', 'dist/app/preload.js', 'dist/host.js']) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    const electronDist = path.join(tmp, 'electron-dist');
    mkdirSync(electronDist, { recursive: true });
    writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in Electron binary"\n');
    chmodSync(path.join(electronDist, 'electron'), 0o755);
    const out = path.join(tmp, 'out');
    await promisify(execFile)(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--config',
        'build/electron-builder.yml',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${out}`,
        '--publish',
        'never',
      ],
      { cwd: ROOT, timeout: 240_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
    );
    unpacked = path.join(out, 'linux-unpacked');
  }, 300_000);

  it('names the executable and packs the app into an asar', () => {
    expect(existsSync(path.join(unpacked, 'signet'))).toBe(true);
    expect(readFileSync(path.join(unpacked, 'signet'), 'utf8')).toContain('stand-in');
    expect(existsSync(path.join(unpacked, 'resources/app.asar'))).toBe(true);
  });

  it('holds main, preload, renderer, token host and CLI, without the test harness or source maps', () => {
    const files = listPackage(path.join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    for (const f of ['/package.json', '/dist/app/main.js', '/dist/app/preload.js', '/dist/renderer/index.html', '/dist/host.js', '/dist/web-api-worker.js', '/dist/cli.js', '/dist/cli-app/app.mjs', '/dist/fonts/DejaVuSans.ttf', '/dist/fonts/DejaVuSans-Bold.ttf']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith('/dist/renderer/assets/') && f.endsWith('.js'))).toBe(true);
    expect(files).not.toContain('/dist/harness.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.some((f) => f.startsWith('/renderer/') || f.startsWith('/electron/') || f.startsWith('/test/'))).toBe(false);
  });

  it('unpacks pkcs11js’s native module; the token host and pkcs11js’s JavaScript stay in the asar, where require() finds them', () => {
    const native = path.join(unpacked, 'resources/app.asar.unpacked/node_modules/pkcs11js/build/Release/pkcs11.node');
    expect(existsSync(native)).toBe(true);
    expect(readFileSync(native).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    // A host.js outside the asar would resolve require('pkcs11js') to a folder holding only the .node file.
    expect(existsSync(path.join(unpacked, 'resources/app.asar.unpacked/dist/host.js'))).toBe(false);
    const files = listPackage(path.join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    expect(files).toContain('/dist/host.js');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/pkcs11js/package.json'), 'utf8')) as { main?: string };
    expect(files).toContain(`/node_modules/pkcs11js/${(pkg.main ?? 'index.js').replace(/^\.\//, '')}`);
  });
});
