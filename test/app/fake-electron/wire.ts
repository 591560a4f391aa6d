/**
 * What the smoke test and the fake `electron` module (running inside the app's main process) say
 * to each other. Requests go over a Unix socket (length-prefixed v8 serialization, so values are
 * structured clones like Electron's IPC); events the fake records go to a journal file written
 * synchronously, so the last ones (an error box, the exit) survive `process.exit`.
 */

/** Which of the app's windows a request acts on, and as which frame. */
export type SenderSpec =
  /** The window's own top frame (a trusted sender when it shows app://signet/). */
  | { windowId: number }
  /** A sub-frame of that window with this URL (never trusted). */
  | { windowId: number; subframeUrl: string };

export type ControlRequest =
  /** Emit 'ready' now (launched with holdReady). */
  | { op: 'ready' }
  /** macOS "Open with": app 'open-file'. */
  | { op: 'open-file'; path: string }
  | { op: 'state' }
  /** ipcRenderer.invoke(channel, arg) from this sender. */
  | { op: 'invoke'; channel: string; arg: unknown; sender: SenderSpec }
  /** A GET through a session's protocol handlers (the default session unless partition). */
  | { op: 'fetch'; url: string; partition?: string }
  /** A navigation the page starts (link, form, location=…): will-frame-navigate, then will-navigate for the main frame. */
  | { op: 'navigate'; windowId: number; url: string; isMainFrame: boolean }
  /** A server redirect during a navigation: will-redirect. */
  | { op: 'redirect'; windowId: number; url: string }
  /** window.open(url) from the page. */
  | { op: 'window-open'; windowId: number; url: string }
  /** A permission check (navigator.permissions.query, …) or request, as Chromium makes them. */
  | { op: 'permission'; windowId: number; kind: 'check' | 'request'; permission: string; requestingUrl: string }
  /** Click a menu item: the application menu, or a window's own menu (setMenu). Labels without '&'. */
  | { op: 'menu-click'; labels: string[]; windowId?: number }
  /** powerMonitor events. */
  | { op: 'power'; event: 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' }
  /** The answer the next dialog.showMessageBox gets (default: its cancelId, as if dismissed). */
  | { op: 'answer-next-message-box'; response: number }
  /** A V8 fatal error in a utility process: 'error' then the process ends (Electron docs, UtilityProcess 'error'). */
  | { op: 'utility-fatal'; pid: number }
  /** An exception thrown / a promise rejected in main outside any handler. */
  | { op: 'throw-in-main'; kind: 'exception' | 'rejection'; message: string }
  /** TLS client auth in a window: app 'select-client-certificate' with these certificates (PEM). */
  | { op: 'select-client-certificate'; windowId: number; url: string; certificates: { data: string; subjectName: string; issuerName: string }[] }
  /** The user closes a window (close button). */
  | { op: 'close-window'; windowId: number }
  /** app.quit(), as the menu's Quit does. */
  | { op: 'quit' };

export interface WindowState {
  id: number;
  url: string;
  title: string;
  destroyed: boolean;
  partition: string | null;
  webPreferences: Record<string, unknown>;
  /** Labels of the window's own menu (setMenu), top level. */
  menu: string[] | null;
}

export interface FetchResult {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface AppState {
  ready: boolean;
  windows: WindowState[];
  userData: string;
  name: string;
  /** Top-level labels of the application menu. */
  menu: string[] | null;
  utilityProcesses: { pid: number; serviceName: string; state: 'alive' | 'killed' | 'exited' }[];
}

export type ControlReply = { ok: true; value: unknown } | { ok: false; error: string };

/** One line of the journal. */
export type JournalEntry =
  | { t: 'loaded'; pid: number; packaged: boolean }
  | { t: 'scheme'; scheme: string; privileges: Record<string, boolean> }
  | { t: 'lock'; primary: boolean; userData: string }
  | { t: 'handed-over'; argv: string[]; cwd: string; additionalData: unknown }
  | { t: 'ready' }
  | { t: 'set-path'; name: string; path: string }
  | { t: 'window'; id: number; partition: string | null }
  | { t: 'load'; windowId: number; url: string; status: number; headers: Record<string, string> }
  | { t: 'send'; windowId: number; channel: string; payload: unknown }
  | { t: 'error-box'; title: string; content: string }
  | { t: 'message-box'; options: Record<string, unknown> }
  | { t: 'utility-fork'; pid: number; modulePath: string; serviceName: string }
  | { t: 'utility-exit'; pid: number; code: number }
  | { t: 'open-external'; url: string }
  | { t: 'exit'; code: number; utilityProcesses: { pid: number; state: 'alive' | 'killed' | 'exited' }[] };
