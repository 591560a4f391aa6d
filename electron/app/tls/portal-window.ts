/**
 * The in-app TLS client-authentication window: a browser for one portal that asks for a client
 * certificate. It is hardened like every Signet window (../windows/harden.ts) and more: its own
 * in-memory session partition (no cookies shared with anything else), no preload, no Node,
 * sandboxed, every web permission denied, no downloads. Navigation may go to any https page
 * (../windows/navigation.ts: portals bounce through identity providers on other origins); the
 * title always names the origin shown, since the window has no address bar. Links that open a
 * new window go to the user's browser.
 *
 * Electron glue only; the decisions live in client-cert-choice.ts (picker logic) and
 * nss-modules.ts (Linux NSS registration), both tested under Node.
 *
 * Per OS (docs/tls-client-auth.md):
 * - Linux: Chromium's TLS reads client certificates from the NSS db sql:$HOME/.pki/nssdb; Signet
 *   registers its PKCS#11 modules there (with consent). The token PIN request NSS raises is routed
 *   to Signet's PIN dialog by app.setClientCertRequestPasswordHandler.
 * - Windows / macOS: Chromium uses the OS store (CNG/CAPI, Keychain/CryptoTokenKit); a token
 *   shows up there through its vendor minidriver / token extension, and the OS asks for the PIN.
 *   Signet's picker still decides which certificate answers.
 */
import { randomUUID } from 'node:crypto';
import { app, BrowserWindow, shell, type Certificate, type Menu, type Rectangle, type WebContents } from 'electron';
import type { CertificateView } from '../../core/types';
import type { PinPrompt, PinRequest } from '../../core/pin-prompt';
import type { TokenInfo } from '../../../native/types';
import { portalNavigation } from '../windows/navigation';
import { hardenSession, hardenWindow, safeOrigin } from '../windows/harden';
import { ClientCertMemory, chooseClientCertificate } from './client-cert-choice';

export interface PortalWindowDeps {
  /** Current certificates on inserted tokens. */
  certificates(): Promise<CertificateView[]>;
  tokens(): Promise<TokenInfo[]>;
  /** Signet's picker: the consent modal with the candidates (operation 'authenticate'). */
  pickCertificate(origin: string, candidates: CertificateView[]): Promise<string | undefined>;
  /** Signet's PIN dialog (Linux: NSS asks for the token PIN through Electron). */
  pinPrompt: PinPrompt;
  /** Bring Signet's main window forward for the picker / PIN dialog. */
  focusMain(): void;
}

export interface PortalWindowOptions {
  /** The window's own menu bar (Linux, Windows; macOS has one menu for the app). */
  menu?(portal: PortalWindow): Menu | null;
  /** The page moved to another origin. */
  onChange?(): void;
  bounds?: Rectangle;
}

export interface PortalWindow {
  readonly id: string;
  readonly startUrl: string;
  readonly window: BrowserWindow;
  /** The origin of the page shown now. */
  currentOrigin(): string;
  /** Forget the chosen certificates and reopen the start page in a fresh session (a new TLS handshake). */
  switchIdentity(): PortalWindow;
  close(): void;
}

/** Each portal window's certificate choices (per origin), for as long as the window lives. */
const memories = new Map<WebContents, ClientCertMemory>();
let partitionCounter = 0;
let handlersInstalled = false;

