/**
 * Electron main: the order of start-up, in one place. Everything with logic lives in plain-Node
 * modules (./ipc/handlers, ./services/create.ts, ./startup/*) that the browser harness and the
 * main-process smoke test (test/app/) run too.
 *
 * 0. When this file loads: no core dump of main (native/hardening.ts: RLIMIT_CORE 0, not
 *    dumpable, WER exclusion) — the PIN dialog's answer passes through this process. Logged once
 *    the log is open; a process that could not harden itself still starts and says so.
 * 1. Before anything can fail: the start-up guard (./startup/guard.ts: any failure → error box
 *    with the reason and the log path → exit code 1; later errors → logged, shown once).
 * 2. Before `ready`: the app:// scheme, Chromium's profile folder (not Signet's config folder), the
 *    renderer sandbox, the single-instance lock, and the handlers for files arriving from outside
 *    (`open-file`, `second-instance`) — those files wait in the LaunchInbox until the window shows them.
 * 3. After `ready`: policy, log, settings, services (token hosts in utilityProcesses, the web API),
 *    IPC, menu, the window.
 */
import { app, dialog, Menu, powerMonitor, shell, type BrowserWindow } from 'electron';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { channelOf, type SignetEvent, type SignetEvents } from '../api';
import { loadConfig, readPolicy, signetPaths, type SignetConfig, type SignetPaths } from '../core/config';
import { hardenProcess } from '../../native/hardening';
import { electronDialogs } from './dialogs';
import { emitOpenedFiles, routeOpenedFiles } from './files/open-with';
import { FileRegistry } from './files/registry';
import { UtilityProcessLauncher } from './host/utility-launcher';
import type { HandlerContext } from './ipc/context';
import { PlanStore } from './ipc/plans';
import { registerIpc } from './ipc/register';
import { createFileLogger, openLogFile } from './logs/logger';
import { buildMenu } from './menu';
import { mainStrings, type MainStrings } from './main-strings';
import { PinBroker } from './pin/pin-broker';
import { registerAppScheme } from './protocol';
import { createAppServices } from './services/create';
import { SettingsStore } from './settings/store';
import { filesFromArgv, filesFromSecondInstance } from './startup/argv';
import { StartupError, StartupGuard } from './startup/guard';
import { LaunchInbox } from './startup/launch-inbox';
import { APPIMAGE_PROFILE_NAME, appImageProfile, noSandboxInstructions, startedWithoutSandbox } from './startup/sandbox';
import { PortalManager } from './tls/portal-manager';
import { APP_ORIGIN } from './windows/harden';
import { createMainWindow } from './windows/main-window';

const hardening = hardenProcess();
const paths = signetPaths();
const inbox = new LaunchInbox();
let language = 'system';
let win: BrowserWindow | null = null;

const strings = (): MainStrings => mainStrings(language, app.isReady() ? app.getLocale() : '');
const getWindow = (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null);
const focusWindow = (): void => {
  const w = getWindow();
  if (!w) return;
  if (w.isMinimized()) w.restore();
  w.show();
  w.focus();
  app.focus({ steal: true });
};

const guard = new StartupGuard(
  {
    isReady: () => app.isReady(),
    whenReady: () => app.whenReady(),
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    showMessage: (title, content) => {
      const w = getWindow();
      const options: Electron.MessageBoxOptions = { type: 'error', title, message: title, detail: content, buttons: ['OK'] };
      void (w ? dialog.showMessageBox(w, options) : dialog.showMessageBox(options)).catch(() => undefined);
    },
    exit: (code) => app.exit(code),
    onUncaught: (listener) => {
      process.on('uncaughtException', (e) => listener(e, 'exception'));
      process.on('unhandledRejection', (e) => listener(e, 'rejection'));
    },
    print: (line) => process.stderr.write(`${line}\n`),
  },
  strings,
  paths.logDir,
);

