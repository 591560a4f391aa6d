/**
 * The client side of one token-host process (one PKCS#11 module): start it lazily, load the
 * module, send typed requests with a timeout each, and supervise it. A host that crashes or
 * does not answer in time is killed; the call in flight gets MODULE_CRASHED / TIMEOUT and the
 * next call starts a fresh host. Logins do not survive a restart (the new process has none, and
 * no PIN is kept to redo them).
 *
 * Pipelining (issue 13 item 8): requests are posted at once; those naming a token queue in the
 * host (native/protocol.ts tokenQueueOf, host/queue.ts), so the host has the next one when the
 * token finishes the current one. This side mirrors each token's queue (the channel keeps
 * order) only to time requests fairly: a request's timeout runs from when the token starts on
 * it — when every request posted before it on that token has been answered — not from posting,
 * so a long batch on a slow card does not time out while it waits. Cancelling (`signal`) a
 * request releases its caller at once and asks the host to withdraw it: still queued, it never
 * reaches the token; already started, it runs to its end (the token stays busy until then). A
 * crash or timeout fails every request in flight, queued ones included, with MODULE_CRASHED.
 */
import { SignetError, type ErrorInfo } from './errors';
import type { HostLauncher, HostProcess } from './launcher';
import { nullLogger, type Logger } from './log';
import { PROTOCOL_VERSION, tokenQueueOf, type HostMessage, type HostMethod, type HostParams, type HostResult } from './protocol';
import type { ModuleInfo, ModuleSpec, SlotEvent } from './types';

/** How long an idle host may take to finalise its module when the client closes, before it is killed. */
const SHUTDOWN_GRACE_MS = 2000;

export interface CallOptions {
  timeoutMs: number;
  /** Stop waiting; a request still queued in the host is withdrawn there and never runs. */
  signal?: AbortSignal;
  /** The call blocks inside the module (PIN pad): on abort once it has started, kill the host to end it. */
  killOnAbort?: boolean;
}

interface Pending {
  method: HostMethod;
  resolve: (v: unknown) => void;
  reject: (e: SignetError) => void;
  timeoutMs: number;
  /** Runs while the token (or, for requests naming none, the host) works on the request. */
  timer: NodeJS.Timeout | undefined;
  /** The token queue it waits in (undefined: runs at once in the host). */
  queue: string | undefined;
  /** The caller was answered already (cancelled); the entry stays until the host answers. */
  settled: boolean;
  unlisten?: () => void;
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
  /** Mirror of the host's per-token queues: ids in posting order, the first one running. */
  private readonly queues = new Map<string, number[]>();
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
    const queue = tokenQueueOf(params);
    return new Promise<HostResult<M>>((resolve, reject) => {
      const p: Pending = { method, resolve: resolve as (v: unknown) => void, reject, timeoutMs: opts.timeoutMs, timer: undefined, queue, settled: false };
      this.pending.set(id, p);
      try {
        proc.send({ kind: 'request', id, method, params });
      } catch (e) {
        this.pending.delete(id);
        reject(new SignetError('MODULE_CRASHED', 'The token host stopped before the request could be sent.', { cause: e }));
        return;
      } finally {
        wipe?.();
      }
      if (queue === undefined) {
        this.startTimer(id, p);
      } else {
        const q = this.queues.get(queue);
        if (q) q.push(id);
        else {
          this.queues.set(queue, [id]);
          this.startTimer(id, p);
        }
      }
      const signal = opts.signal;
      if (signal) {
        const onAbort = (): void => this.abandon(id, proc, opts.killOnAbort === true);
        signal.addEventListener('abort', onAbort, { once: true });
        p.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
    });
  }

  private startTimer(id: number, p: Pending): void {
    p.timer = setTimeout(() => this.onTimeout(id), p.timeoutMs);
  }

  /** The token started on this request: every request posted before it on the token was answered. */
  private running(id: number, p: Pending): boolean {
    return p.queue === undefined || this.queues.get(p.queue)?.[0] === id;
  }

  /** The caller gave up on request `id`: answer it now, and withdraw it in the host (or end a blocking PIN-pad call). */
  private abandon(id: number, proc: HostProcess, killOnAbort: boolean): void {
    const p = this.pending.get(id);
    if (!p || p.settled) return;
    if (killOnAbort && this.running(id, p)) {
      // C_Login on a PIN pad cannot be interrupted: end the process that is blocked in it.
      this.settle(id, p);
      p.reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
      this.restart(new SignetError('MODULE_CRASHED', 'The token host was restarted to cancel a PIN-pad login.'));
      return;
    }
    // The entry stays until the host answers (withdrawn, or finished if it had started): the
    // token is busy until then, and the next request's timeout starts only then.
    p.settled = true;
    p.unlisten?.();
    p.reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
    try {
      proc.send({ kind: 'cancel', id });
    } catch {
      // The host is gone; its exit fails the entry.
    }
  }

  /** Forget request `id`; the next request on its token starts now. */
  private settle(id: number, p: Pending): void {
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.unlisten?.();
    if (p.queue === undefined) return;
    const q = this.queues.get(p.queue);
    if (!q) return;
    const wasFirst = q[0] === id;
    const i = q.indexOf(id);
    if (i >= 0) q.splice(i, 1);
    if (q.length === 0) {
      this.queues.delete(p.queue);
      return;
    }
    const head = q[0]!;
    const next = this.pending.get(head);
    if (wasFirst && next && next.timer === undefined) this.startTimer(head, next);
  }

  private onMessage(generation: number, m: HostMessage): void {
    if (generation !== this.generation) return;
    switch (m.kind) {
      case 'batch':
        for (const one of m.messages) this.onMessage(generation, one);
        return;
      case 'response': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.settle(m.id, p);
        if (p.settled) return;
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
    this.settle(id, p);
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
    const all = [...this.pending.values()];
    this.pending.clear();
    this.queues.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.unlisten?.();
      p.reject(error);
    }
  }
}
