/**
 * The p11-kit module registry, read with p11-kit's own rules, so Signet loads what every other
 * p11-kit program on the machine would load (and nothing the user switched off).
 *
 * From p11-kit's documentation, pkcs11.conf(5)
 * (https://p11-glue.github.io/p11-glue/p11-kit/manual/pkcs11-conf.html), and where the manual is
 * silent from p11-kit's source (p11-kit/conf.c, p11-kit/modules.c, release 0.24–0.26):
 *  - Files: "Each configured PKCS#11 module has its own config file" in a module directory; the
 *    name "should end with a .module extension", and the part before it is the module's name
 *    (conf.c calc_name_from_filename; a file with another name is still read, under its full
 *    name). Lines are "name: value"; "White space at the beginning or end of lines is
 *    stripped. Lines that begin with a # character are ignored as comments."
 *  - Directories, in order (conf.c _p11_conf_load_modules): the user's `~/.config/pkcs11/modules`
 *    (`$XDG_CONFIG_HOME/pkcs11/modules`), then the system's `/etc/pkcs11/modules`, then the
 *    package directory `/usr/share/p11-kit/modules`. A file with the same name read later only
 *    supplies fields the earlier one lacks (_p11_conf_merge_defaults): "the user configs [can]
 *    override loading of a module specified in the system configuration".
 *  - User configuration: the global `pkcs11.conf` (system `/etc/pkcs11/pkcs11.conf`, then the
 *    user's) sets `user-config: none | merge | only | override` (default merge; `only` and
 *    `override` skip the system and package directories). User files are never read when running
 *    as root, in a setuid/setgid program, or with P11_KIT_NO_USER_CONFIG set (conf.c
 *    _p11_conf_load_globals; the manual names the setuid case).
 *  - `module:` "If this value is blank, then the module will be ignored"; a relative path "will
 *    be loaded from the default module directory". A `remote:` module is run by p11-kit itself
 *    (Signet reaches it only through p11-kit-proxy).
 *  - `enable-in:` / `disable-in:` — "A comma and/or space separated list of names of programs"
 *    (the base name of the executable) the module is only / not loaded in. Signet's is `signet`.
 *  - `critical:` "Set to yes if the module is critical and required to load … defaults to no."
 *    Signet reports a non-critical module that cannot load in `signet modules` only.
 *  - `priority:` "modules with a higher number are sorted first … the same priority … sorted
 *    alphabetically" (modules.c compar_priority).
 *  - `trust-policy: yes` modules (p11-kit-trust) hold CA certificates only: nothing to sign with.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The program name p11-kit's enable-in / disable-in lists are matched against. */
export const SIGNET_PROGRAM_NAME = 'signet';

export interface P11kitDirs {
  /** `~/.config/pkcs11/modules` (read first, when user configuration is allowed). */
  user: string;
  /** `/etc/pkcs11/modules`. */
  system: string;
  /** `/usr/share/p11-kit/modules`. */
  package: string;
  /** Global configuration files (`pkcs11.conf`). */
  systemConf: string;
  userConf: string;
  /** Where relative `module:` names are looked for (p11-kit's P11_MODULE_PATH), first existing wins. */
  moduleDirs: string[];
}

export interface RegistryOptions {
  dirs: P11kitDirs;
  /** getuid() (root: no user configuration). */
  uid?: number;
  env?: Record<string, string | undefined>;
}

export interface RegistryModule {
  /** The configuration's name (file name without `.module`). */
  name: string;
  path: string;
  critical: boolean;
  priority: number;
}

export interface Registry {
  modules: RegistryModule[];
  /** Some registry directory exists. */
  readable: boolean;
  /** Why configurations were skipped (disabled for Signet, blank module, remote, trust-only). */
  skipped: { name: string; reason: string }[];
}

type Fields = Map<string, string>;

