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

/**
 * The environment for a child: ours plus `extra`, without NODE_EXTRA_CA_CERTS, which makes every
 * Node child parse the system CA bundle at start (~0.1 s each) for TLS it never does.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/**
 * Run a tool asynchronously (several can run at once on the 2 shared cores). `input` may be a
 * promise: the tool then starts at once and gets its stdin when it settles (the SoftHSM2 worker
 * loads while the certificates are still being issued); a rejected input kills it.
 */
export function run(
  command: string,
  args: readonly string[],
  opts: Omit<RunOptions, 'input'> & { input?: RunOptions['input'] | Promise<string | Buffer> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    };
    const child = spawn(command, args, { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => fail(new RigCommandError(command, args, null, e.message)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) fail(new RigCommandError(command, args, code, stderr));
      else if (!settled) {
        settled = true;
        resolve({ stdout: Buffer.concat(out), stderr });
      }
    });
    // A tool that exits before reading stdin closes the pipe; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    Promise.resolve(opts.input ?? '').then(
      (data) => child.stdin.end(data),
      (e: unknown) => {
        fail(e instanceof Error ? e : new Error(String(e)));
        child.kill('SIGKILL');
      },
    );
  });
}

/** Synchronous variant, for the few rig calls whose API is synchronous (nssDb). */
export function runSync(command: string, args: readonly string[], opts: RunOptions = {}): Buffer {
  try {
    return execFileSync(command, args, {
      cwd: opts.cwd,
      env: childEnv(opts.env),
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
