/**
 * Loaded with `--require` into each utility child (./utility-process.ts): `process.parentPort`
 * as in an Electron utility process (https://www.electronjs.org/docs/latest/api/parent-port):
 * Event 'message' with a MessageEvent `{ data, ports }`; postMessage(message). Messages cross
 * the Node IPC channel with 'advanced' (structured clone) serialization.
 */
import { EventEmitter } from 'node:events';


const port = new EventEmitter() as EventEmitter & { postMessage(message: unknown): void };
port.postMessage = (message: unknown) => {
  if (process.connected) process.send?.(message);
};
process.on('message', (data: unknown) => port.emit('message', { data, ports: [] }));
// A utility process does not outlive the app; without the channel nothing can reach this one.
process.on('disconnect', () => process.exit(0));
(process as unknown as { parentPort: typeof port }).parentPort = port;
