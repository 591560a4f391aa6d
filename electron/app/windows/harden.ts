/**
 * Every window is hardened here, in one place (style: Signal's handleCommonWindowEvents):
 * secure webPreferences, navigation limited by the window's policy (./navigation.ts: the main
 * window stays on app://signet), no window.open, no webviews, no downloads, and a default-deny
 * permission table.
 */
import type { BrowserWindow, Session, WebPreferences } from 'electron';
import { appOnly, type NavigationPolicy } from './navigation';
import { APP_ORIGIN, safeOrigin } from './origins';

export { APP_HOST, APP_ORIGIN, APP_SCHEME, safeOrigin } from './origins';

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

/**
 * Deny every permission not allowed above, for requests and for checks. `allowedOrigin` is the one
 * origin the table applies to; null denies everything (portal sessions).
 */
export function hardenSession(session: Session, allowedOrigin: string | null = APP_ORIGIN): void {
  const allowed = (origin: string | null, permission: string): boolean => allowedOrigin !== null && origin === allowedOrigin && isPermissionAllowed(permission);
  session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowed(safeOrigin(details.requestingUrl), permission)));
  // Electron passes the origin as a URL spec, with a trailing slash ("app://signet/": its
  // permission manager hands over GURL::spec()), so it is compared as an origin, not as a string.
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allowed(safeOrigin(requestingOrigin), permission));
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

/** Navigation, redirects and sub-frames by `allowNavigation`; no window.open (callers may replace the handler), no webviews. */
export function hardenWindow(win: BrowserWindow, allowNavigation: NavigationPolicy = appOnly): void {
  const wc = win.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (event, url) => {
    if (!allowNavigation(url, true)) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (!allowNavigation(url, event.isMainFrame)) event.preventDefault();
  });
  wc.on('will-frame-navigate', (event) => {
    if (!allowNavigation(event.url, event.isMainFrame)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
}
