import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverModules, isProxyModule } from '../../../native/discovery';
import { configName, parseP11kitConfig, readP11kitRegistry, type P11kitDirs } from '../../../native/p11kit-registry';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-disc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (rel: string, content = ''): string => {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};

/** A p11-kit layout under `root`: user, system and package module directories, global files. */
function dirsUnder(root: string, libdir: string): P11kitDirs {
  return {
    user: path.join(dir, root, 'home/.config/pkcs11/modules'),
    system: path.join(dir, root, 'etc/pkcs11/modules'),
    package: path.join(dir, root, 'share/p11-kit/modules'),
    systemConf: path.join(dir, root, 'etc/pkcs11/pkcs11.conf'),
    userConf: path.join(dir, root, 'home/.config/pkcs11/pkcs11.conf'),
    moduleDirs: [libdir],
  };
}

describe('module discovery', () => {
  const libdir = path.join(dir, 'lib/pkcs11');
  const opensc = file('lib/pkcs11/opensc-pkcs11.so');
  const vendor = file('opt/vendor/libvendor.so');
  const other = file('opt/vendor/libother.so');
  symlinkSync(vendor, path.join(dir, 'opt/vendor/libvendor-link.so'));
  file('a/share/p11-kit/modules/opensc.module', '# OpenSC\nmodule: opensc-pkcs11.so\ncritical: no\n');
  file('a/share/p11-kit/modules/vendor.module', `module: ${vendor}\ncritical: yes\n`);
  file('a/share/p11-kit/modules/trust.module', 'module: p11-kit-trust.so\ntrust-policy: yes\n');
  file('a/share/p11-kit/modules/off.module', `module: ${other}\ndisable-in: signet firefox\n`);
  file('a/share/p11-kit/modules/seahorse.module', `module: ${other}\nenable-in: seahorse,ssh\n`);
  const dirsA = dirsUnder('a', libdir);

  it('reads the p11-kit registry (relative names, critical, disable-in/enable-in, no trust module), dedupes by real path', () => {
    const mods = discoverModules({ p11kitDirs: dirsA, wellKnown: false, platform: 'linux', env: {}, uid: 1000 });
    expect(mods).toEqual([
      { path: opensc, source: 'p11-kit', critical: false },
      { path: vendor, source: 'p11-kit', critical: true },
    ]);
  });

  it('configured modules come first, with their env; the same library with another env is another module', () => {
    const mods = discoverModules({
      p11kitDirs: dirsA,
      wellKnown: false,
      platform: 'linux',
      env: {},
      uid: 1000,
      configured: [
        { path: path.join(dir, 'opt/vendor/libvendor-link.so'), source: 'policy' },
        { path: vendor, source: 'demo', env: { CONF: '/x' } },
        { path: path.join(dir, 'nowhere.so'), source: 'config' },
      ],
    });
    expect(mods.map((m) => [m.path, m.source, m.env?.CONF])).toEqual([
      [vendor, 'policy', undefined],
      [vendor, 'demo', '/x'],
      [path.join(dir, 'nowhere.so'), 'config', undefined],
      [opensc, 'p11-kit', undefined],
    ]);
  });

  it('--module wins alone, kept even when missing (so it is reported); the policy allow-list filters', () => {
    expect(discoverModules({ argumentModules: ['/no/such.so'], p11kitDirs: dirsA, platform: 'linux', env: {} })).toEqual([{ path: '/no/such.so', source: 'argument' }]);
    const allowed = discoverModules({ p11kitDirs: dirsA, wellKnown: false, platform: 'linux', env: {}, uid: 1000, allowed: [vendor] });
    expect(allowed.map((m) => m.path)).toEqual([vendor]);
  });

  it('recognises proxies by CK_INFO or by file name', () => {
    expect(isProxyModule('/usr/lib/x86_64-linux-gnu/libp11-kit.so.0.3.0')).toBe(true);
    expect(isProxyModule('/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so')).toBe(true);
    expect(isProxyModule('/x/renamed.so', { manufacturer: 'PKCS#11 Kit', description: 'PKCS#11 Kit Proxy Module', cryptokiVersion: '2.40', libraryVersion: '1.1' })).toBe(true);
    expect(isProxyModule('/x/p11-kit-trust.so', { manufacturer: 'PKCS#11 Kit', description: 'PKCS#11 Kit Trust Module', cryptokiVersion: '2.40', libraryVersion: '0.24' })).toBe(false);
    expect(isProxyModule('/usr/lib/softhsm/libsofthsm2.so', { manufacturer: 'SoftHSM', description: 'Implementation of PKCS11', cryptokiVersion: '2.40', libraryVersion: '2.6' })).toBe(false);
  });
});

