/**
 * PKCS#11 module discovery (`signet modules`). Sources, highest precedence first:
 *   1. `--module` arguments (then nothing else is added);
 *   2. configured modules: admin policy, user config, the demo token (passed in by core);
 *   3. the p11-kit registry, read with p11-kit's own rules (native/p11kit-registry.ts: user then
 *      system then package directory, same name overrides, enable-in / disable-in, critical,
 *      priority, no user configuration for root);
 *   4. well-known install paths per OS (OpenSC, YubiKey ykcs11, SafeNet eToken, Thales/Gemalto
 *      IDPrime, openCryptoki, tpm2-pkcs11, SoftHSM2, and p11-kit-proxy when no registry could be
 *      read).
 * Deduplicated by real path (+ environment: the same library with another configuration is a
 * different module and gets its own host). Missing files from automatic sources are skipped;
 * missing files the user named are kept, so `signet modules` reports them as failed.
 *
 * Critical (p11-kit's word): a module the user named (arguments, configuration, policy, demo) or
 * a registry entry with `critical: yes`. A non-critical module that cannot load is reported by
 * `signet modules` and stays quiet elsewhere (tpm2-pkcs11 without a TPM, ykcs11 without pcscd).
 *
 * Proxies: p11-kit-proxy (and p11-kit-client, OpenSC's pkcs11-spy) front other modules, so the
 * same token can be reached twice; TokenClient lists it once, through the direct module
 * (isProxyModule below).
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { defaultP11kitDirs, readP11kitRegistry, type P11kitDirs } from './p11kit-registry';
import type { ModuleInfo, ModuleSpec } from './types';

export interface DiscoveryOptions {
  /** `--module` paths: when given, only these are used. */
  argumentModules?: readonly string[];
  /** Modules from the policy / user config / demo (core/config). */
  configured?: readonly ModuleSpec[];
  /** p11-kit registry (default true). */
  p11kit?: boolean;
  /** Well-known install paths (default true). */
  wellKnown?: boolean;
  /** Only these real paths may be loaded (admin policy `allowedModules`). */
  allowed?: readonly string[];
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  /** For tests: p11-kit's directories and global configuration files. */
  p11kitDirs?: P11kitDirs;
  /** For tests: the user id (p11-kit reads no user configuration for root). */
  uid?: number;
}

const LINUX_LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib/powerpc64le-linux-gnu',
  '/usr/lib/s390x-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
];

function wellKnownPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'win32') {
    const sys = path.win32.join(env.SystemRoot || env.windir || 'C:\\Windows', 'System32');
    const pf = env.ProgramFiles || 'C:\\Program Files';
    return [
      path.win32.join(sys, 'opensc-pkcs11.dll'),
      path.win32.join(pf, 'OpenSC Project', 'OpenSC', 'pkcs11', 'opensc-pkcs11.dll'),
      path.win32.join(pf, 'Yubico', 'Yubico PIV Tool', 'bin', 'libykcs11.dll'),
      path.win32.join(sys, 'eTPKCS11.dll'),
      path.win32.join(sys, 'IDPrimePKCS11.dll'),
      path.win32.join(sys, 'eps2003csp11.dll'),
      'C:\\SoftHSM2\\lib\\softhsm2-x64.dll',
    ];
  }
  if (platform === 'darwin') {
    return [
      '/Library/OpenSC/lib/opensc-pkcs11.so',
      '/opt/homebrew/lib/opensc-pkcs11.so',
      '/usr/local/lib/opensc-pkcs11.so',
      '/opt/homebrew/lib/libykcs11.dylib',
      '/usr/local/lib/libykcs11.dylib',
      '/Library/Frameworks/eToken.framework/Versions/Current/libeToken.dylib',
      '/usr/local/lib/libeTPkcs11.dylib',
      '/Library/Frameworks/IDPrimePKCS11.framework/Versions/Current/libIDPrimePKCS11.dylib',
      '/usr/local/lib/libIDPrimePKCS11.dylib',
      '/opt/homebrew/lib/softhsm/libsofthsm2.so',
      '/usr/local/lib/softhsm/libsofthsm2.so',
    ];
  }
  const out: string[] = [];
  for (const d of LINUX_LIB_DIRS) {
    out.push(
      path.join(d, 'opensc-pkcs11.so'),
      path.join(d, 'pkcs11', 'opensc-pkcs11.so'),
      path.join(d, 'libykcs11.so'),
      path.join(d, 'libykcs11.so.2'),
      path.join(d, 'libeTPkcs11.so'),
      path.join(d, 'libIDPrimePKCS11.so'),
      // openCryptoki: Debian/Ubuntu put it in the multiarch pkcs11 directory, Fedora/RHEL/SUSE in
      // their own opencryptoki directory.
      path.join(d, 'pkcs11', 'libopencryptoki.so'),
      path.join(d, 'opencryptoki', 'libopencryptoki.so'),
      path.join(d, 'pkcs11', 'libtpm2_pkcs11.so'),
      path.join(d, 'libtpm2_pkcs11.so'),
      path.join(d, 'softhsm', 'libsofthsm2.so'),
    );
  }
  out.push('/usr/lib/libeToken.so', '/usr/lib/x64-athena/libASEP11.so');
  return out;
}

