/**
 * The fake's end of the control channel: requests from the smoke test (./wire.ts) acted out on
 * the fake Electron objects, the way the page, the user or the OS would cause them.
 */
import net from 'node:net';
import { deserialize, serialize } from 'node:v8';
import type { FakeApp } from './app';
import { FakeBrowserWindow, FakeFrame } from './browser-window';
import { answerNextMessageBox } from './dialog';
import { makeEvent } from './events';
import { invoke } from './ipc-main';
import { getApplicationMenu } from './menu';
import { powerMonitorEmitter } from './power-monitor';
import { headersOf, isReady } from './runtime';
import { sessionFor } from './session';
import { utilities } from './utility-process';
import type { AppState, ControlReply, ControlRequest, FetchResult } from './wire';

function windowById(id: number): FakeBrowserWindow {
  const w = FakeBrowserWindow.byId(id);
  if (!w || w.isDestroyed()) throw new Error(`no open window ${id}`);
  return w;
}

/** Chromium hands the permission handlers the requesting origin as a URL spec ("app://signet/"). */
function originSpec(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/`;
}

async function act(app: FakeApp, r: ControlRequest): Promise<unknown> {
  switch (r.op) {
    case 'ready':
      app.emitReady();
      return null;
    case 'open-file': {
      // https://www.electronjs.org/docs/latest/api/app#event-open-file-macos — "you should call event.preventDefault()".
      const event = makeEvent();
      app.emit('open-file', event, r.path);
      return { prevented: event.defaultPrevented };
    }
    case 'state': {
      const state: AppState = {
        ready: isReady(),
        windows: FakeBrowserWindow.all().map((w) => ({
          id: w.id,
          url: w.webContents.getURL(),
          title: w.getTitle(),
          destroyed: w.isDestroyed(),
          partition: w.webContents.session.partition || null,
          webPreferences: { ...(w.options.webPreferences as Record<string, unknown> | undefined) },
          menu: w.menu ? w.menu.labels() : null,
        })),
        userData: app.getPath('userData'),
        name: app.getName(),
        menu: getApplicationMenu()?.labels() ?? null,
        utilityProcesses: utilities.map((u) => ({ pid: u.pid, serviceName: u.serviceName, state: u.state })),
      };
      return state;
    }
    case 'invoke': {
      const w = windowById(r.sender.windowId);
      const frame = 'subframeUrl' in r.sender ? new FakeFrame(r.sender.subframeUrl, w.webContents.mainFrame) : w.webContents.mainFrame;
      return invoke(r.channel, r.arg, { sender: w.webContents as never, senderFrame: frame as never, frameId: 'subframeUrl' in r.sender ? 2 : 1, processId: 1 });
    }
    case 'fetch': {
      const response = await sessionFor(r.partition ?? '').protocol.fetch(r.url);
      const result: FetchResult = { status: response.status, headers: headersOf(response), body: new Uint8Array(await response.arrayBuffer()) };
      return result;
    }
    case 'navigate':
      return { allowed: windowById(r.windowId).webContents.navigate(r.url, r.isMainFrame) };
    case 'redirect':
      return { allowed: windowById(r.windowId).webContents.redirect(r.url) };
    case 'window-open':
      return windowById(r.windowId).webContents.windowOpen(r.url);
    case 'permission': {
      const w = windowById(r.windowId);
      const ses = w.webContents.session;
      const details = { requestingUrl: r.requestingUrl, isMainFrame: true, embeddingOrigin: originSpec(w.webContents.getURL() || r.requestingUrl) };
      // Without a handler Electron grants (session docs: the handlers decide; default is allow).
      if (r.kind === 'check') return ses.permissionCheck ? ses.permissionCheck(w.webContents as never, r.permission as never, originSpec(r.requestingUrl), details as never) : true;
      if (!ses.permissionRequest) return true;
      return new Promise<boolean>((resolve) => ses.permissionRequest!(w.webContents as never, r.permission as never, resolve, details as never));
    }
    case 'menu-click': {
      const menu = r.windowId !== undefined ? windowById(r.windowId).menu : getApplicationMenu();
      const item = menu?.find(r.labels);
      if (!item?.click) throw new Error(`no menu item with a click handler at ${r.labels.join(' > ')}`);
      const w = r.windowId !== undefined ? windowById(r.windowId) : undefined;
      item.click(item as never, w as never, {} as never);
      return null;
    }
    case 'power':
      powerMonitorEmitter.emit(r.event, makeEvent());
      return null;
    case 'answer-next-message-box':
      answerNextMessageBox(r.response);
      return null;
    case 'utility-fatal': {
      const u = utilities.find((x) => x.pid === r.pid && x.state === 'alive');
      if (!u) throw new Error(`no live utility process ${r.pid}`);
      u.process.fatal();
      return null;
    }
    case 'throw-in-main':
      setImmediate(() => {
        if (r.kind === 'exception') throw new Error(r.message);
        void Promise.reject(new Error(r.message));
      });
      return null;
    case 'select-client-certificate': {
      // https://www.electronjs.org/docs/latest/api/app#event-select-client-certificate — "event.preventDefault()
      // … prevents the application from using the first certificate from the store"; callback(certificate?).
      const w = windowById(r.windowId);
      return new Promise((resolve) => {
        const event = makeEvent();
        app.emit('select-client-certificate', event, w.webContents, r.url, r.certificates, (chosen?: { data: string }) => resolve({ chosen: chosen?.data ?? null }));
        if (!event.defaultPrevented) resolve({ chosen: r.certificates[0]?.data ?? null, default: true });
      });
    }
    case 'close-window':
      return { closed: windowById(r.windowId).close() };
    case 'quit':
      app.quit();
      return null;
    default:
      return r satisfies never;
  }
}

/** Connects to the test's socket and serves its requests (length-prefixed v8 serialization). */
export function startControl(socketPath: string, app: FakeApp): void {
  const socket = net.connect(socketPath);
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  const reply = (id: number, r: ControlReply): void => {
    const body = serialize({ id, ...r });
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    socket.write(Buffer.concat([head, body]));
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
      const len = buffer.readUInt32BE(0);
      const { id, request } = deserialize(buffer.subarray(4, 4 + len)) as { id: number; request: ControlRequest };
      buffer = buffer.subarray(4 + len);
      act(app, request).then(
        (value) => reply(id, { ok: true, value }),
        (e: unknown) => reply(id, { ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
    }
  });
  // The channel must not keep a process alive that Electron would let end (the fake's own keep-alive decides).
  socket.unref();
}