describe("p11-kit's precedence rules (pkcs11.conf(5), p11-kit/conf.c)", () => {
  const libdir = path.join(dir, 'lib/pkcs11');
  const sys = file('lib/pkcs11/libsys.so');
  const usr = file('home-lib/libuser.so');
  const pkg = file('lib/pkcs11/libpkg.so');
  file('b/share/p11-kit/modules/pkg.module', 'module: libpkg.so\npriority: 1\n');
  file('b/share/p11-kit/modules/sys.module', 'module: libsys.so\n');
  file('b/share/p11-kit/modules/blanked.module', 'module: libsys.so\n');
  file('b/etc/pkcs11/modules/sys.module', 'critical: yes\n'); // same name: adds a field, keeps module:
  file('b/home/.config/pkcs11/modules/blanked.module', 'module:\n'); // "If this value is blank, then the module will be ignored"
  file('b/home/.config/pkcs11/modules/pkg.module', 'disable-in: signet\n');
  file('b/home/.config/pkcs11/modules/mine.module', `module: ${usr}\n`);
  const dirsB = dirsUnder('b', libdir);

  it('user files override system/package files of the same name field by field', () => {
    const r = readP11kitRegistry({ dirs: dirsB, uid: 1000, env: {} });
    expect(r.modules.map((m) => [m.name, m.path, m.critical])).toEqual([
      ['mine', usr, false],
      ['sys', sys, true],
    ]);
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { name: 'blanked', reason: 'blank module:' },
        { name: 'pkg', reason: 'disable-in: signet' },
      ]),
    );
  });

  it('root, setuid-like P11_KIT_NO_USER_CONFIG and user-config: none skip the user files', () => {
    const names = (r: ReturnType<typeof readP11kitRegistry>): string[] => r.modules.map((m) => m.name);
    expect(names(readP11kitRegistry({ dirs: dirsB, uid: 0, env: {} }))).toEqual(['pkg', 'blanked', 'sys']);
    expect(names(readP11kitRegistry({ dirs: dirsB, uid: 1000, env: { P11_KIT_NO_USER_CONFIG: '1' } }))).toEqual(['pkg', 'blanked', 'sys']);
    file('c/etc/pkcs11/pkcs11.conf', 'user-config: none\n');
    for (const f of ['share/p11-kit/modules/pkg.module', 'home/.config/pkcs11/modules/mine.module']) file(`c/${f}`, f.includes('pkg') ? 'module: libpkg.so\n' : `module: ${usr}\n`);
    expect(names(readP11kitRegistry({ dirs: dirsUnder('c', libdir), uid: 1000, env: {} }))).toEqual(['pkg']);
    expect(pkg).toBeTruthy();
  });

  it('user-config: only (or override) reads the user files alone', () => {
    file('d/home/.config/pkcs11/pkcs11.conf', 'user-config: override\n');
    file('d/home/.config/pkcs11/modules/mine.module', `module: ${usr}\n`);
    file('d/share/p11-kit/modules/pkg.module', 'module: libpkg.so\n');
    expect(readP11kitRegistry({ dirs: dirsUnder('d', libdir), uid: 1000, env: {} }).modules.map((m) => m.name)).toEqual(['mine']);
  });

  it('sorts by priority (higher first), then by name', () => {
    const r = readP11kitRegistry({ dirs: dirsB, uid: 0, env: {} });
    expect(r.modules[0]).toMatchObject({ name: 'pkg', priority: 1 });
  });

  it("parses files like p11-kit's lexer and names them like calc_name_from_filename", () => {
    const f = parseP11kitConfig('  module:  /a/b.so  \n# module: /c.so\nx-custom : text\n-----BEGIN X-----\nmodule: /pem.so\n-----END X-----\nmodule: /a/last.so\n');
    expect(f.get('module')).toBe('/a/last.so');
    expect(f.get('x-custom')).toBe('text');
    expect(configName('opensc.module')).toBe('opensc');
    expect(configName('.hidden.module')).toBe('.hidden.module');
    expect(configName('README')).toBe('README');
  });
});