guard.run(async () => {
  registerAppScheme();
  // Chromium's profile (caches, local storage, the single-instance lock) gets a folder of its own:
  // by default it would be appData/<app name>, which is Signet's config folder on every OS
  // (case-insensitively on Windows and macOS). Set before the lock and before 'ready'; setPath
  // throws for a folder that does not exist (Electron docs, app.setPath).
  const profileDir = path.join(app.getPath('appData'), process.platform === 'linux' ? 'signet-desktop' : 'Signet Desktop');
  mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  app.setPath('userData', profileDir);
  app.enableSandbox();

  const ownFiles = filesFromArgv(process.argv, process.cwd(), app.isPackaged);
  if (!app.requestSingleInstanceLock({ files: ownFiles })) {
    // The first instance got our files (additionalData) and shows them.
    app.quit();
    return;
  }
  app.on('open-file', (event, filePath) => {
    // macOS "Open with" / Dock drop, possibly before 'ready'.
    event.preventDefault();
    inbox.add([filePath]);
  });
  app.on('second-instance', (_event, argv, cwd, additionalData) => {
    inbox.add(filesFromSecondInstance(argv, cwd, additionalData, app.isPackaged));
    focusWindow();
  });
  app.on('window-all-closed', () => app.quit());
  inbox.add(ownFiles);

  if (process.platform === 'linux' && startedWithoutSandbox(process.argv, (s) => app.commandLine.hasSwitch(s))) {
    throw new StartupError({ kind: 'no-sandbox', instructions: noSandboxInstructions({ appImage: process.env.APPIMAGE, profileFile: writeAppImageProfile(paths) }) });
  }

  await app.whenReady();
  // A failure while waiting (an uncaught error) is already being reported: start nothing more.
  if (guard.failed) return;
  await start(paths);
});

