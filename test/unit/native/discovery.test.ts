import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverModules, parseP11kitModuleFile } from '../../../native/discovery';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-disc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (rel: string, content = ''): string => {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};

describe('module discovery', () => {
  const libdir = path.join(dir, 'lib/pkcs11');
  const opensc = file('lib/pkcs11/opensc-pkcs11.so');
  const vendor = file('opt/vendor/libvendor.so');
  symlinkSync(vendor, path.join(dir, 'opt/vendor/libvendor-link.so'));
  file('registry/opensc.module', '# OpenSC\nmodule: opensc-pkcs11.so\ncritical: no\n');
  file('registry/vendor.module', `module: ${vendor}\n`);
  file('registry/trust.module', 'module: p11-kit-trust.so\n');
  file('registry/off.module', `module: ${vendor}\ndisable-in: signet firefox\n`);
  file('registry/other.module', `module: ${vendor}\nenable-in: seahorse\n`);
  file('registry/README', 'not a module');
  const p11kitDirs = { registry: [path.join(dir, 'registry'), path.join(dir, 'missing')], moduleDirs: [libdir] };

  it('reads the p11-kit registry (relative names, disable-in/enable-in, no trust module), dedupes by real path', () => {
    const mods = discoverModules({ p11kitDirs, wellKnown: false, platform: 'linux', env: {} });
    expect(mods).toEqual([
      { path: opensc, source: 'p11-kit' },
      { path: vendor, source: 'p11-kit' },
    ]);
  });

  it('configured modules come first, with their env; the same library with another env is another module', () => {
    const mods = discoverModules({
      p11kitDirs,
      wellKnown: false,
      platform: 'linux',
      env: {},
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
    expect(discoverModules({ argumentModules: ['/no/such.so'], p11kitDirs, platform: 'linux', env: {} })).toEqual([{ path: '/no/such.so', source: 'argument' }]);
    const allowed = discoverModules({ p11kitDirs, wellKnown: false, platform: 'linux', env: {}, allowed: [vendor] });
    expect(allowed.map((m) => m.path)).toEqual([vendor]);
  });

  it('parses module files', () => {
    expect(parseP11kitModuleFile('module: /a/b.so', [])).toBe('/a/b.so');
    expect(parseP11kitModuleFile('# module: /a/b.so', [])).toBeUndefined();
    expect(parseP11kitModuleFile('remote: |ssh host', [])).toBeUndefined();
  });
});
