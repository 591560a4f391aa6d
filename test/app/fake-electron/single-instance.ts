/**
 * app.requestSingleInstanceLock / app 'second-instance', between real processes.
 * https://www.electronjs.org/docs/latest/api/app#apprequestsingleinstancelockadditionaldata
 * https://www.electronjs.org/docs/latest/api/app#event-second-instance
 *
 * Like Chromium's process singleton, the lock lives in the user-data folder as it is when the lock
 * is requested (a later app.setPath('userData') does not move it). The primary holds
 * `SingletonLock` (its pid); a second instance drops `{argv, cwd, additionalData}` into the
 * primary's inbox and gets `false`; the primary emits 'second-instance' for it — never before
 * 'ready' ("guaranteed to be emitted after the ready event").
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { journal } from './runtime';

export interface HandOver {
  argv: string[];
  cwd: string;
  additionalData: unknown;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class SingleInstanceLock {
  private watcher: FSWatcher | null = null;
  private lockFile: string | null = null;

  /** true: this process is the primary instance. */
  request(userData: string, additionalData: unknown, deliver: (h: HandOver) => void): boolean {
    mkdirSync(userData, { recursive: true });
    const lockFile = path.join(userData, 'SingletonLock');
    const inbox = path.join(userData, 'SingletonInbox');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
        this.lockFile = lockFile;
        mkdirSync(inbox, { recursive: true });
        this.watchInbox(inbox, deliver);
        journal({ t: 'lock', primary: true, userData });
        return true;
      } catch {
        const holder = Number(readFileSync(lockFile, 'utf8'));
        if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) break;
        rmSync(lockFile, { force: true }); // stale: its process is gone
      }
    }
    mkdirSync(inbox, { recursive: true });
    const message: HandOver = { argv: [...process.argv], cwd: process.cwd(), additionalData: additionalData ?? null };
    const tmp = path.join(inbox, `.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(message));
    renameSync(tmp, path.join(inbox, `${process.pid}-${Date.now()}.json`));
    journal({ t: 'lock', primary: false, userData });
    journal({ t: 'handed-over', ...message });
    return false;
  }

  /** Released when the process ends (Electron: app.releaseSingleInstanceLock, or exit). */
  release(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    this.lockFile = null;
  }

  private watchInbox(inbox: string, deliver: (h: HandOver) => void): void {
    const drain = (): void => {
      let names: string[];
      try {
        names = readdirSync(inbox).filter((n) => n.endsWith('.json')).sort();
      } catch {
        return;
      }
      for (const n of names) {
        const file = path.join(inbox, n);
        if (!existsSync(file)) continue;
        let h: HandOver;
        try {
          h = JSON.parse(readFileSync(file, 'utf8')) as HandOver;
        } finally {
          rmSync(file, { force: true });
        }
        deliver(h);
      }
    };
    this.watcher = watch(inbox, drain);
    drain();
  }
}
