/**
 * Electron main: lifecycle only. Single instance, the app:// scheme, one hardened window, the IPC
 * table, token hosts in utilityProcesses, the loopback web API, files from the OS (open-with,
 * second instance, command line). Everything with logic lives in plain-Node modules
 * (./ipc/handlers, ./services/create.ts) that the browser harness runs too.
 */
import { app, dialog, Menu, shell, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { channelOf, type SignetEvent, type SignetEvents } from '../api';
import { electronDialogs } from './dialogs';
import { emitOpenedFiles, routeOpenedFiles } from './files/open-with';
import { FileRegistry } from './files/registry';
import { UtilityProcessLauncher } from './host/utility-launcher';
import type { HandlerContext } from './ipc/context';
import { PlanStore } from './ipc/plans';
import { registerIpc } from './ipc/register';
import { createFileLogger } from './logs/logger';
import { buildMenu } from './menu';
import { fill, mainStrings, type MainStrings } from './main-strings';
import { PinBroker } from './pin/pin-broker';
import { registerAppScheme } from './protocol';
import { loadConfig, readPolicy, signetPaths, type SignetConfig } from '../core/config';
import { createAppServices } from './services/create';
import { SettingsStore } from './settings/store';
import { APP_ORIGIN } from './windows/harden';
import { createMainWindow } from './windows/main-window';
import { consentPicker } from './tls/consent-picker';
import { ensureNssModules } from './tls/nss-modules';
import { openPortalWindow } from './tls/portal-window';
import type { CreatedServices } from './services/create';
import type { Logger } from './logs/logger';

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

/**
 * dist/host.js. In a package it stays inside app.asar (utility processes read asar archives), so
 * its `require('pkcs11js')` resolves to the package's node_modules in the asar, and Electron loads
 * pkcs11js's .node binary from app.asar.unpacked (asarUnpack). A host.js copied out of the asar
 * would find no pkcs11js JavaScript next to it.
 */
function hostScript(): string {
  return path.join(__dirname, '..', 'host.js');
}

/** The window icon when running from source on Linux (packages use the desktop entry's icon). */
const devIcon = path.join(__dirname, '..', '..', 'build', 'icons', '512x512.png');

/** Paths on the command line that are files to sign (not switches, not the app itself). */
function filesFromArgv(argv: readonly string[], cwd: string): string[] {
  const args = argv.slice(app.isPackaged ? 1 : 2);
  return args.filter((a) => !a.startsWith('-') && a !== '.').map((a) => path.resolve(cwd, a));
}

async function main(): Promise<void> {
  app.enableSandbox();
  // macOS delivers "open with" before ready; keep them until the window exists.
  const pendingPaths: string[] = [];
  let opener: ((paths: string[]) => void) | null = null;
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    if (opener) opener([filePath]);
    else pendingPaths.push(filePath);
  });

  await app.whenReady();

  // The same per-OS places as the CLI (electron/core/config/paths.ts): settings live in the user's
  // config.json, logs in the per-OS log dir. A damaged policy or config must not stop the app.
  const paths = signetPaths();
  // The admin policy restricts modules, origins and certificates: a policy that cannot be read is
  // never silently dropped (that would lift its rules). Signet stops and says why instead.
  try {
    readPolicy(paths.policyFile);
  } catch (e) {
    const strings = mainStrings('system', app.getLocale());
    dialog.showErrorBox(strings.policyInvalidTitle, fill(strings.policyInvalid, { file: paths.policyFile, message: e instanceof Error ? e.message : String(e) }));
    app.quit();
    return;
  }
  // A damaged user config only costs the user's own settings: defaults are used, and the file is
  // left as it is (saving settings refuses to overwrite it).
  let config: SignetConfig | undefined;
  let configError: string | undefined;
  try {
    config = loadConfig();
  } catch (e) {
    configError = e instanceof Error ? e.message : String(e);
  }
  const logDir = paths.logDir;
  const configDir = paths.configDir;
  const logger = createFileLogger({ dir: logDir, echo: !app.isPackaged });
  if (configError) logger.error('config not loaded', { message: configError });
  logger.info('start', { version: app.getVersion(), platform: process.platform, electron: process.versions.electron });

  let win: BrowserWindow | null = null;
  const getWindow = (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null);
  const emit = <E extends SignetEvent>(event: E, payload: SignetEvents[E]): void => {
    const w = getWindow();
    if (w && w.webContents.getURL().startsWith(APP_ORIGIN)) w.webContents.send(channelOf(event), payload);
  };
  const focusWindow = (): void => {
    const w = getWindow();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
    app.focus({ steal: true });
  };

  const settings = new SettingsStore(paths.userConfigFile, () => config?.policy.webApi?.allowedOrigins ?? []);
  const pins = new PinBroker({
    request: (view) => {
      emit('pin.request', view);
      focusWindow();
    },
    dismiss: (requestId) => emit('pin.dismiss', { requestId }),
  });
  const files = new FileRegistry();
  const services = await createAppServices({
    launcher: new UtilityProcessLauncher(hostScript()),
    pinPrompt: pins,
    logger,
    settings,
    appVersion: app.getVersion(),
    configDir,
    ...(config ? { config } : {}),
    onConsentAttention: focusWindow,
  });

  const ctx: HandlerContext = {
    services,
    files,
    plans: new PlanStore(),
    pins,
    settings,
    dialogs: electronDialogs(getWindow, () => mainStrings(settings.get().language, app.getLocale())),
    shell: { showItemInFolder: (p) => shell.showItemInFolder(p), openPath: (p) => shell.openPath(p) },
    logger,
    appInfo: () => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: `${process.platform} ${process.arch} (${process.getSystemVersion()})`,
      versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node },
      locale: app.getLocale(),
      logDir,
      configDir,
    }),
    emit,
    focusWindow,
    openPortal: async (url) => {
      await ensurePortalModules(services, getWindow, logger, mainStrings(settings.get().language, app.getLocale()));
      openPortalWindow(url, {
        certificates: async () => (await services.tokens.snapshot()).certificates,
        tokens: async () => (await services.tokens.snapshot()).tokens,
        pickCertificate: consentPicker(services.consentBroker),
        pinPrompt: pins,
        focusMain: focusWindow,
      });
    },
  };
  registerIpc(ctx, getWindow, APP_ORIGIN);

  services.tokens.onChange((snapshot) => emit('tokens.changed', snapshot));
  settings.onChange((s) => emit('settings.changed', s));
  services.history.onChange((entries) => emit('history.changed', [...entries]));
  // The window is raised through onConsentAttention only: the consent queue rate-limits it so a
  // page cannot make the window jump (issue 10).
  services.consent?.onRequest((request) => emit('consent.request', request));
  services.consent?.onDismiss((event) => emit('consent.dismiss', event));

  const openPaths = async (paths: string[]): Promise<void> => {
    if (paths.length === 0) return;
    const opened = await routeOpenedFiles(files, paths);
    for (const r of opened.rejected) logger.warn('file not opened', { code: r.error.code });
    emitOpenedFiles(opened, emit);
    focusWindow();
  };

  const strings = (): MainStrings => mainStrings(settings.get().language, app.getLocale());
  const setMenu = (): void => Menu.setApplicationMenu(buildMenu((command) => emit('menu.command', { command }), strings()));
  setMenu();
  settings.onChange(setMenu);
  win = createMainWindow({
    preload: path.join(__dirname, 'preload.js'),
    rendererDir: path.join(__dirname, '..', 'renderer'),
    ...(process.platform === 'linux' && existsSync(devIcon) ? { icon: devIcon } : {}),
  });
  win.webContents.once('did-finish-load', () => {
    opener = (p) => void openPaths(p);
    void openPaths([...pendingPaths.splice(0), ...filesFromArgv(process.argv, process.cwd())]);
    for (const view of pins.open()) emit('pin.request', view);
    for (const view of services.consent?.pending() ?? []) emit('consent.request', view);
  });
  win.on('closed', () => {
    pins.cancelAll();
    win = null;
  });

  app.on('second-instance', (_event, argv, cwd) => {
    focusWindow();
    void openPaths(filesFromArgv(argv, cwd));
  });
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    logger.info('quit');
    void services.close().finally(() => app.exit(0));
  });
}

