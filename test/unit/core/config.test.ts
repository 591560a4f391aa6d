import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configuredModules, loadConfig, signetPaths, timeoutsOf, updateUserConfig } from '../../../electron/core/config';
import { moduleSpecs } from '../../../electron/core/tokens';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (name: string) => ({
  SIGNET_CONFIG_DIR: path.join(dir, name, 'config'),
  SIGNET_DATA_DIR: path.join(dir, name, 'data'),
  SIGNET_LOG_DIR: path.join(dir, name, 'logs'),
  SIGNET_POLICY_FILE: path.join(dir, name, 'policy.json'),
});

describe('per-OS paths', () => {
  it('Linux follows XDG (relative XDG values ignored)', () => {
    const p = signetPaths({ XDG_CONFIG_HOME: '/x/cfg', XDG_DATA_HOME: 'relative' }, 'linux', '/home/u');
    expect(p).toEqual({
      configDir: '/x/cfg/signet',
      dataDir: '/home/u/.local/share/signet',
      logDir: '/home/u/.local/state/signet/logs',
      userConfigFile: '/x/cfg/signet/config.json',
      policyFile: '/etc/signet/policy.json',
    });
  });
  it('macOS uses Application Support and Logs', () => {
    const p = signetPaths({}, 'darwin', '/Users/u');
    expect(p.configDir).toBe('/Users/u/Library/Application Support/Signet');
    expect(p.logDir).toBe('/Users/u/Library/Logs/Signet');
    expect(p.policyFile).toBe('/Library/Application Support/Signet/policy.json');
  });
  it('Windows uses APPDATA / LOCALAPPDATA / ProgramData', () => {
    const p = signetPaths({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', ProgramData: 'C:\\ProgramData' }, 'win32', 'C:\\Users\\u');
    expect(p.configDir).toBe('C:\\Users\\u\\AppData\\Roaming\\Signet');
    expect(p.dataDir).toBe('C:\\Users\\u\\AppData\\Local\\Signet');
    expect(p.logDir).toBe('C:\\Users\\u\\AppData\\Local\\Signet\\logs');
    expect(p.policyFile).toBe('C:\\ProgramData\\Signet\\policy.json');
  });
  it('SIGNET_* variables override everything', () => {
    const e = env('o');
    const p = signetPaths(e, 'darwin', '/Users/u');
    expect([p.configDir, p.dataDir, p.logDir, p.policyFile]).toEqual([e.SIGNET_CONFIG_DIR, e.SIGNET_DATA_DIR, e.SIGNET_LOG_DIR, e.SIGNET_POLICY_FILE]);
  });
});

describe('user config and admin policy', () => {
  it('missing files are the empty configuration', () => {
    const c = loadConfig(env('empty'), 'linux');
    expect(c.user.modules).toEqual([]);
    expect(c.policy.modules).toEqual([]);
    expect(timeoutsOf(c)).toEqual({ callMs: 30_000, pinPadMs: 120_000 });
  });

  it('policy wins: its modules come first, disableDiscovery drops user and demo modules, timeouts override', () => {
    const e = env('p');
    updateUserConfig(path.join(e.SIGNET_CONFIG_DIR, 'config.json'), (c) => ({
      ...c,
      modules: [{ path: '/user/mod.so' }],
      timeouts: { callMs: 5000 },
      demo: { module: '/demo.so', env: { SOFTHSM2_CONF: '/d.conf' }, softhsmConf: '/d.conf', tokenLabel: 'D', tokenSerial: '1', tokenUri: 'pkcs11:token=D', caCertPath: '/ca.pem', createdAt: 'now' },
      futureSetting: { kept: true },
    }));
    let c = loadConfig(e, 'linux');
    expect(configuredModules(c).map((m) => [m.path, m.source, m.env?.SOFTHSM2_CONF])).toEqual([
      ['/user/mod.so', 'config', undefined],
      ['/demo.so', 'demo', '/d.conf'],
    ]);
    expect(timeoutsOf(c).callMs).toBe(5000);
    // Unknown keys survive a rewrite (a newer Signet's settings).
    expect(JSON.parse(readFileSync(c.paths.userConfigFile, 'utf8')).futureSetting).toEqual({ kept: true });
    expect(statSync(c.paths.userConfigFile).mode & 0o777).toBe(0o600);

    writeFileSync(e.SIGNET_POLICY_FILE, JSON.stringify({ modules: [{ path: '/policy/mod.so' }], disableDiscovery: true, timeouts: { callMs: 9000 } }));
    c = loadConfig(e, 'linux');
    expect(configuredModules(c).map((m) => m.path)).toEqual(['/policy/mod.so']);
    expect(timeoutsOf(c).callMs).toBe(9000);
    // No p11-kit / well-known discovery either.
    expect(moduleSpecs(c).map((m) => m.path)).toEqual(['/policy/mod.so']);
    // --module still works, but the allow-list applies to it too.
    writeFileSync(e.SIGNET_POLICY_FILE, JSON.stringify({ allowedModules: ['/allowed.so'] }));
    expect(moduleSpecs(loadConfig(e, 'linux'), ['/other.so'])).toEqual([]);
  });

  it.each([
    ['{', 'not valid JSON'],
    ['{"modules":[{"path":""}]}', 'modules.0.path'],
    ['{"timeouts":{"callMs":-1}}', 'timeouts.callMs'],
    ['{"signing":{"tsaUrl":"not a url"}}', 'signing.tsaUrl'],
    ['{"webApi":{"port":80}}', 'webApi.port'],
  ])('policy %s → INVALID_INPUT mentioning %s', (text, where) => {
    const e = env(`bad-${where}`);
    const c0 = signetPaths(e, 'linux');
    updateUserConfig(c0.userConfigFile, (c) => c);
    writeFileSync(e.SIGNET_POLICY_FILE, text);
    expect(() => loadConfig(e, 'linux')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(where) }));
  });
});
