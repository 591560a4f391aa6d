/**
 * `utilityProcess` — https://www.electronjs.org/docs/latest/api/utility-process — backed by a real
 * Node child process running the same module (dist/host.js), with `process.parentPort` provided by
 * ./parent-port.ts inside the child.
 *
 * - fork: "can only be called after the ready event"; options.env ("Environment key-value pairs.
 *   Default is process.env"), options.stdio, options.serviceName.
 * - postMessage(message): "Send a message to the child process … structured clone" (the child
 *   gets it as a MessageEvent on process.parentPort); here the v8 serializer ('advanced'
 *   serialization), which is the structured clone algorithm too.
 * - Event 'message': "Emitted when the child process sends a message using
 *   process.parentPort.postMessage()".
 * - Event 'exit' (code): "the exit code for the process obtained from waitpid on posix"; a child
 *   ended by a signal reports the signal number, as Chromium's termination status does.
 * - Event 'error' (type 'FatalError', location, report): "Emitted when the child process needs to
 *   terminate due to non continuable error from V8. No matter if you listen to the error event,
 *   the exit event will be emitted after the child process terminates." (@experimental)
 * - kill(): "Terminates the process gracefully. On POSIX, it uses SIGTERM".
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import type { ForkOptions, UtilityProcess } from 'electron';
import { DOCS, journal, requireReady } from './runtime';
import { strict } from './strict';

export interface TrackedUtility {
  pid: number;
  serviceName: string;
  state: 'alive' | 'killed' | 'exited';
  process: FakeUtilityProcess;
}

export const utilities: TrackedUtility[] = [];

export class FakeUtilityProcess extends EventEmitter implements Pick<UtilityProcess, 'postMessage' | 'kill' | 'pid' | 'stdout' | 'stderr'> {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  private readonly tracked: TrackedUtility;

  constructor(
    private readonly child: ChildProcess,
    serviceName: string,
  ) {
    super();
    this.stdout = child.stdout;
    this.stderr = child.stderr;
    this.tracked = { pid: child.pid ?? -1, serviceName, state: 'alive', process: this };
    utilities.push(this.tracked);
    child.on('spawn', () => this.emit('spawn'));
    child.on('message', (m: unknown) => this.emit('message', m));
    child.on('exit', (code, signal) => {
      this.tracked.state = 'exited';
      const exitCode = code ?? (signal ? constants.signals[signal] : 1);
      journal({ t: 'utility-exit', pid: this.tracked.pid, code: exitCode });
      this.emit('exit', exitCode);
    });
  }

  get pid(): number | undefined {
    return this.tracked.state === 'exited' ? undefined : this.child.pid;
  }

  postMessage(message: unknown): void {
    this.child.send(message as never);
  }

  kill(): boolean {
    if (this.tracked.state !== 'alive') return false;
    this.tracked.state = 'killed';
    return this.child.kill('SIGTERM');
  }

  /** A V8 fatal error: 'error' on the next turn (an unhandled 'error' throws into main, as in Electron), then the child dies. */
  fatal(): void {
    setImmediate(() => {
      this.emit('error', 'FatalError', 'fake electron: V8 fatal error injected by the smoke test', '{"header":{}}');
      this.child.kill('SIGKILL');
    });
  }
}

/** The `-r` module that gives the child its process.parentPort (bundled next to the fake's loader). */
let parentPortShim = '';

export function setParentPortShim(file: string): void {
  parentPortShim = file;
}

export const utilityProcessModule = strict(
  {
    /** https://www.electronjs.org/docs/latest/api/utility-process#utilityprocessforkmodulepath-args-options */
    fork(modulePath: string, args: string[] = [], options: ForkOptions = {}): FakeUtilityProcess {
      requireReady('utilityProcess.fork()', `${DOCS}/utility-process`);
      const io = (v: string | undefined): 'pipe' | 'ignore' | 'inherit' => (v === 'pipe' || v === 'ignore' ? v : 'inherit');
      const stdio = Array.isArray(options.stdio) ? options.stdio : [options.stdio, options.stdio, options.stdio];
      const child = fork(modulePath, args, {
        execArgv: ['--require', parentPortShim],
        env: (options.env as NodeJS.ProcessEnv | undefined) ?? process.env,
        stdio: [io(stdio[0] as string | undefined), io(stdio[1] as string | undefined), io(stdio[2] as string | undefined), 'ipc'],
        serialization: 'advanced',
        ...(options.cwd ? { cwd: options.cwd } : {}),
      });
      const serviceName = options.serviceName ?? 'Node Utility Process';
      journal({ t: 'utility-fork', pid: child.pid ?? -1, modulePath, serviceName });
      return strict(new FakeUtilityProcess(child, serviceName), 'UtilityProcess');
    },
  },
  'utilityProcess',
);
