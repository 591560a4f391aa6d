/**
 * Every window is hardened here, in one place (style: Signal's handleCommonWindowEvents):
 * secure webPreferences, no navigation away from the app,
 * no window.open (Signet's pages link nowhere outside), and a default-deny permission table.
 */
import type { BrowserWindow, Session, WebPreferences } from 'electron';

/** The app's own origin: the renderer is served from app://signet/ only. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'signet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The webPreferences every Signet window uses. Each `new BrowserWindow` spells them out literally
 * (main-window.ts, tls/portal-window.ts) so static checkers such as Electronegativity see them at
 * the constructor; test/unit/app/secure-preferences.test.ts keeps those literals equal to this.
 */
export const SECURE_WEB_PREFERENCES = {
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
} as const satisfies WebPreferences;

/**
 * Permission table: everything is denied unless listed with a reason. Signet needs none of the
 * web platform's powerful features: it reads cards through the token host, not WebUSB/WebHID.
 */
const PERMISSIONS: Record<string, { allow: boolean; why: string }> = {
  'clipboard-sanitized-write': { allow: true, why: 'copy a fingerprint or the diagnostics text (write only, sanitised)' },
  'clipboard-read': { allow: false, why: 'never read the user’s clipboard' },
  media: { allow: false, why: 'no camera or microphone' },
  geolocation: { allow: false, why: 'no location' },
  notifications: { allow: false, why: 'status is shown in the window' },
  'display-capture': { allow: false, why: 'no screen capture' },
  fullscreen: { allow: false, why: 'not a media app' },
  hid: { allow: false, why: 'tokens are reached through PKCS#11 in the token host, never WebHID' },
  usb: { allow: false, why: 'same: no WebUSB' },
  serial: { allow: false, why: 'no Web Serial' },
  openExternal: { allow: false, why: 'Signet pages link nowhere outside the app' },
  pointerLock: { allow: false, why: 'not needed' },
  midi: { allow: false, why: 'not needed' },
  midiSysex: { allow: false, why: 'not needed' },
  'idle-detection': { allow: false, why: 'not needed' },
  'window-management': { allow: false, why: 'not needed' },
  'storage-access': { allow: false, why: 'no third-party content' },
};

export function isPermissionAllowed(permission: string): boolean {
  return PERMISSIONS[permission]?.allow === true;
}

/** Deny every permission not allowed above, for requests and for checks. */
export function hardenSession(session: Session, allowedOrigin: string = APP_ORIGIN): void {
  session.setPermissionRequestHandler((wc, permission, callback, details) => {
    const origin = safeOrigin(details.requestingUrl);
    callback(origin === allowedOrigin && isPermissionAllowed(permission));
  });
  // Electron passes the origin as a URL spec, with a trailing slash ("app://signet/": its
  // permission manager hands over GURL::spec()), so it is compared as an origin, not as a string.
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => safeOrigin(requestingOrigin) === allowedOrigin && isPermissionAllowed(permission));
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

export function hardenWindow(win: BrowserWindow, allowedOrigin: string = APP_ORIGIN): void {
  const wc = win.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  const blockNavigation = (event: Electron.Event, url: string): void => {
    if (safeOrigin(url) !== allowedOrigin) event.preventDefault();
  };
  wc.on('will-navigate', blockNavigation);
  wc.on('will-redirect', blockNavigation);
  wc.on('will-frame-navigate', (event) => {
    if (safeOrigin(event.url) !== allowedOrigin) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

export function safeOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}
