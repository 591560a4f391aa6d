/** Shared pieces of the LT/LTA integration tests: the bundled CLI with a rig's environment, and DSS extraction with qpdf. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Rig } from '../../rig';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

export function cliEnv(rig: Rig, dir: string, config?: object): NodeJS.ProcessEnv {
  const home = path.join(dir, `home-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(path.join(home, 'config'), { recursive: true });
  if (config) writeFileSync(path.join(home, 'config', 'config.json'), JSON.stringify({ version: 1, ...config }));
  return {
    ...process.env,
    ...rig.env,
    SIGNET_CONFIG_DIR: path.join(home, 'config'),
    SIGNET_DATA_DIR: path.join(home, 'data'),
    SIGNET_LOG_DIR: path.join(home, 'logs'),
    SIGNET_POLICY_FILE: path.join(home, 'policy.json'),
    SIGNET_SYSTEM_CA_FILE: rig.ca.certPath,
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
    p.stdin.end(stdin);
  });
}

interface QpdfJson {
  qpdf: [{ jsonversion: number }, Record<string, { value?: unknown; stream?: { dict: Record<string, unknown>; data?: string } }>];
}

/** The DSS arrays (Certs, OCSPs, CRLs) as DER, decoded by qpdf (independent of Signet's reader). */
export function dssOf(file: string): { certs: Buffer[]; ocsps: Buffer[]; crls: Buffer[] } {
  const r = spawnSync('qpdf', ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 3) throw new Error(`qpdf --json failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as QpdfJson;
  const objs = j.qpdf[1];
  const trailer = objs.trailer!.value as Record<string, string>;
  const catalog = objs[`obj:${trailer['/Root']}`]!.value as Record<string, unknown>;
  const dssRef = catalog['/DSS'];
  const dss = (typeof dssRef === 'string' ? objs[`obj:${dssRef}`]!.value : dssRef) as Record<string, string[] | undefined>;
  const streams = (key: string) => (dss[key] ?? []).map((ref) => Buffer.from(objs[`obj:${ref}`]!.stream!.data!, 'base64'));
  return { certs: streams('/Certs'), ocsps: streams('/OCSPs'), crls: streams('/CRLs') };
}
