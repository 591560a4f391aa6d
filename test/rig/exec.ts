// Running the external tools the rig is built on (openssl, softhsm2-util, certutil, gcc, node).
// Every failure carries the command line and the tool's stderr, because a provisioning error
// seen from a test three layers up is useless without them.
import { execFileSync, spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  /** Extra environment on top of process.env. */
  env?: NodeJS.ProcessEnv;
  /** Bytes written to stdin (then closed). */
  input?: string | Buffer;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

export class RigCommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`rig: ${command} ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().slice(0, 2000)}`);
    this.name = 'RigCommandError';
  }
}

/** Run a tool asynchronously (several can run at once on the 2 shared cores). */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new RigCommandError(command, args, null, e.message)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else reject(new RigCommandError(command, args, code, stderr));
    });
    // A tool that exits before reading stdin closes the pipe; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Synchronous variant, for the few rig calls whose API is synchronous (nssDb). */
export function runSync(command: string, args: readonly string[], opts: RunOptions = {}): Buffer {
  try {
    return execFileSync(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      input: opts.input ?? '',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { status?: number | null; stderr?: Buffer; message: string };
    throw new RigCommandError(command, args, err.status ?? null, err.stderr?.toString('utf8') ?? err.message);
  }
}

/** A FIFO lock: tools that share a state file (openssl ca's index.txt) must not run at once. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
