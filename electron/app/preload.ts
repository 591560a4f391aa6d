/**
 * The preload: one object on `window.signet` through contextBridge, built by a loop over the
 * method and event lists of ../api.ts (no channel name written twice). `call` refuses names that
 * are not public methods; dropped files become paths with webUtils.getPathForFile (which only
 * knows real File objects from a drop or an <input>), sent on the preload-only channel.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channelOf, isSignetEvent, isSignetMethod, type SignetApi } from '../api';

const api: SignetApi = {
  call(method: string, ...arg: unknown[]) {
    if (!isSignetMethod(method)) return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown method.', retriable: false } });
    return ipcRenderer.invoke(channelOf(method), arg[0]);
  },
  on(event: string, listener: (payload: never) => void) {
    if (!isSignetEvent(event)) throw new Error(`Unknown event: ${event}`);
    const channel = channelOf(event);
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  filesFromDrop(files) {
    const paths = [...files].map((f) => webUtils.getPathForFile(f as File)).filter((p) => p.length > 0);
    if (paths.length === 0) return Promise.resolve({ ok: false, error: { code: 'FILE_UNREADABLE', message: 'Only files can be dropped here.', retriable: true } });
    return ipcRenderer.invoke(channelOf('files.dropped'), { paths });
  },
} as SignetApi;

contextBridge.exposeInMainWorld('signet', Object.freeze(api));
