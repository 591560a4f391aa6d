/**
 * The in-app TLS client-authentication window: opens a portal URL that asks for a client
 * certificate, in a window of its own that is hardened like every Signet window (harden.ts) and
 * more: its own in-memory session partition (no cookies shared with anything else), no preload,
 * no Node, sandboxed, navigation limited to the portal's origin, every permission denied.
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
import { app, BrowserWindow, shell, type Certificate, type WebContents } from 'electron';
import type { CertificateView } from '../../core/types';
import type { PinPrompt, PinRequest } from '../../core/pin-prompt';
import type { TokenInfo } from '../../../native/types';
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

export interface PortalWindow {
  window: BrowserWindow;
  /** Forget the chosen certificate and reopen the portal in a fresh session (new TLS handshake). */
  switchIdentity(): PortalWindow;
  close(): void;
}

const memory = new ClientCertMemory();
const portals = new Set<WebContents>();
let partitionCounter = 0;
let handlersInstalled = false;

function installAppHandlers(deps: PortalWindowDeps): void {
  if (handlersInstalled) return;
  handlersInstalled = true;

  app.on('select-client-certificate', (event, webContents, url, list, callback) => {
    if (!portals.has(webContents)) return; // Signet's own windows never do client auth.
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

export function openPortalWindow(url: string, deps: PortalWindowDeps): PortalWindow {
  const origin = safeOrigin(url);
  if (origin === null || !url.startsWith('https://')) throw new Error('Portal URLs must be https.');
  installAppHandlers(deps);
  const partition = `signet-tls-${++partitionCounter}`; // no "persist:" prefix: in memory only
  const win = new BrowserWindow({
    width: 1100,
    height: 800,
    title: `Signet — ${origin}`,
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
  hardenSession(win.webContents.session, origin);
  hardenWindow(win, origin);
  // Links to other sites open in the user's browser (https only), never inside this window.
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (target.startsWith('https://')) void shell.openExternal(target);
    return { action: 'deny' };
  });
  portals.add(win.webContents);
  const wc = win.webContents;
  win.on('closed', () => portals.delete(wc));
  void win.loadURL(url);
  const handle: PortalWindow = {
    window: win,
    switchIdentity: () => {
      memory.forget(origin);
      const bounds = win.getBounds();
      win.close();
      const next = openPortalWindow(url, deps);
      next.window.setBounds(bounds);
      return next;
    },
    close: () => win.close(),
  };
  return handle;
}
