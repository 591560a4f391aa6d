/** Run the real `signet` (node dist/cli.js) as a child process, as users and scripts do. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Fresh SIGNET_* dirs in a temp dir (never the user's real config). */
export function signetEnv(base?: string): Record<string, string> {
  const dir = base ?? mkdtempSync(path.join(tmpdir(), 'signet-cli-'));
  return {
    SIGNET_CONFIG_DIR: path.join(dir, 'config'),
    SIGNET_DATA_DIR: path.join(dir, 'data'),
    SIGNET_LOG_DIR: path.join(dir, 'logs'),
    SIGNET_POLICY_FILE: path.join(dir, 'policy.json'),
  };
}

export function startCli(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, signal, stdout, stderr, json });
    });
  });
  return { child, done };
}

export const runCli = (args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> => startCli(args, opts).done;