function p11kitProxyPaths(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return [];
  if (platform === 'darwin') return ['/opt/homebrew/lib/p11-kit-proxy.dylib', '/usr/local/lib/p11-kit-proxy.dylib'];
  return LINUX_LIB_DIRS.map((d) => path.join(d, 'p11-kit-proxy.so'));
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Modules to use, deduplicated by real path (+ env), in precedence order. */
export function discoverModules(opts: DiscoveryOptions = {}): ModuleSpec[] {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const out: ModuleSpec[] = [];
  const seen = new Set<string>();
  const allowed = opts.allowed ? new Set(opts.allowed.map(real)) : undefined;
  const add = (spec: ModuleSpec, mustExist: boolean): void => {
    if (mustExist && !existsSync(spec.path)) return;
    const p = real(spec.path);
    const key = `${p}\u0000${JSON.stringify(spec.env ?? {})}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (allowed && !allowed.has(p)) return;
    const { path: _given, ...rest } = spec;
    out.push({ path: p, ...rest });
  };

  if (opts.argumentModules && opts.argumentModules.length > 0) {
    for (const m of opts.argumentModules) add({ path: m, source: 'argument' }, false);
    return out;
  }
  for (const m of opts.configured ?? []) add(m, false);
  if (opts.p11kit !== false && platform !== 'win32') {
    const reg = readP11kitRegistry({ dirs: opts.p11kitDirs ?? defaultP11kitDirs(platform, env, LINUX_LIB_DIRS), env, ...(opts.uid !== undefined ? { uid: opts.uid } : {}) });
    for (const m of reg.modules) add({ path: m.path, source: 'p11-kit', critical: m.critical }, true);
    if (!reg.readable) for (const m of p11kitProxyPaths(platform)) add({ path: m, source: 'p11-kit', critical: false }, true);
  }
  if (opts.wellKnown !== false) for (const m of wellKnownPaths(platform, env)) add({ path: m, source: 'well-known', critical: false }, true);
  return out;
}

/** Whether a module failing to load should be reported beyond `signet modules` (see the header). */
export function isCritical(spec: ModuleSpec): boolean {
  return spec.critical ?? true;
}

/**
 * A module that fronts other modules (the same tokens are reachable directly): p11-kit's proxy
 * and client (CK_INFO manufacturer "PKCS#11 Kit"), OpenSC's pkcs11-spy. Judged by CK_INFO when the
 * module is loaded, else by file name (p11-kit-proxy.so is a link to libp11-kit.so).
 */
export function isProxyModule(modulePath: string, info?: ModuleInfo): boolean {
  if (info && /^PKCS#11 Kit\b/.test(info.manufacturer) && !/trust/i.test(info.description)) return true;
  const base = path.basename(modulePath).toLowerCase();
  return /^(p11-kit-proxy|p11-kit-client|libp11-kit|pkcs11-spy)\b/.test(base);
}
