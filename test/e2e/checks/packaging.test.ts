/**
 * Packaging check (issue 4 §6, issue 9): electron-builder packs `--linux dir` with
 * build/electron-builder.yml and a stand-in Electron distribution (the real binary cannot be
 * downloaded here; test/app/support/pack.ts). The package must hold the app bundles, the renderer
 * and the token host; pkcs11js's native module must be unpacked from the asar so the token host
 * can load it; the browser harness must not ship; the executable must not be called `signet` (the
 * CLI's name); the Electron fuses must be flipped in the packaged executable (read back with
 * @electron/fuses); and a package for another CPU than the compiled .node must be refused.
 * The packaged app itself is started by test/app/main-process-packaged.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINUX_EXECUTABLE, packLinuxDir } from '../../app/support/pack';
import { ensureRendererBuilt, ROOT } from '../support/build';

/** @electron/fuses' FuseState (not exported from its index): the wire holds ASCII '0' / '1'. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;

const tmp = mkdtempSync(path.join(tmpdir(), 'signet-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder --linux dir', () => {
  let unpacked: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    for (const f of ['dist/app/main.js', 'dist/app/preload.js', 'dist/host.js']) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    unpacked = (await packLinuxDir(path.join(tmp, 'x64'))).unpacked;
  }, 300_000);

  it('names the executable signet-desktop (not the CLI’s `signet`) and packs the app into an asar', () => {
    expect(existsSync(path.join(unpacked, LINUX_EXECUTABLE))).toBe(true);
    expect(existsSync(path.join(unpacked, 'signet'))).toBe(false);
    expect(readFileSync(path.join(unpacked, LINUX_EXECUTABLE), 'utf8')).toContain('stand-in');
    expect(existsSync(path.join(unpacked, 'resources/app.asar'))).toBe(true);
  });

  it('flips the Electron fuses in the packaged executable: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; the app only from the asar', async () => {
    const wire = await getCurrentFuseWire(path.join(unpacked, LINUX_EXECUTABLE));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    // Left at Electron's defaults (docs/packaging.md says why).
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.DISABLE);
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

  it('unpacks signet-process-hardening’s native module too (main and every token host load it first, issue 8); its JavaScript stays in the asar', () => {
    const native = path.join(unpacked, 'resources/app.asar.unpacked/node_modules/signet-process-hardening/build/Release/process_hardening.node');
    expect(existsSync(native)).toBe(true);
    expect(readFileSync(native).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    const files = listPackage(path.join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    expect(files).toContain('/node_modules/signet-process-hardening/index.js');
  });
});

describe('a package for another CPU than the compiled pkcs11js binary', () => {
  it('is refused before packing (npmRebuild is off: it would ship a .node that cannot load)', async () => {
    const other = process.arch === 'arm64' ? '--x64' : '--arm64';
    const err = await packLinuxDir(path.join(tmp, 'other'), [other]).then(
      () => null,
      (e: unknown) => e as { stderr?: string; stdout?: string; message: string },
    );
    expect(err).not.toBeNull();
    const text = `${err!.message}\n${err!.stderr ?? ''}\n${err!.stdout ?? ''}`;
    expect(text).toMatch(/pkcs11js's native module .* is built for linux-x64, but this package is for linux-arm64|is built for linux-arm64, but this package is for linux-x64/);
    expect(existsSync(path.join(tmp, 'other', 'out', process.arch === 'arm64' ? 'linux-unpacked' : 'linux-arm64-unpacked', 'resources', 'app.asar'))).toBe(false);
  }, 300_000);
});