/** One configuration file: fields as p11-kit's lexer reads them (later duplicates win). */
export function parseP11kitConfig(text: string): Fields {
  const fields: Fields = new Map();
  let inPem = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (inPem) {
      if (line.startsWith('-----END ')) inPem = false;
      continue;
    }
    if (line.startsWith('-----BEGIN ')) {
      inPem = true;
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith('[')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return fields;
}

/** p11-kit's is_string_in_list: comma and/or space separated names. */
const inList = (list: string, name: string): boolean => list.split(/[\s,]+/).includes(name);

/** The configuration's name: the file name without `.module` (conf.c calc_name_from_filename). */
export function configName(fileName: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*\.module$/.test(fileName) ? fileName.slice(0, -'.module'.length) : fileName;
}

type UserMode = 'none' | 'merge' | 'only';

function userModeOf(value: string | undefined, fallback: UserMode): UserMode {
  switch (value) {
    case undefined:
      return fallback;
    case 'none':
    case 'merge':
    case 'only':
      return value;
    case 'override':
      return 'only';
    default:
      return fallback;
  }
}

function readConfig(file: string): Fields | undefined {
  try {
    return parseP11kitConfig(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The user-config mode after the global files and the root / setuid / environment rules. */
export function userConfigMode(opts: RegistryOptions): UserMode {
  const env = opts.env ?? process.env;
  let mode = userModeOf(readConfig(opts.dirs.systemConf)?.get('user-config'), 'merge');
  const uid = opts.uid ?? (typeof process.getuid === 'function' ? process.getuid() : -1);
  if (mode !== 'none' && (uid === 0 || env.P11_KIT_NO_USER_CONFIG !== undefined)) mode = 'none';
  if (mode !== 'none') mode = userModeOf(readConfig(opts.dirs.userConf)?.get('user-config'), mode);
  return mode;
}

/** Read one directory into `configs`; names seen earlier only gain fields they lack. */
function loadDirectory(dir: string, configs: Map<string, Fields>): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  for (const fileName of names.sort()) {
    const file = path.join(dir, fileName);
    try {
      if (statSync(file).isDirectory()) continue;
    } catch {
      continue;
    }
    const fields = readConfig(file);
    if (!fields) continue;
    const name = configName(fileName);
    const earlier = configs.get(name);
    if (!earlier) configs.set(name, fields);
    else for (const [k, v] of fields) if (!earlier.has(k)) earlier.set(k, v);
  }
  return true;
}

function resolveModule(mod: string, moduleDirs: readonly string[]): string {
  if (path.isAbsolute(mod)) return mod;
  const found = moduleDirs.map((d) => path.join(d, mod)).find((p) => existsSync(p));
  return found ?? path.join(moduleDirs[0] ?? '/usr/lib/pkcs11', mod);
}

/** The modules p11-kit would load in a program called `signet`, in p11-kit's order. */
export function readP11kitRegistry(opts: RegistryOptions): Registry {
  const mode = userConfigMode(opts);
  const configs = new Map<string, Fields>();
  let readable = false;
  if (mode !== 'none') readable = loadDirectory(opts.dirs.user, configs) || readable;
  if (mode !== 'only') {
    readable = loadDirectory(opts.dirs.system, configs) || readable;
    readable = loadDirectory(opts.dirs.package, configs) || readable;
  }
  const modules: RegistryModule[] = [];
  const skipped: Registry['skipped'] = [];
  for (const [name, f] of configs) {
    const enableIn = f.get('enable-in');
    const disableIn = f.get('disable-in');
    if (enableIn !== undefined && !inList(enableIn, SIGNET_PROGRAM_NAME)) {
      skipped.push({ name, reason: `enable-in: ${enableIn}` });
      continue;
    }
    if (enableIn === undefined && disableIn !== undefined && inList(disableIn, SIGNET_PROGRAM_NAME)) {
      skipped.push({ name, reason: `disable-in: ${disableIn}` });
      continue;
    }
    if (f.get('remote') !== undefined) {
      skipped.push({ name, reason: 'remote module (reachable through p11-kit-proxy)' });
      continue;
    }
    const mod = f.get('module');
    if (mod === undefined || mod === '') {
      skipped.push({ name, reason: 'blank module:' });
      continue;
    }
    if (f.get('trust-policy') === 'yes' || /p11-kit-trust/.test(mod)) {
      skipped.push({ name, reason: 'trust-policy module (CA certificates only)' });
      continue;
    }
    modules.push({ name, path: resolveModule(mod, opts.dirs.moduleDirs), critical: f.get('critical') === 'yes', priority: parseInt(f.get('priority') ?? '0', 10) || 0 });
  }
  // modules.c compar_priority: higher priority first, then by name.
  modules.sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { modules, readable, skipped };
}

/** p11-kit's directories on this platform (Linux distributions, Homebrew). */
export function defaultP11kitDirs(platform: NodeJS.Platform, env: Record<string, string | undefined>, libDirs: readonly string[]): P11kitDirs {
  const home = env.HOME || os.homedir();
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const prefix = platform === 'darwin' ? (existsSync('/opt/homebrew') ? '/opt/homebrew' : '/usr/local') : '';
  return {
    user: path.join(configHome, 'pkcs11', 'modules'),
    system: platform === 'darwin' ? path.join(prefix, 'etc/pkcs11/modules') : '/etc/pkcs11/modules',
    package: platform === 'darwin' ? path.join(prefix, 'share/p11-kit/modules') : '/usr/share/p11-kit/modules',
    systemConf: platform === 'darwin' ? path.join(prefix, 'etc/pkcs11/pkcs11.conf') : '/etc/pkcs11/pkcs11.conf',
    userConf: path.join(configHome, 'pkcs11', 'pkcs11.conf'),
    moduleDirs: platform === 'darwin' ? [path.join(prefix, 'lib/pkcs11')] : libDirs.map((d) => path.join(d, 'pkcs11')),
  };
}
