/**
 * The app's HostLauncher (native/launcher.ts): each token host runs in an Electron
 * `utilityProcess` (dist/host.js, the same code the CLI and tests fork under Node), so a crashing
 * or hanging vendor module never takes the app down and a PIN-pad login never blocks main.
 * Messages are structured clones (Uint8Arrays cross as such); the host listens on
 * `process.parentPort`. No PIN, module or environment variable is put on the command line.
 */
import { hostEnvironment } from '../../../native/host-env';
import { utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { HostExit, HostLauncher, HostProcess } from '../../../native/launcher';
import { isHostMessage, type ClientMessage, type HostMessage } from '../../../native/protocol';

class UtilityHostProcess implements HostProcess {
  private exited: HostExit | null = null;
  private readonly exitListeners: ((e: HostExit) => void)[] = [];

  constructor(private readonly child: UtilityProcess) {
    child.on('exit', (code) => this.finish({ code, signal: null }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ClientMessage): void {
    if (this.exited) throw new Error('host process is not running');
    this.child.postMessage(message);
  }

  onMessage(listener: (message: HostMessage) => void): void {
    this.child.on('message', (m: unknown) => {
      if (isHostMessage(m)) listener(m);
    });
  }

  onExit(listener: (exit: HostExit) => void): void {
    if (this.exited) listener(this.exited);
    else this.exitListeners.push(listener);
  }

  onStderr(listener: (line: string) => void): void {
    let pending = '';
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        listener(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }

  private finish(exit: HostExit): void {
    if (this.exited) return;
    this.exited = exit;
    for (const l of this.exitListeners.splice(0)) l(exit);
  }
}

export class UtilityProcessLauncher implements HostLauncher {
  /** @param hostScript dist/host.js (unpacked next to the app bundle; see build/electron-builder.yml). */
  constructor(private readonly hostScript: string = path.join(__dirname, '..', 'host.js')) {}

  launch(name: string): HostProcess {
    const child = utilityProcess.fork(this.hostScript, [], {
      serviceName: `Signet token host (${name})`,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: hostEnvironment(process.env),
    });
    return new UtilityHostProcess(child);
  }
}
