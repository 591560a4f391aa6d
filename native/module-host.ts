/**
 * The client side of one token-host process (one PKCS#11 module): start it lazily, load the
 * module, send typed requests with a timeout each, and supervise it. A host that crashes or
 * does not answer in time is killed; the call in flight gets MODULE_CRASHED / TIMEOUT and the
 * next call starts a fresh host. Logins do not survive a restart (the new process has none, and
 * no PIN is kept to redo them).
 */
import { SignetError, type ErrorInfo } from './errors';
import type { HostLauncher, HostProcess } from './launcher';
import { nullLogger, type Logger } from './log';
import { PROTOCOL_VERSION, type HostMessage, type HostMethod, type HostParams, type HostResult } from './protocol';
import type { ModuleInfo, ModuleSpec, SlotEvent } from './types';

/** How long an idle host may take to finalise its module when the client closes, before it is killed. */
const SHUTDOWN_GRACE_MS = 2000;

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The call blocks inside the module (PIN pad): on abort, kill the host to end it. */
  killOnAbort?: boolean;
}

interface Pending {
  method: HostMethod;
  resolve: (v: unknown) => void;
  reject: (e: SignetError) => void;
  timer: NodeJS.Timeout;
}

type State =
  | { kind: 'idle' }
  | { kind: 'running'; proc: HostProcess; init: Promise<ModuleInfo>; generation: number }
  | { kind: 'failed'; error: ErrorInfo };

export class ModuleHost {
  private state: State = { kind: 'idle' };
  private nextId = 1;
  private generation = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly slotListeners = new Set<(e: SlotEvent) => void>();
  private info: ModuleInfo | undefined;
  private watchIntervalMs = 0;
  private closed = false;

  constructor(
    readonly spec: ModuleSpec,
    private readonly launcher: HostLauncher,
    private readonly defaults: { callTimeoutMs: number; initTimeoutMs: number },
    private readonly logger: Logger = nullLogger,
  ) {}

  get path(): string {
    return this.spec.path;
  }

  /** Start the host and load the module (idempotent). A module that fails to load stays failed. */
  ensure(): Promise<ModuleInfo> {
    if (this.closed) return Promise.reject(new SignetError('INTERNAL', 'The token client is closed.'));
    if (this.state.kind === 'failed') return Promise.reject(SignetError.fromInfo(this.state.error));
    if (this.state.kind === 'running') return this.state.init;
    return this.start().init;
  }

  /** The module's CK_INFO once loaded. */
  get moduleInfo(): ModuleInfo | undefined {
    return this.info;
  }

  get loadError(): ErrorInfo | undefined {
    return this.state.kind === 'failed' ? this.state.error : undefined;
  }

  async call<M extends HostMethod>(method: M, params: HostParams<M>, opts?: Partial<CallOptions>): Promise<HostResult<M>> {
    await this.ensure();
    return this.send(method, params, { timeoutMs: opts?.timeoutMs ?? this.defaults.callTimeoutMs, ...opts });
  }

  /**
   * Post a request that carries secrets: `wipe` runs right after the message is serialised,
   * whatever happens next (the caller's PIN buffer must not outlive the post).
   */
  async callWithSecret<M extends HostMethod>(method: M, params: HostParams<M>, wipe: () => void, opts?: Partial<CallOptions>): Promise<HostResult<M>> {
    try {
      await this.ensure();
    } catch (e) {
      wipe();
      throw e;
    }
    return this.send(method, params, { timeoutMs: opts?.timeoutMs ?? this.defaults.callTimeoutMs, ...opts }, wipe);
  }

  onSlotEvent(listener: (e: SlotEvent) => void): () => void {
    this.slotListeners.add(listener);
    return () => this.slotListeners.delete(listener);
  }

  /** Start/stop slot polling in the host; kept across host restarts. */
  async watch(intervalMs: number): Promise<void> {
    this.watchIntervalMs = intervalMs;
    if (intervalMs === 0 && this.state.kind !== 'running') return;
    await this.call('slots.watch', { intervalMs });
  }

  /** Kill the host (e.g. to cancel a PIN-pad login); the next call starts a new one. */
  restart(reason: SignetError): void {
    if (this.state.kind !== 'running') return;
    const { proc } = this.state;
    this.failAll(reason);
    this.state = { kind: 'idle' };
    proc.kill();
  }

  close(): void {
    this.closed = true;
    this.watchIntervalMs = 0;
    if (this.state.kind === 'running') {
      const { proc } = this.state;
      // An idle host ends cleanly (C_Finalize, launcher.ts shutdown); one still busy in the module
      // is killed: finalising under a running call is undefined behaviour in PKCS#11.
      const idle = this.pending.size === 0;
      this.failAll(new SignetError('INTERNAL', 'The token client was closed.'));
      this.state = { kind: 'idle' };
      if (idle && proc.shutdown) {
        proc.shutdown();
        setTimeout(() => proc.kill(), SHUTDOWN_GRACE_MS).unref();
      } else {
        proc.kill();
      }
    }
  }

  // -------------------------------------------------------------------------------------------

