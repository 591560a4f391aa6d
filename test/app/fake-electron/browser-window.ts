/**
 * `BrowserWindow`, its `webContents` and frames.
 * https://www.electronjs.org/docs/latest/api/browser-window — "This module cannot be used until
 * the ready event of the app module is emitted."
 * https://www.electronjs.org/docs/latest/api/web-contents
 * https://www.electronjs.org/docs/latest/api/web-frame-main
 *
 * No page is rendered: loading an app:// URL runs the session's protocol handler (so the response
 * the page would get is real), loading an https:// URL only records it (no network). Page-side
 * actions — a navigation, window.open, a permission check, an IPC message — are started by the
 * smoke test through ./control.ts and reach main exactly as Electron delivers them.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions, HandlerDetails, Rectangle, WebContents, WindowOpenHandlerResponse } from 'electron';
import { makeEvent } from './events';
import type { FakeMenu } from './menu';
import { DOCS, headersOf, journal, requireReady } from './runtime';
import { privilegesOf, sessionFor, type FakeSession } from './session';
import { strict } from './strict';

/** https://www.electronjs.org/docs/latest/api/web-frame-main — the members Signet reads. */
export class FakeFrame {
  constructor(
    public url: string,
    readonly parent: FakeFrame | null,
  ) {}

  get top(): FakeFrame {
    return this.parent ? this.parent.top : this;
  }

  /** A registered standard scheme has a tuple origin; any other custom scheme an opaque one. */
  get origin(): string {
    try {
      const u = new URL(this.url);
      const scheme = u.protocol.replace(/:$/, '');
      if (scheme === 'https' || scheme === 'http' || privilegesOf(scheme)?.standard) return `${u.protocol}//${u.host}`;
    } catch {
      // fall through
    }
    return 'null';
  }
}

let nextWebContentsId = 1;
let nextWindowId = 1;

type WebContentsMembers = 'send' | 'getURL' | 'setWindowOpenHandler' | 'isDestroyed' | 'id';

export class FakeWebContents extends EventEmitter implements Pick<WebContents, WebContentsMembers> {
  readonly id = nextWebContentsId++;
  readonly mainFrame: FakeFrame = strict(new FakeFrame('', null), 'webContents.mainFrame');
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  private destroyed = false;

  constructor(
    readonly session: FakeSession,
    readonly windowId: number,
  ) {
    super();
  }

  /** https://www.electronjs.org/docs/latest/api/web-contents#contentsgeturl */
  getURL(): string {
    return this.mainFrame.url;
  }

  /** https://www.electronjs.org/docs/latest/api/web-contents#contentsisdestroyed */
  isDestroyed(): boolean {
    return this.destroyed;
  }

  markDestroyed(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }

  /**
   * https://www.electronjs.org/docs/latest/api/web-contents#contentssendchannel-args — "Send an
   * asynchronous message to the renderer process via channel … serialized with the Structured
   * Clone Algorithm". Recorded in the journal (the renderer's side of the channel).
   */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    journal({ t: 'send', windowId: this.windowId, channel, payload: structuredClone(args[0]) });
  }

  /** https://www.electronjs.org/docs/latest/api/web-contents#contentssetwindowopenhandlerhandler */
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  /**
   * https://www.electronjs.org/docs/latest/api/web-contents#contentsloadurlurl-options — "Returns
   * Promise<void> - the promise will resolve when the page has finished loading (see
   * did-finish-load), and rejects if the page fails to load (see did-fail-load)". Not announced by
   * will-navigate ("not emitted … programmatically with APIs like webContents.loadURL").
   */
  async loadURL(url: string): Promise<void> {
    const scheme = new URL(url).protocol;
    if (scheme !== 'https:' && scheme !== 'http:') {
      const response = await this.session.protocol.fetch(url);
      const headers = headersOf(response);
      journal({ t: 'load', windowId: this.windowId, url, status: response.status, headers });
      if (response.status !== 200) {
        this.emit('did-fail-load', makeEvent(), -6, 'ERR_FILE_NOT_FOUND', url, true);
        throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
      }
    } else {
      journal({ t: 'load', windowId: this.windowId, url, status: 0, headers: {} });
    }
    this.mainFrame.url = url;
    this.emit('did-navigate', makeEvent(), url, 200, 'OK');
    this.emit('dom-ready');
    this.emit('did-finish-load');
  }

  /**
   * A navigation the page starts. https://www.electronjs.org/docs/latest/api/web-contents —
   * Event 'will-frame-navigate' ("when a user or the page wants to start navigation in any
   * frame"), then for the main frame Event 'will-navigate'; preventDefault() on either cancels it.
   */
  navigate(url: string, isMainFrame: boolean): boolean {
    const frame = isMainFrame ? this.mainFrame : new FakeFrame(url, this.mainFrame);
    const details = { url, isMainFrame, isSameDocument: false, frame, initiator: this.mainFrame };
    const frameEvent = makeEvent(details);
    this.emit('will-frame-navigate', frameEvent);
    if (frameEvent.defaultPrevented) return false;
    if (isMainFrame) {
      const navEvent = makeEvent(details);
      this.emit('will-navigate', navEvent, url, false, true, 1, 1);
      if (navEvent.defaultPrevented) return false;
      this.mainFrame.url = url;
      this.emit('did-navigate', makeEvent(), url, 200, 'OK');
    }
    return true;
  }

  /** Event 'will-redirect': "Calling event.preventDefault() will prevent the navigation (not just the redirect)". */
  redirect(url: string): boolean {
    const event = makeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame, initiator: this.mainFrame });
    this.emit('will-redirect', event, url, false, true, 1, 1);
    if (event.defaultPrevented) return false;
    this.mainFrame.url = url;
    this.emit('did-navigate', makeEvent(), url, 200, 'OK');
    return true;
  }

  /** window.open from the page: the handler decides; without one Electron opens a new window (allow). */
  windowOpen(url: string): WindowOpenHandlerResponse {
    const details: HandlerDetails = { url, frameName: '', features: '', disposition: 'new-window', referrer: { url: this.getURL(), policy: 'strict-origin-when-cross-origin' } };
    return this.windowOpenHandler ? this.windowOpenHandler(details) : { action: 'allow' };
  }
}