function installAppHandlers(deps: PortalWindowDeps): void {
  if (handlersInstalled) return;
  handlersInstalled = true;

  app.on('select-client-certificate', (event, webContents, url, list, callback) => {
    const memory = memories.get(webContents);
    if (!memory) return; // Signet's own windows never do client auth.
    event.preventDefault();
    const origin = safeOrigin(url);
    if (origin === null) return callback();
    deps.focusMain();
    void deps
      .certificates()
      .then((certs) => chooseClientCertificate<Certificate>({ origin, platformList: list, tokenCerts: certs, memory, ask: deps.pickCertificate }))
      .then((chosen) => callback(chosen), () => callback());
  });

  // Linux only (Electron ≥ 20): NSS needs the token's PIN for the key.
  if (process.platform === 'linux') {
    app.setClientCertRequestPasswordHandler(async ({ hostname, tokenName, isRetry }) => {
      const token = (await deps.tokens()).find((t) => t.label === tokenName);
      const request: PinRequest = {
        token: {
          uri: token?.uri ?? '',
          label: tokenName,
          manufacturer: token?.manufacturer ?? '',
          model: token?.model ?? '',
          serial: token?.serial ?? '',
          minPinLength: token?.minPinLength ?? 0,
          maxPinLength: token?.maxPinLength ?? 0,
          pinCountLow: token?.flags.pinCountLow ?? false,
          pinFinalTry: token?.flags.pinFinalTry ?? false,
        },
        kind: 'login',
        // One TLS handshake with this site (the PIN dialog says "Log in to <host>").
        action: { purpose: 'tls', origin: `https://${hostname}` },
        pinPad: token?.flags.protectedAuthPath ?? false,
        timeoutMs: 120_000,
        ...(isRetry ? { previousError: { code: 'PIN_INCORRECT', message: `The PIN for ${tokenName} was not accepted (${hostname}).` } } : {}),
      };
      deps.focusMain();
      const pin = await deps.pinPrompt.askPin(request, new AbortController().signal);
      if (pin === null) return ''; // cancelled: NSS fails the login, the handshake goes on without a key
      // Electron's API takes a JS string, which cannot be wiped; the byte buffer at least is.
      const text = Buffer.from(pin).toString('utf8');
      pin.fill(0);
      return text;
    });
  }
}

export function openPortalWindow(url: string, deps: PortalWindowDeps, opts: PortalWindowOptions = {}): PortalWindow {
  const startOrigin = safeOrigin(url);
  if (startOrigin === null || !url.startsWith('https://')) throw new Error('Portal URLs must be https.');
  installAppHandlers(deps);
  const partition = `signet-tls-${++partitionCounter}`; // no "persist:" prefix: in memory only
  const win = new BrowserWindow({
    width: opts.bounds?.width ?? 1100,
    height: opts.bounds?.height ?? 800,
    ...(opts.bounds ? { x: opts.bounds.x, y: opts.bounds.y } : {}),
    title: `${startOrigin} — Signet`,
    // SECURE_WEB_PREFERENCES (windows/harden.ts) written out, so static checkers (Electronegativity) see them here.
    webPreferences: {
      partition,
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
  const wc = win.webContents;
  hardenSession(wc.session, null);
  hardenWindow(win, portalNavigation);
  // Links that open a window go to the user's browser (https only), never inside Signet.
  wc.setWindowOpenHandler(({ url: target }) => {
    if (target.startsWith('https://')) void shell.openExternal(target);
    return { action: 'deny' };
  });
  memories.set(wc, new ClientCertMemory());

  let origin = startOrigin;
  // No address bar: the title says which site this is, whatever the page calls itself.
  const showOrigin = (pageTitle?: string): void => win.setTitle(pageTitle ? `${pageTitle} — ${origin} — Signet` : `${origin} — Signet`);
  wc.on('did-navigate', (_event, to) => {
    origin = safeOrigin(to) ?? origin;
    showOrigin();
    opts.onChange?.();
  });
  win.on('page-title-updated', (event, title) => {
    event.preventDefault();
    showOrigin(title);
  });
  win.on('closed', () => memories.delete(wc));

  const portal: PortalWindow = {
    id: randomUUID(),
    startUrl: url,
    window: win,
    currentOrigin: () => origin,
    switchIdentity: () => {
      const bounds = win.getBounds();
      win.close();
      return openPortalWindow(url, deps, { ...opts, bounds });
    },
    close: () => win.close(),
  };
  const menu = opts.menu?.(portal);
  if (menu !== undefined) win.setMenu(menu);
  // A page that fails to load shows Chromium's error page in the window; it is not an error in Signet.
  win.loadURL(url).catch(() => undefined);
  return portal;
}
