/**
 * The host's end of the channel to its client: an Electron utility process has
 * `process.parentPort` (MessagePortMain, structured clone); a Node child started with
 * `child_process.fork` has `process.send` ('advanced' serialization). Same messages either way.
 */
import type { ClientMessage, HostMessage } from '../protocol';

export interface HostTransport {
  send(message: HostMessage): void;
  onMessage(listener: (message: ClientMessage) => void): void;
  /** The client went away: the host should end. */
  onClose(listener: () => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function detectTransport(): HostTransport {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as ClientMessage)),
      // Electron ends a utility process when its parent quits or kills it.
      onClose: () => undefined,
    };
  }
  if (typeof process.send === 'function') {
    return {
      send: (m) => {
        if (process.connected) process.send!(m);
      },
      onMessage: (l) => process.on('message', (m) => l(m as ClientMessage)),
      onClose: (l) => process.on('disconnect', l),
    };
  }
  throw new Error('The Signet token host must be started by Signet (no IPC channel).');
}