/**
 * Linux: Chromium's TLS finds client certificates through NSS (sql:$HOME/.pki/nssdb), so Signet's
 * PKCS#11 modules are registered there — only after the user agrees (docs/tls-client-auth.md).
 * Modules that need environment variables (e.g. a SoftHSM2 config) cannot be loaded by NSS and are
 * skipped. Windows and macOS use the OS store: nothing to do.
 */
async function ensurePortalModules(services: CreatedServices, getWindow: () => BrowserWindow | null, logger: Logger, s: MainStrings): Promise<void> {
  if (process.platform !== 'linux') return;
  const modules = services.client.modules.filter((m) => !m.env || Object.keys(m.env).length === 0).map((m) => ({ name: path.basename(m.path), libraryPath: m.path }));
  if (modules.length === 0) return;
  try {
    const r = await ensureNssModules({
      modules,
      confirm: async (missing, dbDir) => {
        const options: Electron.MessageBoxOptions = {
          type: 'question',
          buttons: [s.nssYes, s.nssNo],
          defaultId: 0,
          cancelId: 1,
          message: s.nssMessage,
          detail: fill(s.nssDetail, { modules: missing.map((m) => m.name).join(', '), db: dbDir }),
        };
        const w = getWindow();
        const answer = w ? await dialog.showMessageBox(w, options) : await dialog.showMessageBox(options);
        return answer.response === 0;
      },
    });
    logger.info('nss modules', { registered: r.registered });
  } catch (e) {
    logger.warn('nss modules not registered', { message: e instanceof Error ? e.message : String(e) });
  }
}
