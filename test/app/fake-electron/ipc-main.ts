/**
 * `ipcMain` — https://www.electronjs.org/docs/latest/api/ipc-main. Only invoke/handle is used by
 * Signet. "ipcMain.handle(channel, listener) … If listener returns a Promise, the eventual result
 * of the promise will be returned as a reply to the remote caller"; a second handler for the same
 * channel is an error ("Attempted to register a second handler").
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { strict } from './strict';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

const handlers = new Map<string, Listener>();

const fake: Pick<IpcMain, 'handle' | 'removeHandler'> = {
  /** https://www.electronjs.org/docs/latest/api/ipc-main#ipcmainhandlechannel-listener */
  handle(channel: string, listener: Listener): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
  },
  /** https://www.electronjs.org/docs/latest/api/ipc-main#ipcmainremovehandlerchannel */
  removeHandler(channel: string): void {
    handlers.delete(channel);
  },
};

export const ipcMainModule = strict(fake, 'ipcMain');

/**
 * ipcRenderer.invoke from a frame: the handler gets an IpcMainInvokeEvent
 * (https://www.electronjs.org/docs/latest/api/structures/ipc-main-invoke-event: sender, senderFrame,
 * frameId, processId) and the argument after structured cloning; no handler → an error reply
 * ("No handler registered for …").
 */
export async function invoke(channel: string, arg: unknown, event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame' | 'frameId' | 'processId'>): Promise<unknown> {
  const h = handlers.get(channel);
  if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  return structuredClone(await h(event as IpcMainInvokeEvent, structuredClone(arg)));
}
