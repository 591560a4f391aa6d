/** The one main window: hardened, loading only app://signet/index.html. */
import { BrowserWindow, session as electronSession } from 'electron';
import path from 'node:path';
import { serveRenderer } from '../protocol';
import { APP_ORIGIN, hardenSession, hardenWindow } from './harden';

export function createMainWindow(opts: { preload: string; rendererDir: string; icon?: string }): BrowserWindow {
  const ses = electronSession.defaultSession;
  hardenSession(ses);
  serveRenderer(ses, opts.rendererDir);
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    title: 'Signet',
    backgroundColor: '#f5f6f8',
    ...(opts.icon ? { icon: opts.icon } : {}),
    // SECURE_WEB_PREFERENCES (harden.ts), written out for static checkers.
    webPreferences: {
      preload: path.resolve(opts.preload),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWindow(win);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
