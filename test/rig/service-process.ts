// Starting a rig service (service-main.ts) as a child process. The entry is bundled with esbuild
// once per test process (Node 20 runs no TypeScript), written next to the service's files and
// run with the same Node.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { childEnv } from './exec';
import type { OcspOptions } from './ocsp-handlers';
import type { TsaOptions } from './tsa-handler';

export type ServiceConfig =
  | { kind: 'ocsp'; caDir: string; workDir: string; options: OcspOptions }
  | { kind: 'crl'; caDir: string }
  | { kind: 'tsa'; dir: string; options: TsaOptions };

export interface ServiceProcess {
  /** Base URL, http://127.0.0.1:PORT */
  url: string;
  /** Ends the process. The signal is sent synchronously; the promise waits for the exit. */
  stop(): Promise<void>;
}

let bundle: Promise<string> | undefined;

function serviceBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(__dirname, 'service-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((r) => {
    const out = r.outputFiles[0];
    if (out === undefined) throw new Error('rig: esbuild produced no service bundle');
    return out.text;
  });
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

/** How long a service may take to print its URL (2 shared cores, cold start). */
const START_TIMEOUT_MS = 30_000;

export async function startServiceProcess(config: ServiceConfig, dir: string): Promise<ServiceProcess> {
  const script = path.join(dir, `service-${config.kind}-${process.hrtime.bigint()}.cjs`);
  fs.writeFileSync(script, await serviceBundle());
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rig: ${config.kind} service did not start: ${stderr}`)), START_TIMEOUT_MS);
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (l) => {
      clearTimeout(timer);
      lines.close();
      resolve(l.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rig: ${config.kind} service exited (${code}): ${stderr}`));
    });
  }).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  // A test that forgets stop() must not keep its worker alive: the child then ends with it
  // (its stdin closes when this process exits).
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopped ??= (() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        return exited;
      })();
      return stopped;
    },
  };
}
