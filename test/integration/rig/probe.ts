// Test-side driver of p11-probe.mjs: one child process per probe, one JSON line per call.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export type ProbeAnswer = { ok: true; value: unknown } | { ok: false; error: string };

export interface Probe {
  call(op: string, args?: Record<string, unknown>): Promise<ProbeAnswer>;
  /** call() that must succeed; returns the value. */
  ok<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Resolves with the exit code / signal when the child ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ChildProcessWithoutNullStreams;
  kill(): void;
}

export function startProbe(env: Record<string, string>): Probe {
  const child = spawn(process.execPath, [path.join(__dirname, 'p11-probe.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // writes after a crash: the exit handler reports it
  const waiting: ((a: ProbeAnswer) => void)[] = [];
  const lines = readline.createInterface({ input: child.stdout });
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l) as ProbeAnswer));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      // A crashed child answers nothing more: fail the pending calls instead of hanging.
      for (const w of waiting.splice(0)) w({ ok: false, error: `probe exited (code ${code}, signal ${signal}) ${stderr}` });
      resolve({ code, signal });
    });
  });
  const call = (op: string, args: Record<string, unknown> = {}) =>
    new Promise<ProbeAnswer>((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${JSON.stringify({ op, ...args })}\n`);
    });
  return {
    call,
    async ok<T>(op: string, args: Record<string, unknown> = {}) {
      const a = await call(op, args);
      if (!a.ok) throw new Error(`probe ${op} failed: ${a.error}`);
      return a.value as T;
    },
    exited,
    child,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
