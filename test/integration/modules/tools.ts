/**
 * Running programs against a module rig: Signet's CLI (dist/cli.js), GnuTLS `p11tool` and OpenSC
 * `pkcs11-tool`, each in the module's world (its environment; openCryptoki: its mount namespace).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModuleRig } from '../../rig/modules';
import { CLI, signetEnv } from '../cli/run-cli';

export interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  text: string;
}

function runWrapped(rig: Pick<ModuleRig, 'wrap'>, cmd: string, args: readonly string[], env: Record<string, string>, input?: string): Promise<Ran> {
  const [bin, ...pre] = [...rig.wrap, cmd];
  return new Promise((resolve, reject) => {
    const child = spawn(bin!, [...pre, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.stdin.end(input ?? '');
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      resolve({ code, stdout, stderr: err, text: stdout.toString('utf8') });
    });
  });
}

const homes = new Map<ModuleRig, { dir: string; env: Record<string, string> }>();

/** `signet ARGS --module <rig.module>` with fresh SIGNET_* dirs per rig. */
export async function signet(rig: ModuleRig, args: string[], opts: { input?: string; modules?: string[] } = {}): Promise<Ran & { json: unknown }> {
  let home = homes.get(rig);
  if (!home) {
    const dir = mkdtempSync(path.join(tmpdir(), 'signet-mod-'));
    homes.set(rig, (home = { dir, env: signetEnv(dir) }));
  }
  const env = home.env;
  const modules = (opts.modules ?? [rig.module]).flatMap((m) => ['--module', m]);
  const r = await runWrapped(rig, process.execPath, [CLI, ...args, ...modules], { ...env, ...rig.env }, opts.input);
  let json: unknown;
  try {
    json = JSON.parse(r.text);
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

/** Remove the CLI's SIGNET_* dirs of this rig. */
export function forgetCliHome(rig: ModuleRig): void {
  const home = homes.get(rig);
  if (home) rmSync(home.dir, { recursive: true, force: true });
  homes.delete(rig);
}

/** GnuTLS p11tool with the rig's module (`--provider`, or p11-kit's registry); the PIN, when given, through GNUTLS_PIN. */
export function p11tool(rig: ModuleRig, args: string[], pin?: string): Promise<Ran> {
  const provider = rig.p11toolProvider !== null ? ['--provider', rig.p11toolProvider] : [];
  return runWrapped(rig, 'p11tool', [...provider, ...args], { ...rig.env, ...(pin ? { GNUTLS_PIN: pin } : {}) });
}

/** OpenSC pkcs11-tool on this module. */
export function pkcs11Tool(rig: ModuleRig, args: string[]): Promise<Ran> {
  return runWrapped(rig, 'pkcs11-tool', ['--module', rig.module, ...args], rig.env);
}

/** Any other tool (openssl) — outside the module's world, it needs none. */
export function tool(cmd: string, args: string[], input?: string): Promise<Ran> {
  return runWrapped({ wrap: [] }, cmd, args, {}, input);
}

/** The `URL:` lines p11tool prints. */
export const urlsOf = (out: string): string[] => [...out.matchAll(/^\s*URL: (\S+)$/gm)].map((m) => m[1]!);
