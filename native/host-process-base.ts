/**
 * What every HostProcess (native/launcher.ts) does the same way, whatever starts it (Node fork,
 * Electron utilityProcess): filter incoming messages to the protocol, report the exit exactly
 * once (late listeners included), and split the host's stderr into lines.
 */
import type { HostExit, HostProcess } from './launcher';
import { isHostMessage, type ClientMessage, type HostMessage } from './protocol';

/** The part of a child process object this needs: its 'message' event and its stderr. */
export interface ChildLike {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  readonly stderr?: NodeJS.ReadableStream | null;
}

export abstract class HostProcessBase implements HostProcess {
  private exitInfo: HostExit | null = null;
  private readonly exitListeners: ((e: HostExit) => void)[] = [];

  protected constructor(private readonly child: ChildLike) {}

  abstract readonly pid: number | undefined;
  abstract send(message: ClientMessage): void;
  abstract kill(): void;

  protected get exited(): boolean {
    return this.exitInfo !== null;
  }

  onMessage(listener: (message: HostMessage) => void): void {
    this.child.on('message', (m: unknown) => {
      if (isHostMessage(m)) listener(m);
    });
  }

  onExit(listener: (exit: HostExit) => void): void {
    if (this.exitInfo) listener(this.exitInfo);
    else this.exitListeners.push(listener);
  }

  onStderr(listener: (line: string) => void): void {
    const stderr = this.child.stderr;
    if (!stderr) return;
    let pending = '';
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        listener(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
  }

  /** Record the exit once and tell every listener. */
  protected finish(exit: HostExit): void {
    if (this.exitInfo) return;
    this.exitInfo = exit;
    for (const l of this.exitListeners.splice(0)) l(exit);
  }
}
