/**
 * The consent queue between web requests and the user.
 *
 * - One request is presented at a time (a modal); the others wait in a global FIFO queue of at
 *   most `maxQueue` entries (beyond: refused, `queue-full`).
 * - At most one request per origin is pending (queued or presented): a second one is refused at
 *   once (`consent-pending`), so a page cannot stack prompts. (Origin approvals are shared by the
 *   origin policy instead: a preflight and its request wait for the same answer.)
 * - A presented request times out after `timeoutMs` (default 2 minutes) → USER_CANCELLED; the
 *   timer starts when the user can see it, not while it waits behind others.
 * - When the HTTP client goes away (page closed, SDK timeout) the request leaves the queue
 *   (`signal`), and the UI is told to dismiss it.
 *
 * The UI side (C's renderer, or a test) listens to `request` / `dismiss` and answers with
 * `respond(requestId, decision)` — in the app, the `consent.respond` IPC method calls it.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SignetError, err, ok, type Result } from '../../../native/errors';
import type { ConsentDecision, ConsentRequestView } from '../../api';
import { refusal } from '../errors';
import { originParts } from '../security/origin';

/** What a route asks the user; the broker adds id, origin parts and expiry. */
export type ConsentInput = Omit<ConsentRequestView, 'requestId' | 'originParts' | 'expiresAt'>;

export type DismissReason = 'timeout' | 'cancelled';

export interface ConsentBrokerOptions {
  /** Default 120 000 ms (issue 5). Small in tests. */
  timeoutMs?: number;
  /** Global queue bound (presented + waiting). Default 16. */
  maxQueue?: number;
  /** Called when a request is presented: the app brings its window to the front. */
  onAttention?: (view: ConsentRequestView) => void;
}

export interface ConsentBrokerEvents {
  request: [ConsentRequestView];
  dismiss: [{ requestId: string; reason: DismissReason }];
}

interface Entry {
  input: ConsentInput;
  view?: ConsentRequestView;
  id: string;
  resolve: (d: ConsentDecision) => void;
  reject: (e: SignetError) => void;
  timer?: NodeJS.Timeout;
  cleanup: () => void;
}

export const DEFAULT_CONSENT_TIMEOUT_MS = 120_000;

export class ConsentBroker extends EventEmitter<ConsentBrokerEvents> {
  private readonly queue: Entry[] = [];
  private readonly timeoutMs: number;
  private readonly maxQueue: number;

  constructor(private readonly opts: ConsentBrokerOptions = {}) {
    super();
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS;
    this.maxQueue = opts.maxQueue ?? 16;
  }

  /**
   * Ask the user. Resolves with the decision (approve true/false, validated against the request);
   * rejects with USER_CANCELLED (timeout, client gone) or an immediate refusal (consent-pending,
   * queue-full).
   */
  ask(input: ConsentInput, signal?: AbortSignal): Promise<ConsentDecision> {
    if (signal?.aborted) return Promise.reject(new SignetError('USER_CANCELLED', 'The page went away before you answered.'));
    if (this.queue.some((e) => e.input.origin === input.origin)) {
      return Promise.reject(
        refusal('INVALID_INPUT', 'consent-pending', 'Another request from this site is already waiting for your answer in Signet.', true),
      );
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(refusal('INVALID_INPUT', 'queue-full', 'Signet has too many requests waiting; try again in a moment.', true));
    }
    return new Promise<ConsentDecision>((resolve, reject) => {
      const onAbort = (): void => this.finish(entry, 'cancelled', new SignetError('USER_CANCELLED', 'The page went away before you answered.'));
      const entry: Entry = {
        input,
        id: randomUUID(),
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
      this.presentNext();
    });
  }

  /** The UI's answer. Refuses unknown or not-yet-presented ids and certificates not offered. */
  respond(requestId: string, decision: ConsentDecision): Result<void> {
    const entry = this.queue.find((e) => e.id === requestId && e.view !== undefined);
    if (entry?.view === undefined) return err({ code: 'INVALID_INPUT', message: 'No such consent request (it may have timed out).' });
    const view = entry.view;
    if (decision.approve) {
      const needsPick = view.operation === 'share-certificate' || view.operation === 'authenticate' || view.operation === 'sign-document';
      if (needsPick) {
        const offered = (view.candidates ?? []).some((c) => c.uri === decision.certUri);
        if (!offered) return err({ code: 'INVALID_INPUT', message: 'Pick one of the offered certificates.' });
      } else if (decision.certUri !== undefined && decision.certUri !== view.certificate?.uri) {
        return err({ code: 'INVALID_INPUT', message: 'This request uses a fixed certificate.' });
      }
    }
    this.remove(entry);
    entry.resolve(decision);
    this.presentNext();
    return ok(undefined);
  }

  onRequest(listener: (view: ConsentRequestView) => void): () => void {
    this.on('request', listener);
    return () => this.off('request', listener);
  }

  onDismiss(listener: (event: { requestId: string; reason: DismissReason }) => void): () => void {
    this.on('dismiss', listener);
    return () => this.off('dismiss', listener);
  }

  /** Requests shown to the user now (at most one: the queue presents one at a time), for a window
   *  that opens or reloads while a request waits. */
  pending(): ConsentRequestView[] {
    const v = this.queue[0]?.view;
    return v === undefined ? [] : [v];
  }

  /** The presented request (for a UI that (re)connects). */
  current(): ConsentRequestView | undefined {
    return this.queue[0]?.view;
  }

  /** Number of requests presented or waiting. */
  get size(): number {
    return this.queue.length;
  }

  /** Cancel everything (server shutdown). */
  cancelAll(): void {
    for (const e of [...this.queue]) this.finish(e, 'cancelled', new SignetError('USER_CANCELLED', 'Signet is closing.'));
  }

  private presentNext(): void {
    const head = this.queue[0];
    if (head === undefined || head.view !== undefined) return;
    const view: ConsentRequestView = {
      ...head.input,
      requestId: head.id,
      originParts: originParts(head.input.origin),
      expiresAt: new Date(Date.now() + this.timeoutMs).toISOString(),
    };
    head.view = view;
    head.timer = setTimeout(
      () => this.finish(head, 'timeout', new SignetError('USER_CANCELLED', 'Nobody answered the request in Signet in time.')),
      this.timeoutMs,
    );
    this.opts.onAttention?.(view);
    this.emit('request', view);
  }

  private finish(entry: Entry, reason: DismissReason, error: SignetError): void {
    if (!this.queue.includes(entry)) return;
    const wasPresented = entry.view !== undefined;
    this.remove(entry);
    if (wasPresented) this.emit('dismiss', { requestId: entry.id, reason });
    entry.reject(error);
    this.presentNext();
  }

  private remove(entry: Entry): void {
    const i = this.queue.indexOf(entry);
    if (i >= 0) this.queue.splice(i, 1);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.cleanup();
  }
}

/**
 * The broker as the app's `ConsentService` (electron/app/services.ts): same methods, with
 * `respond` throwing the refusal as a SignetError (INVALID_INPUT) instead of returning it.
 */
export function consentService(broker: ConsentBroker): {
  onRequest: ConsentBroker['onRequest'];
  onDismiss: ConsentBroker['onDismiss'];
  respond(requestId: string, decision: ConsentDecision): Promise<void>;
  pending(): ConsentRequestView[];
} {
  return {
    onRequest: (l) => broker.onRequest(l),
    onDismiss: (l) => broker.onDismiss(l),
    respond: async (requestId, decision) => {
      const r = broker.respond(requestId, decision);
      if (!r.ok) throw SignetError.fromInfo(r.error);
    },
    pending: () => broker.pending(),
  };
}
