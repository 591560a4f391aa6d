/**
 * HostLauncher for plain Node (CLI, tests, benchmarks): `child_process.fork` of dist/host.js with
 * 'advanced' serialization. The child gets the parent's environment (never a PIN: PINs only travel
 * in request messages) and no execArgv (test runners' loaders must not leak into the host).
 *
 * Core dumps: the child inherits our RLIMIT_CORE and coredump_filter (the CLI sets both to 0
 * before it forks, electron/cli/main.ts), and the host makes itself non-dumpable as its first act
 * (native/host/main.ts → native/hardening.ts) — before it reads any message, so before any PIN.
 */
import { hostEnvironment } from './host-env';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HostProcessBase } from './host-process-base';
import type { HostLauncher, HostProcess } from './launcher';
import type { ClientMessage } from './protocol';

/** dist/host.js next to the running bundle (dist/cli.js), else the repo's dist/ (tests run sources). */
export function defaultHostScript(): string {
  const candidates = [path.join(__dirname, 'host.js'), path.join(__dirname, '..', 'host.js'), path.resolve(__dirname, '..', 'dist', 'host.js'), path.resolve(__dirname, '..', '..', 'dist', 'host.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

class NodeHostProcess extends HostProcessBase {
  constructor(private readonly proc: ChildProcess) {
    super(proc);
    proc.on('exit', (code, signal) => this.finish({ code, signal }));
    proc.on('error', () => this.finish({ code: null, signal: null }));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  send(message: ClientMessage): void {
    if (this.exited || !this.proc.connected) throw new Error('host process is not running');
    this.proc.send(message);
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  /** Close the IPC channel: the host sees 'disconnect', calls C_Finalize and exits (host/main.ts). */
  shutdown(): void {
    if (!this.exited && this.proc.connected) this.proc.disconnect();
  }
}

export interface NodeHostLauncherOptions {
  /** Path of the bundled host (default: defaultHostScript()). */
  hostScript?: string;
  /** Extra environment for every host (tests). Never PINs. */
  env?: Record<string, string>;
  /** Node options for the host (diagnostics, e.g. --cpu-prof); none by default. */
  execArgv?: string[];
  /** Working directory of every host (default: ours). Tests use it to know where a core file would land. */
  cwd?: string;
}

export class NodeHostLauncher implements HostLauncher {
  private readonly warm: HostProcess[] = [];
  private readonly hostScript: string;

  constructor(private readonly options: NodeHostLauncherOptions = {}) {
    this.hostScript = options.hostScript ?? defaultHostScript();
  }

  launch(name: string): HostProcess {
    const warm = this.warm.shift();
    if (warm) return warm;
    return this.spawn(name);
  }

  prewarm(count: number): void {
    while (this.warm.length < count) this.warm.push(this.spawn('prewarmed'));
  }

  dispose(): void {
    for (const p of this.warm.splice(0)) p.kill();
  }

  private spawn(name: string): HostProcess {
    const child = fork(this.hostScript, ['--signet-token-host', name], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: this.options.execArgv ?? [],
      env: hostEnvironment(process.env, this.options.env),
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
    });
    return new NodeHostProcess(child);
  }
}
