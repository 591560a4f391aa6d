/**
 * PKCS#11 module discovery (`signet modules`). Sources, highest precedence first:
 *   1. `--module` arguments (then nothing else is added);
 *   2. configured modules: admin policy, user config, the demo token (passed in by core);
 *   3. the p11-kit registry: `*.module` files with a `module:` line
 *      (p11-kit config format: https://p11-glue.github.io/p11-glue/p11-kit/manual/pkcs11-conf.html),
 *      relative names resolved in p11-kit's module directory;
 *   4. well-known install paths per OS (OpenSC, YubiKey ykcs11, SafeNet eToken, Thales/Gemalto
 *      IDPrime, SoftHSM2, and p11-kit-proxy when no registry could be read).
 * Deduplicated by real path (+ environment: the same library with another configuration is a
 * different module and gets its own host). Missing files from automatic sources are skipped;
 * missing files the user named are kept, so `signet modules` reports them as failed.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModuleSpec } from './types';

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
  /** For tests: where p11-kit registry files live and where relative module names resolve. */
  p11kitDirs?: { registry: string[]; moduleDirs: string[] };
}

const LINUX_LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];

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

function defaultP11kitDirs(env: Record<string, string | undefined>): { registry: string[]; moduleDirs: string[] } {
  const home = env.HOME || os.homedir();
  return {
    registry: ['/etc/pkcs11/modules', '/usr/share/p11-kit/modules', path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'pkcs11', 'modules')],
    moduleDirs: LINUX_LIB_DIRS.map((d) => path.join(d, 'pkcs11')),
  };
}

/** One p11-kit `.module` file → module path (undefined when disabled for us or a trust-only module). */
export function parseP11kitModuleFile(text: string, moduleDirs: readonly string[]): string | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) fields.set(m[1]!.toLowerCase(), m[2]!);
  }
  const mod = fields.get('module');
  if (!mod) return undefined;
  const list = (k: string): string[] => (fields.get(k) ?? '').split(/[\s,]+/).filter(Boolean);
  if (list('disable-in').includes('signet')) return undefined;
  const enableIn = list('enable-in');
  if (enableIn.length > 0 && !enableIn.includes('signet')) return undefined;
  // p11-kit-trust holds CA certificates only: nothing to sign with.
  if (/p11-kit-trust/.test(mod)) return undefined;
  if (path.isAbsolute(mod)) return mod;
  const found = moduleDirs.map((d) => path.join(d, mod)).find((p) => existsSync(p));
  return found ?? path.join(moduleDirs[0] ?? '/usr/lib/pkcs11', mod);
}

function readRegistry(dirs: { registry: string[]; moduleDirs: string[] }): { modules: string[]; readable: boolean } {
  const modules: string[] = [];
  let readable = false;
  for (const dir of dirs.registry) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.module')).sort();
    } catch {
      continue;
    }
    readable = true;
    for (const n of names) {
      try {
        const m = parseP11kitModuleFile(readFileSync(path.join(dir, n), 'utf8'), dirs.moduleDirs);
        if (m) modules.push(m);
      } catch {
        // unreadable entry: skip
      }
    }
  }
  return { modules, readable };
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
    out.push(spec.env ? { path: p, source: spec.source, env: spec.env } : { path: p, source: spec.source });
  };

  if (opts.argumentModules && opts.argumentModules.length > 0) {
    for (const m of opts.argumentModules) add({ path: m, source: 'argument' }, false);
    return out;
  }
  for (const m of opts.configured ?? []) add(m, false);
  if (opts.p11kit !== false && platform !== 'win32') {
    const reg = readRegistry(opts.p11kitDirs ?? defaultP11kitDirs(env));
    for (const m of reg.modules) add({ path: m, source: 'p11-kit' }, true);
    if (!reg.readable) for (const m of p11kitProxyPaths(platform)) add({ path: m, source: 'p11-kit' }, true);
  }
  if (opts.wellKnown !== false) for (const m of wellKnownPaths(platform, env)) add({ path: m, source: 'well-known' }, true);
  return out;
}
