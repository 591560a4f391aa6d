import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../electron/app/logs/logger';
import { mainStrings } from '../../../electron/app/main-strings';
import { filesFromArgv, filesFromSecondInstance } from '../../../electron/app/startup/argv';
import { StartupError, StartupGuard, type GuardHost } from '../../../electron/app/startup/guard';
import { LaunchInbox } from '../../../electron/app/startup/launch-inbox';
import { appImageProfile, noSandboxInstructions, startedWithoutSandbox } from '../../../electron/app/startup/sandbox';

/** A GuardHost that records what the guard does, in order. */
function recordingHost(ready: boolean) {
  const calls: string[] = [];
  let listener: ((e: unknown, origin: 'exception' | 'rejection') => void) | null = null;
  let makeReady: () => void = () => undefined;
  const readyP = new Promise<void>((r) => (makeReady = r));
  let isReady = ready;
  const host: GuardHost = {
    isReady: () => isReady,
    whenReady: () => (isReady ? Promise.resolve() : readyP),
    showErrorBox: (title, content) => calls.push(`box ${title}: ${content}`),
    showMessage: (title, content) => calls.push(`message ${title}: ${content}`),
    exit: (code) => calls.push(`exit ${code}`),
    onUncaught: (l) => (listener = l),
    print: () => undefined,
  };
  return {
    host,
    calls,
    uncaught: (e: unknown) => listener!(e, 'exception'),
    ready: () => {
      isReady = true;
      makeReady();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const en = () => mainStrings('en', 'en-US');

describe('start-up guard', () => {
  it('a failed start-up: cleanup, then (after ready) one error box with the reason and the log file, then exit 1', async () => {
    const h = recordingHost(false);
    const guard = new StartupGuard(h.host, en, '/logs');
    const logger = createMemoryLogger();
    guard.setLogger(logger, '/logs/signet.log');
    guard.setCleanup(async () => void h.calls.push('cleanup'));
    guard.run(async () => {
      throw new StartupError({ kind: 'policy-invalid', file: '/etc/signet/policy.json', message: 'Unexpected end of JSON input' });
    });
    await settle();
    expect(h.calls).toEqual(['cleanup']); // the box waits for 'ready'
    h.ready();
    await settle();
    expect(h.calls).toHaveLength(3);
    expect(h.calls[1]).toMatch(/^box Signet cannot start: The administrator’s policy file is invalid/);
    expect(h.calls[1]).toContain('/etc/signet/policy.json\nUnexpected end of JSON input');
    expect(h.calls[1]).toContain('Log: /logs/signet.log');
    expect(h.calls[2]).toBe('exit 1');
    expect(guard.failed).toBe(true);
    expect(logger.records.map((r) => r.msg)).toEqual(['start-up failed']);
  });

  it('without a log: names the log folder; a synchronous throw counts too; only the first failure is reported', async () => {
    const h = recordingHost(true);
    const guard = new StartupGuard(h.host, en, '/state/signet/logs');
    guard.run(() => {
      throw new Error('boom');
    });
    h.uncaught(new Error('second'));
    await settle();
    expect(h.calls).toEqual([`box Signet cannot start: Signet could not start because of an unexpected problem:\nboom\n\nNo log could be written (log folder: /state/signet/logs).`, 'exit 1']);
  });

  it('an uncaught error before start-up finished fails it; after, errors are logged and shown once', async () => {
    const h = recordingHost(true);
    const guard = new StartupGuard(h.host, en, '/logs');
    let finish: () => void = () => undefined;
    guard.run(() => new Promise<void>((r) => (finish = r)));
    const logger = createMemoryLogger();
    guard.setLogger(logger, '/logs/signet.log');
    finish();
    await settle();
    h.uncaught(new Error('first'));
    h.uncaught(new Error('second'));
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatch(/^message Signet ran into a problem: Something went wrong inside Signet:\nfirst/);
    expect(h.calls[0]).toContain('Log: /logs/signet.log');
    expect(logger.records.filter((r) => r.msg === 'unexpected error in main').map((r) => r.message)).toEqual(['first', 'second']);

    const h2 = recordingHost(true);
    new StartupGuard(h2.host, en, '/logs').run(() => new Promise<void>(() => undefined));
    h2.uncaught(new Error('while starting'));
    await settle();
    expect(h2.calls.at(-1)).toBe('exit 1');
    expect(h2.calls[0]).toContain('while starting');
  });
});

describe('files from outside', () => {
  it('takes files, not switches or the app, from argv (packaged and from source)', () => {
    expect(filesFromArgv(['/opt/Signet/signet-desktop', 'a.pdf', '--no-sandbox', '/tmp/b.pdf'], '/home/u', true)).toEqual(['/home/u/a.pdf', '/tmp/b.pdf']);
    expect(filesFromArgv(['/x/electron', '.', 'a.pdf', '--original-process-start-time=1'], '/w', false)).toEqual(['/w/a.pdf']);
  });

  it('prefers the second instance’s additionalData (argv may be reordered by Chromium) and accepts only absolute paths from it', () => {
    expect(filesFromSecondInstance(['/opt/s', 'ignored.pdf'], '/w', { files: ['/a/b.pdf', 'relative.pdf', 3] }, true)).toEqual(['/a/b.pdf']);
    expect(filesFromSecondInstance(['/opt/s', 'c.pdf'], '/w', null, true)).toEqual(['/w/c.pdf']);
  });

  it('LaunchInbox: queued until the window is ready, then delivered; queued again when the window closes', () => {
    const inbox = new LaunchInbox();
    const got: string[][] = [];
    inbox.add(['/a']);
    inbox.add([]);
    inbox.add(['/b']);
    expect(inbox.waiting).toBe(2);
    inbox.open((p) => got.push(p));
    inbox.add(['/c']);
    inbox.close();
    inbox.add(['/d']);
    expect(got).toEqual([['/a', '/b'], ['/c']]);
    expect(inbox.waiting).toBe(1);
  });
});

describe('Linux sandbox', () => {
  it('notices --no-sandbox on the command line or as a Chromium switch', () => {
    expect(startedWithoutSandbox(['/x', '--no-sandbox'], () => false)).toBe(true);
    expect(startedWithoutSandbox(['/x'], (s) => s === 'no-sandbox')).toBe(true);
    expect(startedWithoutSandbox(['/x', '--no-sandbox-please'], () => false)).toBe(false);
  });

  it('writes an AppArmor profile only for a path AppArmor reads literally', () => {
    expect(appImageProfile('/home/u/Apps/Signet 0.1.AppImage')).toContain('profile signet-appimage "/home/u/Apps/Signet 0.1.AppImage" flags=(unconfined) {');
    for (const bad of ['relative.AppImage', '/x/Signet*.AppImage', '/x/a"b', '/x/[1].AppImage']) expect(appImageProfile(bad), bad).toBeNull();
    expect(noSandboxInstructions({ appImage: '/x/S.AppImage', profileFile: '/d/p' })).toContain("sudo install -m 644 '/d/p' /etc/apparmor.d/signet-appimage");
    expect(noSandboxInstructions({ appImage: undefined, profileFile: null })).toContain('Start Signet without --no-sandbox');
  });
});

describe('build/check-native-arch.cjs', () => {
  const require = createRequire(__filename);
  const check = require('../../../build/check-native-arch.cjs') as {
    describeBinary(b: Buffer): { platform: string; archs: string[] };
    mismatch(b: { platform: string; archs: string[] }, platform: string, arch: string): string | null;
  };
  const node = path.resolve(__dirname, '../../../node_modules/pkcs11js/build/Release/pkcs11.node');

  it('reads the compiled pkcs11js binary as this machine’s OS and CPU', () => {
    const b = check.describeBinary(readFileSync(node));
    expect(b).toEqual({ platform: process.platform, archs: [process.arch] });
    expect(check.mismatch(b, process.platform, process.arch)).toBeNull();
    expect(check.mismatch(b, 'win32', process.arch)).toContain(`is built for ${process.platform}-${process.arch}, but this package is for win32-${process.arch}`);
  });

  it('reads PE and Mach-O headers (a Windows arm64 DLL, a universal macOS binary)', () => {
    const pe = Buffer.alloc(0x100);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    pe.writeUInt16LE(0xaa64, 0x84);
    expect(check.describeBinary(pe)).toEqual({ platform: 'win32', archs: ['arm64'] });
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    fat.writeUInt32BE(2, 4);
    fat.writeUInt32BE(0x01000007, 8);
    fat.writeUInt32BE(0x0100000c, 28);
    const universal = check.describeBinary(fat);
    expect(universal).toEqual({ platform: 'darwin', archs: ['x64', 'arm64'] });
    expect(check.mismatch(universal, 'darwin', 'universal')).toBeNull();
    expect(check.mismatch(universal, 'mas', 'arm64')).toBeNull();
  });
});

describe('navigation policies (electron/app/windows/navigation.ts)', () => {
  it('the main window stays on app://signet; a portal window goes to any https page, sub-frames also to about:blank', async () => {
    const { appOnly, portalNavigation } = await import('../../../electron/app/windows/navigation');
    expect(appOnly('app://signet/index.html', true)).toBe(true);
    for (const url of ['https://portal.example/', 'app://signet.evil/', 'file:///etc/passwd', 'not a url']) expect(appOnly(url, true), url).toBe(false);
    for (const url of ['https://portal.example/login', 'https://idp.example:8443/authorize']) expect(portalNavigation(url, true), url).toBe(true);
    for (const url of ['http://portal.example/', 'app://signet/index.html', 'file:///etc/passwd', 'data:text/html,x', 'javascript:alert(1)', 'about:blank']) {
      expect(portalNavigation(url, true), url).toBe(false);
    }
    expect(portalNavigation('about:blank', false)).toBe(true);
    expect(portalNavigation('about:srcdoc', false)).toBe(true);
    expect(portalNavigation('http://ads.example/', false)).toBe(false);
  });
});