/** After 'ready': everything that needs the policy, the log, the settings and the services. */
async function start(paths: SignetPaths): Promise<void> {
  let logFile: string;
  try {
    logFile = openLogFile(paths.logDir);
  } catch (e) {
    throw new StartupError({ kind: 'log-dir-unwritable', dir: paths.logDir, message: e instanceof Error ? e.message : String(e) });
  }
  const logger = createFileLogger({ dir: paths.logDir, echo: !app.isPackaged });
  guard.setLogger(logger, logFile);
  logger.info('start', { version: app.getVersion(), platform: process.platform, electron: process.versions.electron, packaged: app.isPackaged });
  logger.info('process hardening', { applied: hardening.applied.join(',') });
  for (const problem of hardening.problems) logger.warn('process hardening incomplete', { problem });

  // The admin policy restricts modules, origins and certificates: a policy that cannot be read is
  // never silently dropped (that would lift its rules).
  try {
    readPolicy(paths.policyFile);
  } catch (e) {
    throw new StartupError({ kind: 'policy-invalid', file: paths.policyFile, message: e instanceof Error ? e.message : String(e) });
  }

  // A damaged user config only costs the user's own settings: defaults are used, and the file is
  // left as it is (saving settings refuses to overwrite it).
  let config: SignetConfig | undefined;
  try {
    config = loadConfig();
  } catch (e) {
    logger.error('config not loaded', { message: e instanceof Error ? e.message : String(e) });
  }

  const emit = <E extends SignetEvent>(event: E, payload: SignetEvents[E]): void => {
    const w = getWindow();
    if (w && w.webContents.getURL().startsWith(APP_ORIGIN)) w.webContents.send(channelOf(event), payload);
  };

  const settings = new SettingsStore(paths.userConfigFile, () => config?.policy.webApi?.allowedOrigins ?? []);
  language = settings.get().language;
  settings.onChange((s) => {
    language = s.language;
  });
  const pins = new PinBroker({
    request: (view) => {
      emit('pin.request', view);
      focusWindow();
    },
    dismiss: (requestId) => emit('pin.dismiss', { requestId }),
  });
  const files = new FileRegistry();
  const services = await createAppServices({
    launcher: new UtilityProcessLauncher(path.join(__dirname, '..', 'host.js'), logger),
    pinPrompt: pins,
    logger,
    settings,
    appVersion: app.getVersion(),
    configDir: paths.configDir,
    ...(config ? { config } : {}),
    onConsentAttention: focusWindow,
  });
  guard.setCleanup(() => services.close());
  // A screen lock or a suspend ends any cached signing login (issue 8 §1): whoever comes back to
  // the machine types the PIN again. (Quitting: services.close(); card removal: services/create.)
  const lockTokens = (event: string) => (): void => {
    logger.info('locking tokens', { event });
    void services.keySigner.lock().catch(() => undefined);
  };
  powerMonitor.on('lock-screen', lockTokens('lock-screen'));
  powerMonitor.on('suspend', lockTokens('suspend'));

  const portals = new PortalManager({
    services,
    pins,
    logger,
    strings,
    getMainWindow: getWindow,
    focusMain: focusWindow,
    onChange: (list) => emit('tls.changed', { portals: list }),
  });
  const ctx: HandlerContext = {
    services,
    files,
    plans: new PlanStore(),
    pins,
    settings,
    dialogs: electronDialogs(getWindow, strings),
    shell: { showItemInFolder: (p) => shell.showItemInFolder(p), openPath: (p) => shell.openPath(p) },
    logger,
    appInfo: () => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: `${process.platform} ${process.arch} (${process.getSystemVersion()})`,
      versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node },
      locale: app.getLocale(),
      logDir: paths.logDir,
      configDir: paths.configDir,
    }),
    emit,
    focusWindow,
    openPortal: (url) => portals.open(url),
    portals,
  };
  registerIpc(ctx, getWindow, APP_ORIGIN);

  services.tokens.onChange((snapshot) => emit('tokens.changed', snapshot));
  services.pinCache?.onUnlockedChange((unlocked) => emit('tokens.unlocked', unlocked));
  settings.onChange((s) => emit('settings.changed', s));
  services.history.onChange((entries) => emit('history.changed', [...entries]));
  // The window is raised through onConsentAttention only: the consent queue rate-limits it so a
  // page cannot make the window jump (issue 10).
  services.consent?.onRequest((request) => emit('consent.request', request));
  services.consent?.onDismiss((event) => emit('consent.dismiss', event));

  const openPaths = async (list: string[]): Promise<void> => {
    const opened = await routeOpenedFiles(files, list);
    for (const r of opened.rejected) logger.warn('file not opened', { code: r.error.code });
    emitOpenedFiles(opened, emit);
    focusWindow();
  };

  const setMenu = (): void => Menu.setApplicationMenu(buildMenu((command) => emit('menu.command', { command }), strings()));
  setMenu();
  settings.onChange(setMenu);

  const devIcon = path.join(__dirname, '..', '..', 'build', 'icons', '512x512.png');
  win = createMainWindow({
    preload: path.join(__dirname, 'preload.js'),
    rendererDir: path.join(__dirname, '..', 'renderer'),
    // From source on Linux; packages use the desktop entry's icon.
    ...(process.platform === 'linux' && existsSync(devIcon) ? { icon: devIcon } : {}),
  });
  win.webContents.once('did-finish-load', () => {
    inbox.open((list) => void openPaths(list));
    for (const view of pins.open()) emit('pin.request', view);
    for (const view of services.consent?.pending() ?? []) emit('consent.request', view);
  });
  win.on('closed', () => {
    inbox.close();
    pins.cancelAll();
    win = null;
  });

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    logger.info('quit');
    portals.closeAll();
    void services.close().finally(() => app.exit(0));
  });
}

/** The AppArmor profile for this AppImage, written where the user can install it from (see ./startup/sandbox.ts). */
function writeAppImageProfile(p: SignetPaths): string | null {
  const appImage = process.env.APPIMAGE;
  const profile = appImage ? appImageProfile(appImage) : null;
  if (!profile) return null;
  try {
    const dir = path.join(p.dataDir, 'apparmor');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, APPIMAGE_PROFILE_NAME);
    writeFileSync(file, profile, { mode: 0o644 });
    return file;
  } catch {
    return null;
  }
}
