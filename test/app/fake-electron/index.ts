/**
 * The fake `electron` module for the main-process smoke test, loaded with `node --require` before
 * Signet's built dist/app/main.js. It makes `require('electron')` return a typed fake of exactly the
 * APIs main uses (each file cites the Electron documentation it follows; anything else throws,
 * ./strict.ts), gives the process what Electron's main process has (process.type, versions,
 * getSystemVersion, the app's argv), keeps it alive like Electron (only app.quit/app.exit end it),
 * emits 'ready' after main's script has run, and serves the test's control requests.
 *
 * Environment (set by test/app/support/launch.ts):
 *   FAKE_ELECTRON_APP_DIR    folder of the app's package.json (repository or app.asar)
 *   FAKE_ELECTRON_PACKAGED   "1" for the packaged layout (app.isPackaged)
 *   FAKE_ELECTRON_ARGV       JSON: the process.argv Electron would give main
 *   FAKE_ELECTRON_JOURNAL    file the journal is appended to
 *   FAKE_ELECTRON_CONTROL    Unix socket of the test's control server (optional)
 *   FAKE_ELECTRON_HOLD_READY "1": emit 'ready' only when the test says so
 */
import Module from 'node:module';
import { isMainThread } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import { FakeApp } from './app';
import { FakeBrowserWindow } from './browser-window';
import { startControl } from './control';
import { dialogModule } from './dialog';
import { ipcMainModule } from './ipc-main';
import { MenuModule } from './menu';
import { powerMonitorModule } from './power-monitor';
import { journal } from './runtime';
import { protocolModule, sessionModule } from './session';
import { shellModule } from './shell';
import { strict } from './strict';
import { setParentPortShim, utilities, utilityProcessModule } from './utility-process';

/**
 * Worker threads of main (the web API's) get this --require too, but Electron's main-process
 * modules exist only on the main thread: the fake installs itself there alone.
 */
if (isMainThread) install();

function install(): void {
  const env = process.env;
  const appDir = env.FAKE_ELECTRON_APP_DIR ?? process.cwd();
  const packaged = env.FAKE_ELECTRON_PACKAGED === '1';
  const electronVersion = env.FAKE_ELECTRON_VERSION ?? '0.0.0';

  setParentPortShim(path.join(__dirname, 'parent-port.js'));

  // What Electron's main process has that Node's does not (https://www.electronjs.org/docs/latest/api/process).
  if (env.FAKE_ELECTRON_ARGV) process.argv = JSON.parse(env.FAKE_ELECTRON_ARGV) as string[];
  Object.assign(process.versions, { electron: electronVersion, chrome: 'fake' });
  Object.assign(process, {
    type: 'browser',
    getSystemVersion: () => os.release(),
    ...(packaged ? { resourcesPath: path.dirname(appDir) } : {}),
  });

  let exitJournaled = false;
  const journalExit = (code: number): void => {
    if (exitJournaled) return;
    exitJournaled = true;
    journal({ t: 'exit', code, utilityProcesses: utilities.map((u) => ({ pid: u.pid, state: u.state })) });
  };

  const app = new FakeApp(appDir, packaged, {
    beforeExit: journalExit,
    closeAllWindows: () => FakeBrowserWindow.getAllWindows().every((w) => w.close()),
  });
  process.on('exit', (code) => journalExit(code));

  const electron = strict(
    {
      app: strict(app, 'app'),
      BrowserWindow: strict(FakeBrowserWindow, 'BrowserWindow'),
      protocol: protocolModule,
      session: sessionModule,
      ipcMain: ipcMainModule,
      utilityProcess: utilityProcessModule,
      dialog: dialogModule,
      Menu: MenuModule,
      shell: shellModule,
      get powerMonitor() {
        return powerMonitorModule;
      },
    },
    'electron',
  );

  // Electron's main process lives until app.quit()/app.exit(), whatever its event loop holds: a
  // start-up that hangs must hang here too (the test then fails on its time limit).
  setInterval(() => undefined, 1 << 30);

  let readyScheduled = false;
  interface LoaderInternals {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
  }
  const M = Module as unknown as LoaderInternals;
  const load = M._load.bind(Module);
  M._load = (request, parent, isMain) => {
    if (request !== 'electron') return load(request, parent, isMain);
    if (!readyScheduled) {
      readyScheduled = true;
      // 'ready' comes after the main script has run synchronously (and its pre-ready calls were made).
      if (env.FAKE_ELECTRON_HOLD_READY !== '1') setImmediate(() => app.emitReady());
    }
    return electron;
  };

  journal({ t: 'loaded', pid: process.pid, packaged });
  if (env.FAKE_ELECTRON_CONTROL) startControl(env.FAKE_ELECTRON_CONTROL, app);
}
