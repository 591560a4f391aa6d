/**
 * Wires the handler table to ipcMain: one `signet:<method>` channel per method (derived from
 * SIGNET_METHODS / PRELOAD_METHODS), each message's sender checked (./sender.ts) before the
 * argument is even parsed, then the shared dispatch (validate → handler → Result).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { err } from '../../../native/errors';
import { channelOf, CHANNEL_PREFIX, PRELOAD_METHODS, SIGNET_METHODS } from '../../api';
import type { HandlerContext } from './context';
import { dispatch } from './dispatch';
import { isTrustedSender } from './sender';

export function registerIpc(ctx: HandlerContext, getWindow: () => BrowserWindow | null, appOrigin: string): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow();
    const frame = event.senderFrame;
    return isTrustedSender(frame && win ? { url: frame.url, isMainWindowTopFrame: frame === win.webContents.mainFrame && event.sender === win.webContents } : null, appOrigin);
  };
  const channels: string[] = [];
  const add = (name: string, preloadOnly: boolean): void => {
    const channel = channelOf(name as keyof typeof SIGNET_METHODS);
    if (!channel.startsWith(CHANNEL_PREFIX)) throw new Error(`channel without prefix: ${channel}`);
    channels.push(channel);
    ipcMain.handle(channel, async (event, arg: unknown) => {
      if (!trusted(event)) {
        ctx.logger.warn('ipc sender refused', { channel, url: event.senderFrame?.url ?? null });
        return err({ code: 'INVALID_INPUT', message: 'Refused: untrusted sender.', retriable: false });
      }
      return dispatch(ctx, name, arg, preloadOnly);
    });
  };
  for (const m of Object.keys(SIGNET_METHODS)) add(m, false);
  for (const m of Object.keys(PRELOAD_METHODS)) add(m, true);
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}