  private start(): Extract<State, { kind: 'running' }> {
    const name = this.spec.path.split(/[\\/]/).pop() ?? this.spec.path;
    const proc = this.launcher.launch(name);
    const generation = ++this.generation;
    proc.onMessage((m) => this.onMessage(generation, m));
    proc.onExit((exit) => this.onExit(generation, exit));
    proc.onStderr?.((line) => this.logger.log('warn', 'token host stderr', { module: this.spec.path, line }));
    const init = this.send(
      'module.init',
      { path: this.spec.path, env: this.spec.env ?? {} },
      { timeoutMs: this.defaults.initTimeoutMs },
      undefined,
      proc,
    ).then(
      (r) => {
        this.info = r.info;
        if (this.watchIntervalMs > 0) {
          void this.send('slots.watch', { intervalMs: this.watchIntervalMs }, { timeoutMs: this.defaults.callTimeoutMs }).catch(() => undefined);
        }
        return r.info;
      },
      (e: SignetError) => {
        // A module that cannot load (or crashes while loading) will not do better next time.
        const error: ErrorInfo =
          e.code === 'MODULE_LOAD_FAILED'
            ? e.toInfo()
            : { code: 'MODULE_LOAD_FAILED', message: `The PKCS#11 module could not be loaded: ${e.message}`, retriable: false, details: { cause: e.code } };
        if (this.state.kind === 'running' && this.state.generation === generation) {
          this.state = { kind: 'failed', error };
          proc.kill();
        }
        throw SignetError.fromInfo(error);
      },
    );
    init.catch(() => undefined);
    const running = { kind: 'running' as const, proc, init, generation };
    this.state = running;
    return running;
  }

  private send<M extends HostMethod>(method: M, params: HostParams<M>, opts: CallOptions, wipe?: () => void, procOverride?: HostProcess): Promise<HostResult<M>> {
    const proc = procOverride ?? (this.state.kind === 'running' ? this.state.proc : undefined);
    if (!proc) {
      wipe?.();
      return Promise.reject(new SignetError('MODULE_CRASHED', 'The token host is not running.'));
    }
    if (opts.signal?.aborted) {
      wipe?.();
      return Promise.reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
    }
    const id = this.nextId++;
    return new Promise<HostResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => this.onTimeout(id), opts.timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        proc.send({ kind: 'request', id, method, params });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new SignetError('MODULE_CRASHED', 'The token host stopped before the request could be sent.', { cause: e }));
        return;
      } finally {
        wipe?.();
      }
      // Only blocking calls (PIN pad) are ended by abort here; for the others the caller stops
      // waiting (client.ts) while the host finishes and the token lock is held until it has.
      const signal = opts.signal;
      if (signal && opts.killOnAbort) {
        const onAbort = (): void => {
          const p = this.pending.get(id);
          if (!p) return;
          // C_Login on a PIN pad cannot be interrupted: end the process that is blocked in it.
          this.pending.delete(id);
          clearTimeout(p.timer);
          p.reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
          this.restart(new SignetError('MODULE_CRASHED', 'The token host was restarted to cancel a PIN-pad login.'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  private onMessage(generation: number, m: HostMessage): void {
    if (generation !== this.generation) return;
    switch (m.kind) {
      case 'response': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.result.ok) p.resolve(m.result.value);
        else p.reject(SignetError.fromInfo(m.result.error));
        return;
      }
      case 'slot-event':
        for (const l of this.slotListeners) l(m.event);
        return;
      case 'log':
        this.logger.log(m.level, m.message, { ...m.fields, module: this.spec.path, source: 'host' });
        return;
      case 'hello':
        // A host bundle from another build would misread our requests: refuse it.
        if (m.protocol !== PROTOCOL_VERSION && this.state.kind === 'running') {
          const error: ErrorInfo = { code: 'MODULE_LOAD_FAILED', message: `The token host speaks protocol ${m.protocol}, this client ${PROTOCOL_VERSION} (mismatched installation).`, retriable: false };
          const { proc } = this.state;
          this.failAll(SignetError.fromInfo(error));
          this.state = { kind: 'failed', error };
          proc.kill();
        }
        return;
    }
  }

  private onTimeout(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.logger.log('warn', 'token host call timed out; restarting the host', { module: this.spec.path, method: p.method });
    p.reject(
      new SignetError('TIMEOUT', `The token did not answer in time (${p.method}). Its host process was restarted.`, {
        details: { module: this.spec.path, method: p.method },
      }),
    );
    this.restart(new SignetError('MODULE_CRASHED', 'The token host was restarted after another call timed out.', { details: { module: this.spec.path } }));
  }

  private onExit(generation: number, exit: { code: number | null; signal: string | null }): void {
    if (generation !== this.generation || this.state.kind !== 'running') return;
    this.logger.log(this.closed ? 'debug' : 'warn', 'token host exited', { module: this.spec.path, code: exit.code ?? -1, signal: exit.signal ?? '' });
    this.state = { kind: 'idle' };
    this.failAll(
      new SignetError('MODULE_CRASHED', `The PKCS#11 module crashed${exit.signal ? ` (${exit.signal})` : ''}; it will be restarted on the next request.`, {
        details: { module: this.spec.path, ...(exit.signal ? { signal: exit.signal } : {}), ...(exit.code !== null ? { exitCode: exit.code } : {}) },
      }),
    );
    // Keep slot events flowing for subscribers: bring a watched module back soon.
    if (this.watchIntervalMs > 0 && !this.closed) {
      setTimeout(() => {
        if (this.state.kind === 'idle' && this.watchIntervalMs > 0 && !this.closed) void this.ensure().catch(() => undefined);
      }, 250).unref();
    }
  }

  private failAll(error: SignetError): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}
