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
import { HostProcessBase } from '../../../native/host-process-base';
import type { HostLauncher, HostProcess } from '../../../native/launcher';
import type { ClientMessage } from '../../../native/protocol';
import type { Logger } from '../logs/logger';

class UtilityHostProcess extends HostProcessBase {
  constructor(
    private readonly proc: UtilityProcess,
    name: string,
    logger: Logger | undefined,
  ) {
    super(proc);
    proc.on('exit', (code) => this.finish({ code, signal: null }));
    // A V8 fatal error in the host. Without a listener Node's EventEmitter throws 'error' into main
    // ("A JavaScript error occurred in the main process"). Electron emits 'exit' afterwards
    // whether or not this is handled (docs: utility-process.md, Event 'error'), and the client
    // restarts the host from there. The diagnostic report is not logged: it holds the environment.
    proc.on('error', (type, location) => logger?.error('token host fatal error', { module: name, type, location }));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  send(message: ClientMessage): void {
    if (this.exited) throw new Error('host process is not running');
    this.proc.postMessage(message);
  }

  kill(): void {
    if (!this.exited) this.proc.kill();
  }
}

export class UtilityProcessLauncher implements HostLauncher {
  /** @param hostScript dist/host.js (inside app.asar in a package; see build/electron-builder.yml). */
  constructor(
    private readonly hostScript: string = path.join(__dirname, '..', 'host.js'),
    private readonly logger?: Logger,
  ) {}

  launch(name: string): HostProcess {
    const child = utilityProcess.fork(this.hostScript, [], {
      serviceName: `Signet token host (${name})`,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: hostEnvironment(process.env),
    });
    return new UtilityHostProcess(child, name, this.logger);
  }
}