type WindowMembers = 'show' | 'focus' | 'isMinimized' | 'restore' | 'isDestroyed' | 'close' | 'getBounds' | 'setBounds' | 'setTitle' | 'getTitle' | 'id';

const windows: FakeBrowserWindow[] = [];

export class FakeBrowserWindow extends EventEmitter implements Pick<BrowserWindow, WindowMembers> {
  readonly id: number;
  readonly webContents: FakeWebContents;
  menu: FakeMenu | null = null;
  private bounds: Rectangle;
  private title: string;
  private destroyed = false;
  private shown = false;

  /** https://www.electronjs.org/docs/latest/api/browser-window#new-browserwindowoptions */
  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super();
    requireReady('new BrowserWindow()', `${DOCS}/browser-window`);
    this.id = nextWindowId++;
    const partition = options.webPreferences?.partition ?? '';
    this.webContents = strict(new FakeWebContents(sessionFor(partition), this.id), 'webContents');
    this.bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.title = options.title ?? '';
    const self = strict(this, 'BrowserWindow');
    windows.push(self);
    journal({ t: 'window', id: this.id, partition: partition || null });
    // "Emitted when the web page has been rendered (while not being shown)": after the first load.
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
    return self;
  }

  /** https://www.electronjs.org/docs/latest/api/browser-window#browserwindowgetallwindows */
  static getAllWindows(): FakeBrowserWindow[] {
    return windows.filter((w) => !w.destroyed);
  }

  /** https://www.electronjs.org/docs/latest/api/browser-window#browserwindowfromwebcontentswebcontents */
  static fromWebContents(wc: FakeWebContents): FakeBrowserWindow | null {
    return windows.find((w) => w.webContents === wc && !w.destroyed) ?? null;
  }

  static all(): FakeBrowserWindow[] {
    return [...windows];
  }

  static byId(id: number): FakeBrowserWindow | undefined {
    return windows.find((w) => w.id === id);
  }

  /** https://www.electronjs.org/docs/latest/api/browser-window#winloadurlurl-options — "Same as webContents.loadURL". */
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  show(): void {
    this.shown = true;
  }

  focus(): void {}

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  isDestroyed(): boolean {
    return this.destroyed;
  }

  getBounds(): Rectangle {
    return { ...this.bounds };
  }

  setBounds(bounds: Partial<Rectangle>): void {
    this.bounds = { ...this.bounds, ...bounds };
  }

  setTitle(title: string): void {
    this.title = title;
  }

  getTitle(): string {
    return this.title;
  }

  get isShown(): boolean {
    return this.shown;
  }

  /** https://www.electronjs.org/docs/latest/api/browser-window#winsetmenumenu-linux-windows */
  setMenu(menu: FakeMenu | null): void {
    this.menu = menu;
  }

  /**
   * https://www.electronjs.org/docs/latest/api/browser-window#winclose — "Try to close the window.
   * This has the same effect as a user manually clicking the close button." Event 'close' can be
   * prevented; then 'closed' ("you should remove the reference to the window").
   * @returns false when 'close' was prevented.
   */
  close(): boolean {
    if (this.destroyed) return true;
    const event = makeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    return true;
  }

  /** https://www.electronjs.org/docs/latest/api/browser-window#windestroy — no 'close', but 'closed'. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.markDestroyed();
    this.emit('closed');
  }
}
