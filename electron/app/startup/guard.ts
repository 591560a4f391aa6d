/**
 * The one start-up guard: whatever stops Signet from starting — an unreadable admin policy, a log
 * folder it cannot write, a missing sandbox, any unexpected exception or rejection before the
 * window is up — ends the same way: the reason and the log path in a native error box, then exit
 * with a non-zero code. Without it, Electron only warns about a rejected promise in main, so the
 * process stayed alive without a window, holding the single-instance lock, and every later launch
 * (a double-clicked PDF included) quit silently.
 *
 * After start-up, an uncaught exception or unhandled rejection in main is logged and shown to the
 * user once (one message box per run, not one per error); Signet keeps running, as Electron's own
 * default handler would, but never silently.
 *
 * No 'electron' import: main.ts hands in the few Electron calls (GuardHost), so this is unit-tested
 * under Node and exercised end to end by the main-process smoke test (test/app/).
 */
import { assertNever } from '../../../native/errors';
import type { Logger } from '../logs/logger';
import { fill, type MainStrings } from '../main-strings';

export type StartupFailure =
  /** The admin policy file exists but cannot be read or parsed: its rules would be lifted. */
  | { kind: 'policy-invalid'; file: string; message: string }
  /** The log folder cannot be created or written. */
  | { kind: 'log-dir-unwritable'; dir: string; message: string }
  /** Chromium was started without its sandbox (`--no-sandbox`, e.g. added by an AppImage's launcher). */
  | { kind: 'no-sandbox'; instructions: string };

export class StartupError extends Error {
  constructor(readonly failure: StartupFailure) {
    super(failure.kind === 'no-sandbox' ? 'started without the Chromium sandbox' : failure.message);
    this.name = 'StartupError';
  }
}

/** The Electron calls the guard needs (main.ts passes the real ones; tests pass their own). */
export interface GuardHost {
  isReady(): boolean;
  whenReady(): Promise<unknown>;
  /** dialog.showErrorBox: modal, returns when dismissed. */
  showErrorBox(title: string, content: string): void;
  /** A non-blocking message box for runtime errors (dialog.showMessageBox). */
  showMessage(title: string, content: string): void;
  /** app.exit(code): no before-quit, no window close handlers. */
  exit(code: number): void;
  /** process.on('uncaughtException' / 'unhandledRejection'). */
  onUncaught(listener: (error: unknown, origin: 'exception' | 'rejection') => void): void;
  /** Where a message goes when no dialog can be shown (stderr). */
  print(line: string): void;
}

/** How long a failure waits for `ready` (a box shown before it goes only to stderr on Linux) and for hosts to close. */
const READY_WAIT_MS = 10_000;
const CLEANUP_WAIT_MS = 3_000;

export class StartupGuard {
  private state: 'starting' | 'running' | 'failed' = 'starting';
  private runtimeErrorShown = false;
  private logger: Logger | null = null;
  private logFile: string | null = null;
  private cleanup: (() => Promise<void>) | null = null;

  constructor(
    private readonly host: GuardHost,
    private readonly strings: () => MainStrings,
    /** The log folder (named in the box even when it could not be written). */
    private readonly logDir: string,
  ) {
    host.onUncaught((error, origin) => this.uncaught(error, origin));
  }

  /** The file log is open: failures are recorded there too. */
  setLogger(logger: Logger, logFile: string): void {
    this.logger = logger;
    this.logFile = logFile;
  }

  /** What to stop before exiting after a failure (token hosts, the web API). */
  setCleanup(cleanup: () => Promise<void>): void {
    this.cleanup = cleanup;
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Run the start-up; any throw or rejection, or an uncaught error before it settles, fails it. */
  run(start: () => Promise<void>): void {
    let started: Promise<void>;
    try {
      started = start();
    } catch (e) {
      void this.fail(e);
      return;
    }
    started.then(
      () => {
        if (this.state === 'starting') this.state = 'running';
      },
      (e: unknown) => void this.fail(e),
    );
  }

  /** Log, explain, exit non-zero. Only the first failure counts. */
  async fail(error: unknown): Promise<void> {
    if (this.state === 'failed') return;
    this.state = 'failed';
    const failure = error instanceof StartupError ? error.failure : null;
    const message = error instanceof Error ? error.message : String(error);
    this.logger?.error('start-up failed', { kind: failure?.kind ?? 'unexpected', message, stack: error instanceof Error ? error.stack : undefined });
    if (this.cleanup) await withTimeout(this.cleanup().catch(() => undefined), CLEANUP_WAIT_MS);
    // A box shown before 'ready' goes to stderr only on Linux (Electron docs, dialog.showErrorBox).
    if (!this.host.isReady()) await withTimeout(this.host.whenReady(), READY_WAIT_MS);
    const s = this.strings();
    const content = `${this.explain(failure, message, s)}\n\n${this.logFile ? fill(s.logAt, { file: this.logFile }) : fill(s.noLog, { dir: this.logDir })}`;
    this.host.print(`${s.startFailedTitle}\n${content}`);
    try {
      this.host.showErrorBox(s.startFailedTitle, content);
    } finally {
      this.host.exit(1);
    }
  }

  private explain(failure: StartupFailure | null, message: string, s: MainStrings): string {
    if (failure === null) return fill(s.startFailed, { message });
    switch (failure.kind) {
      case 'policy-invalid':
        return fill(s.policyInvalid, { file: failure.file, message: failure.message });
      case 'log-dir-unwritable':
        return fill(s.logDirUnwritable, { dir: failure.dir, message: failure.message });
      case 'no-sandbox':
        return `${s.noSandbox}\n\n${failure.instructions}`;
      default:
        return assertNever(failure);
    }
  }

  private uncaught(error: unknown, origin: 'exception' | 'rejection'): void {
    if (this.state === 'starting') {
      void this.fail(error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger?.error('unexpected error in main', { origin, message, stack: error instanceof Error ? error.stack : undefined });
    if (this.state === 'failed' || this.runtimeErrorShown) return;
    this.runtimeErrorShown = true;
    const s = this.strings();
    const where = this.logFile ? fill(s.logAt, { file: this.logFile }) : fill(s.noLog, { dir: this.logDir });
    this.host.print(`${s.runtimeErrorTitle}: ${message}`);
    this.host.showMessage(s.runtimeErrorTitle, `${fill(s.runtimeError, { message })}\n\n${where}`);
  }
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    void p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}
