/**
 * Registering Signet's PKCS#11 modules in the NSS database Chromium (and so Electron) uses on
 * Linux — `sql:$HOME/.pki/nssdb` — so the portal window's TLS stack sees the token's
 * certificates and keys. Done only with the user's consent; uses NSS's own `modutil`
 * (libnss3-tools), never writes the database by hand.
 *
 *   modutil -dbdir sql:DIR -add "Signet: <name>" -libfile <module.so> -force
 *
 * (`-force` only skips modutil's interactive "close the browser" prompt.) Plain Node: tested
 * against a temp NSS db with the real modutil.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignetError } from '../../../native/errors';

const run = promisify(execFile);

export const MODULE_NAME_PREFIX = 'Signet: ';

export interface NssModule {
  /** Shown in NSS's module list as "Signet: <name>". */
  name: string;
  /** Absolute path of the PKCS#11 library. */
  libraryPath: string;
}

export interface NssListedModule {
  name: string;
  library?: string;
  /** Token labels NSS sees in the module's slots. */
  tokens: string[];
}

export const defaultNssDbDir = (): string => path.join(os.homedir(), '.pki', 'nssdb');

async function tool(cmd: 'modutil' | 'certutil', args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { env: { ...process.env, ...env }, timeout: 30_000, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (err.code === 'ENOENT') {
      throw new SignetError('MODULE_LOAD_FAILED', `${cmd} is not installed (Debian/Ubuntu: libnss3-tools; Fedora: nss-tools).`);
    }
    throw new SignetError('MODULE_LOAD_FAILED', `${cmd} failed: ${(err.stderr || err.stdout || err.message).trim().slice(0, 500)}`);
  }
}

/** Creates an empty NSS db (no password) when the directory has none — what Chromium does on first run. */
export async function ensureNssDb(dbDir: string): Promise<void> {
  if (existsSync(path.join(dbDir, 'cert9.db'))) return;
  mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  await tool('certutil', ['-N', '-d', `sql:${dbDir}`, '--empty-password']);
}

/** Parses `modutil -list`: "  1. NSS Internal PKCS #11 Module\n\t  library name: …\n\t   slot: …\n\t  token: …". */
export function parseModutilList(text: string): NssListedModule[] {
  const out: NssListedModule[] = [];
  let cur: NssListedModule | undefined;
  for (const line of text.split('\n')) {
    const head = /^\s*\d+\.\s+(.+?)\s*$/.exec(line);
    if (head?.[1] !== undefined) {
      cur = { name: head[1], tokens: [] };
      out.push(cur);
      continue;
    }
    if (cur === undefined) continue;
    const lib = /^\s*(?:library name|uri):\s*(.+?)\s*$/.exec(line);
    if (lib?.[1] !== undefined && line.includes('library name')) cur.library = lib[1];
    const token = /^\s*token:\s*(.+?)\s*$/.exec(line);
    if (token?.[1] !== undefined) cur.tokens.push(token[1]);
  }
  return out;
}

export async function listNssModules(dbDir: string, env?: NodeJS.ProcessEnv): Promise<NssListedModule[]> {
  return parseModutilList(await tool('modutil', ['-dbdir', `sql:${dbDir}`, '-list'], env));
}

export interface RegisterResult {
  added: string[];
  alreadyPresent: string[];
}

/**
 * Adds the modules that are not registered yet (by library path). `env` is the environment the
 * module needs to load (e.g. SOFTHSM2_CONF for the demo token) — never a PIN.
 */
export async function registerNssModules(dbDir: string, modules: readonly NssModule[], env?: NodeJS.ProcessEnv): Promise<RegisterResult> {
  await ensureNssDb(dbDir);
  const present = await listNssModules(dbDir, env);
  const result: RegisterResult = { added: [], alreadyPresent: [] };
  for (const m of modules) {
    if (!path.isAbsolute(m.libraryPath) || !existsSync(m.libraryPath)) {
      throw new SignetError('MODULE_LOAD_FAILED', `No PKCS#11 module at ${m.libraryPath}.`);
    }
    const name = MODULE_NAME_PREFIX + m.name;
    if (present.some((p) => p.library === m.libraryPath || p.name === name)) {
      result.alreadyPresent.push(name);
      continue;
    }
    await tool('modutil', ['-dbdir', `sql:${dbDir}`, '-add', name, '-libfile', m.libraryPath, '-force'], env);
    result.added.push(name);
  }
  return result;
}

/** Removes every module Signet added (the user withdraws consent in Settings). */
export async function unregisterNssModules(dbDir: string, env?: NodeJS.ProcessEnv): Promise<string[]> {
  const ours = (await listNssModules(dbDir, env)).filter((m) => m.name.startsWith(MODULE_NAME_PREFIX));
  for (const m of ours) await tool('modutil', ['-dbdir', `sql:${dbDir}`, '-delete', m.name, '-force'], env);
  return ours.map((m) => m.name);
}

/**
 * The consent step: if some modules are missing, ask the user (`confirm` shows Signet's dialog
 * naming the database and the modules) and register them only on yes.
 */
export async function ensureNssModules(opts: {
  dbDir?: string;
  modules: readonly NssModule[];
  env?: NodeJS.ProcessEnv;
  confirm: (missing: readonly NssModule[], dbDir: string) => Promise<boolean>;
}): Promise<{ registered: boolean; result?: RegisterResult }> {
  const dbDir = opts.dbDir ?? defaultNssDbDir();
  const present = existsSync(path.join(dbDir, 'cert9.db')) ? await listNssModules(dbDir, opts.env) : [];
  const missing = opts.modules.filter((m) => !present.some((p) => p.library === m.libraryPath || p.name === MODULE_NAME_PREFIX + m.name));
  if (missing.length === 0) return { registered: true };
  if (!(await opts.confirm(missing, dbDir))) return { registered: false };
  return { registered: true, result: await registerNssModules(dbDir, missing, opts.env) };
}
