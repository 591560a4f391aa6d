/**
 * `app` — https://www.electronjs.org/docs/latest/api/app
 * Only the members Signet's main process uses; each one cites the part of the docs it follows.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App, CommandLine } from 'electron';
import { makeEvent } from './events';
import { DOCS, FakeElectronError, isReady, journal, markReady, requireNotReady, requireReady } from './runtime';
import { SingleInstanceLock, type HandOver } from './single-instance';
import { strict } from './strict';

type AppMembers =
  | 'whenReady'
  | 'isReady'
  | 'quit'
  | 'exit'
  | 'getName'
  | 'getVersion'
  | 'getLocale'
  | 'getPath'
  | 'setPath'
  | 'focus'
  | 'enableSandbox'
  | 'requestSingleInstanceLock'
  | 'setClientCertRequestPasswordHandler'
  | 'isPackaged';

export interface ExitHooks {
  /** Called synchronously before the process exits (journal the utility processes' states). */
  beforeExit(code: number): void;
  /** Windows to close on app.quit(), in order; false when one refused (its 'close' was prevented). */
  closeAllWindows(): boolean;
}

export class FakeApp extends EventEmitter implements Pick<App, AppMembers> {
  private readonly pkg: { name?: string; productName?: string; version?: string };
  private readonly paths = new Map<string, string>();
  private readonly lock = new SingleInstanceLock();
  private readonly handOvers: HandOver[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private quitting = false;
  clientCertPasswordHandler: Parameters<App['setClientCertRequestPasswordHandler']>[0] | null = null;
  /** https://www.electronjs.org/docs/latest/api/command-line — the switches Chromium was started with. */
  readonly commandLine: Pick<CommandLine, 'hasSwitch' | 'getSwitchValue'> = strict(
    {
      hasSwitch: (name: string) => process.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
      getSwitchValue: (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '',
    },
    'app.commandLine',
  );

  constructor(
    /** The folder holding the app's package.json (the repository, or app.asar in a package). */
    appDir: string,
    /** https://www.electronjs.org/docs/latest/api/app#appispackaged */
    readonly isPackaged: boolean,
    private readonly exitHooks: ExitHooks,
  ) {
    super();
    this.pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as typeof this.pkg;
  }

  // --- lifecycle ------------------------------------------------------------------------------

  /** Called by the fake's loader once main's script has run (Event 'ready'; app.whenReady()). */
  emitReady(): void {
    if (isReady()) return;
    markReady();
    journal({ t: 'ready' });
    this.emit('ready', makeEvent(), {});
    for (const w of this.readyWaiters.splice(0)) w();
    for (const h of this.handOvers.splice(0)) this.emitSecondInstance(h);
  }

  /** https://www.electronjs.org/docs/latest/api/app#appwhenready — "fulfilled when Electron is initialized". */
  whenReady(): Promise<void> {
    if (isReady()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** https://www.electronjs.org/docs/latest/api/app#appisready */
  isReady(): boolean {
    return isReady();
  }

  /**
   * https://www.electronjs.org/docs/latest/api/app#appquit — "Try to close all windows. The
   * before-quit event will be emitted first. If all windows are successfully closed, the will-quit
   * event will be emitted and by default the application will terminate." Each of before-quit,
   * a window's close and will-quit can be prevented (Events 'before-quit', 'will-quit'); then
   * 'quit' is emitted with exit code 0. 'window-all-closed' is not emitted on this path.
   */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    setImmediate(() => {
      const before = makeEvent();
      this.emit('before-quit', before);
      if (before.defaultPrevented || !this.exitHooks.closeAllWindows()) {
        this.quitting = false;
        return;
      }
      const will = makeEvent();
      this.emit('will-quit', will);
      if (will.defaultPrevented) {
        this.quitting = false;
        return;
      }
      this.emit('quit', makeEvent(), 0);
      this.exit(0);
    });
  }

  /**
   * https://www.electronjs.org/docs/latest/api/app#appexitexitcode — "Exits immediately with
   * exitCode … the before-quit and will-quit events will not be emitted."
   */
  exit(exitCode = 0): void {
    this.exitHooks.beforeExit(exitCode);
    this.lock.release();
    process.exit(exitCode);
  }

  /** https://www.electronjs.org/docs/latest/api/app#appfocusoptions */
  focus(_options?: { steal: boolean }): void {}

  // --- identity and paths ---------------------------------------------------------------------

  /** https://www.electronjs.org/docs/latest/api/app#appgetname — package.json's productName, else its name. */
  getName(): string {
    return this.pkg.productName ?? this.pkg.name ?? 'Electron';
  }

  /** https://www.electronjs.org/docs/latest/api/app#appgetversion — "The version of the loaded application" (package.json). */
  getVersion(): string {
    return this.pkg.version ?? '0.0.0';
  }

  /** https://www.electronjs.org/docs/latest/api/app#appgetlocale — "must be called after the ready event". */
  getLocale(): string {
    requireReady('app.getLocale()', `${DOCS}/app#appgetlocale`);
    return process.env.FAKE_ELECTRON_LOCALE ?? 'en-US';
  }

  /**
   * https://www.electronjs.org/docs/latest/api/app#appgetpathname — appData: "$XDG_CONFIG_HOME or
   * ~/.config on Linux", "%APPDATA% on Windows", "~/Library/Application Support on macOS";
   * userData: "by default the appData directory appended with your app's name"; sessionData: "by
   * default … the same as userData".
   */
  getPath(name: Parameters<App['getPath']>[0]): string {
    const set = this.paths.get(name);
    if (set) return set;
    switch (name) {
      case 'home':
        return os.homedir();
      case 'temp':
        return os.tmpdir();
      case 'appData':
        if (process.platform === 'win32') return process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming');
        if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support');
        return process.env.XDG_CONFIG_HOME && path.isAbsolute(process.env.XDG_CONFIG_HOME) ? process.env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
      case 'userData':
        return path.join(this.getPath('appData'), this.getName());
      case 'sessionData':
        return this.getPath('userData');
      default:
        throw new FakeElectronError(`app.getPath('${name}') is not faked`);
    }
  }

  /**
   * https://www.electronjs.org/docs/latest/api/app#appsetpathname-path — "If the path specifies a
   * directory that does not exist, an Error is thrown."
   */
  setPath(name: string, p: string): void {
    if (!existsSync(p)) throw new Error(`Failed to set path: ${p} does not exist`);
    this.paths.set(name, p);
    journal({ t: 'set-path', name, path: p });
  }

  // --- behaviour switches ---------------------------------------------------------------------

  /** https://www.electronjs.org/docs/latest/api/app#appenablesandbox — "can only be called before app is ready". */
  enableSandbox(): void {
    requireNotReady('app.enableSandbox()', `${DOCS}/app#appenablesandbox`);
  }

  /** https://www.electronjs.org/docs/latest/api/app#appsetclientcertrequestpasswordhandlerhandler-linux (Linux only). */
  setClientCertRequestPasswordHandler(handler: Parameters<App['setClientCertRequestPasswordHandler']>[0]): void {
    if (process.platform !== 'linux') throw new FakeElectronError('app.setClientCertRequestPasswordHandler is Linux-only');
    this.clientCertPasswordHandler = handler;
  }

  // --- single instance --------------------------------------------------------------------------

  /** See ./single-instance.ts. */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    return this.lock.request(this.getPath('userData'), additionalData, (h) => {
      if (isReady()) this.emitSecondInstance(h);
      else this.handOvers.push(h);
    });
  }

  private emitSecondInstance(h: HandOver): void {
    this.emit('second-instance', makeEvent(), h.argv, h.cwd, h.additionalData);
  }
}
