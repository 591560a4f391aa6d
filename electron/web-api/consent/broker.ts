/**
 * The consent queue between web requests and the user.
 *
 * One request is shown at a time (a modal). The others wait in two lanes, so that pages nobody
 * allowed yet cannot crowd out the sites the admin or the user allowed (issue 10):
 *
 * - `allowed` lane: origins on the admin policy, remembered or allowed this session (and the
 *   app's own portal window). Shown first; when one arrives while an `unknown` request is on
 *   screen, that one steps back into its lane (dismissed as 'preempted', shown again later under
 *   a new request id, so a click meant for it cannot land on the newcomer — the modal's buttons
 *   are also inert for a second after every change).
 * - `unknown` lane: a site's first contact. Shown only when no allowed request waits.
 *
 * Bounds, all refused at once (the page is told to retry later; nothing is shown):
 * - one pending request per origin (`consent-pending`);
 * - `maxPerSite` pending requests per registrable domain (security/site.ts), both lanes, so
 *   fresh subdomains of one domain count as one party (`queue-full`);
 * - `maxAllowed` / `maxUnknown` per lane (`queue-full`).
 *
 * Cooldowns (`origin-denied`, for `cooldownMs`):
 * - the user denies a first contact → the whole registrable domain;
 * - a page withdraws shown prompts `abandonLimit` times within `abandonWindowMs` ("ask, then
 *   abandon" to flicker the window) → its registrable domain (unknown lane) or its origin
 *   (allowed lane). After every abandon the unknown lane also pauses before showing the next
 *   first contact (1 s, doubling up to 8 s until the user answers something).
 *
 * Attention (bring Signet's window to the front) is given at most once per request, at most once
 * per `attentionSiteIntervalMs` per site and once per `attentionIntervalMs` overall: a page cannot
 * make the window jump, or time a prompt under the user's cursor.
 *
 * A shown request times out after `timeoutMs` (USER_CANCELLED); the timer starts when the user can
 * see it. When the HTTP client goes away the request leaves the queue (`signal`).
 *
 * The UI side (the renderer, or a test) listens to `request` / `dismiss` and answers with
 * `respond(requestId, decision)` — in the app, the `consent.respond` IPC method calls it.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SignetError, err, ok, type Result } from '../../../native/errors';
import type { ConsentDecision, ConsentRequestView } from '../../api';
import { refusal } from '../errors';
import { originParts } from '../security/origin';
import { siteOf } from '../security/site';

/** What a route asks the user; the broker adds id, origin parts and expiry. */
export type ConsentInput = Omit<ConsentRequestView, 'requestId' | 'originParts' | 'expiresAt'>;

export type ConsentLane = 'allowed' | 'unknown';

export type DismissReason = 'timeout' | 'cancelled' | 'preempted';

export interface AskOptions {
  /** Default 'allowed' (the app's own callers). The web API passes 'unknown' for a first contact. */
  lane?: ConsentLane;
  /** Aborted when the page goes away. */
  signal?: AbortSignal;
  /** sign-document: reads more of the document's text while it is shown ("show the rest"). */
  documentText?: DocumentTextReader;
  /** sign-document: reads the document's bytes while it is shown (the app's PDF preview). */
  documentBytes?: DocumentBytesReader;
}

/** The next chunk of a document's text from a byte offset; undefined when it is not text. */
export type DocumentTextReader = (offset: number) => Promise<{ text: string; nextOffset: number } | undefined>;

/** A slice of the document (at most `length` bytes from `offset`). */
export type DocumentBytesReader = (offset: number, length: number) => Promise<Uint8Array>;

/** What the web API server needs from the consent queue (the broker, or its proxy in the API's worker). */
export interface ConsentPort {
  ask(input: ConsentInput, options: AskOptions): Promise<ConsentDecision>;
  /** A refusal known without asking (a cooldown): lets the server refuse before reading a body. */
  refusalFor(origin: string, lane: ConsentLane): SignetError | undefined;
  /** Whether this origin already has a request queued or shown. */
  hasPending(origin: string): boolean;
}

export interface ConsentBrokerOptions {
  /** How long a shown request waits for the user. Default 120 000 ms. */
  timeoutMs?: number;
  /** Allowed-lane bound (queued + shown). Default 16. */
  maxAllowed?: number;
  /** Unknown-lane bound. Default 8. */
  maxUnknown?: number;
  /** Pending requests per registrable domain, both lanes. Default 2. */
  maxPerSite?: number;
  /** Cooldown after a denied first contact or repeated abandons. Default 60 000 ms. */
  cooldownMs?: number;
  /** Abandoned prompts within abandonWindowMs that start a cooldown. Default 2 within 60 000 ms. */
  abandonLimit?: number;
  abandonWindowMs?: number;
  /** Pause of the unknown lane after an abandon (doubles per abandon, up to 8×). Default 1 000 ms. */
  abandonPauseMs?: number;
  /** Window raising: at most once per this interval overall (default 3 000 ms) and per site (default 10 000 ms). */
  attentionIntervalMs?: number;
  attentionSiteIntervalMs?: number;
  /** Bring the window to the front (rate-limited as above). */
  onAttention?: (view: ConsentRequestView) => void;
  /** Clock (tests). */
  now?: () => number;
}

export interface ConsentBrokerEvents {
  request: [ConsentRequestView];
  dismiss: [{ requestId: string; reason: DismissReason }];
  /** A cooldown started (`key` is `site:<domain>` or `origin:<origin>`); the API's worker mirrors these. */
  cooldown: [{ key: string; until: number }];
}

interface Entry {
  input: ConsentInput;
  lane: ConsentLane;
  site: string;
  /** Set while shown. */
  view?: ConsentRequestView;
  resolve: (d: ConsentDecision) => void;
  reject: (e: SignetError) => void;
  documentText?: DocumentTextReader;
  documentBytes?: DocumentBytesReader;
  timer?: NodeJS.Timeout;
  attentionGiven: boolean;
  cleanup: () => void;
}

export const DEFAULT_CONSENT_TIMEOUT_MS = 120_000;

const cancelledByPage = (): SignetError => new SignetError('USER_CANCELLED', 'The page went away before you answered.');

export class ConsentBroker extends EventEmitter<ConsentBrokerEvents> implements ConsentPort {
  /** Waiting requests, in arrival order (both lanes). */
  private readonly waiting: Entry[] = [];
  private shown: Entry | undefined;
  private readonly cooldowns = new Map<string, number>();
  private readonly abandons = new Map<string, number[]>();
  private abandonStreak = 0;
  private unknownPausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private lastAttention = -Infinity;
  private readonly lastSiteAttention = new Map<string, number>();
  private readonly o: Required<Omit<ConsentBrokerOptions, 'onAttention' | 'now'>>;
  private readonly now: () => number;

  constructor(private readonly opts: ConsentBrokerOptions = {}) {
    super();
    this.o = {
      timeoutMs: opts.timeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS,
      maxAllowed: opts.maxAllowed ?? 16,
      maxUnknown: opts.maxUnknown ?? 8,
      maxPerSite: opts.maxPerSite ?? 2,
      cooldownMs: opts.cooldownMs ?? 60_000,
      abandonLimit: opts.abandonLimit ?? 2,
      abandonWindowMs: opts.abandonWindowMs ?? 60_000,
      abandonPauseMs: opts.abandonPauseMs ?? 1_000,
      attentionIntervalMs: opts.attentionIntervalMs ?? 3_000,
      attentionSiteIntervalMs: opts.attentionSiteIntervalMs ?? 10_000,
    };
    this.now = opts.now ?? (() => Date.now());
  }

  /**
   * Ask the user. Resolves with the decision (approve true/false, validated against the request);
   * rejects with USER_CANCELLED (timeout, client gone) or an immediate refusal (consent-pending,
   * queue-full, origin-denied).
   */
  ask(input: ConsentInput, options: AskOptions = {}): Promise<ConsentDecision> {
    const { signal } = options;
    const lane = options.lane ?? 'allowed';
    if (signal?.aborted) return Promise.reject(cancelledByPage());
    const refused = this.refusalFor(input.origin, lane);
    if (refused) return Promise.reject(refused);
    if (this.hasPending(input.origin)) {
      return Promise.reject(refusal('INVALID_INPUT', 'consent-pending', 'Another request from this site is already waiting for your answer in Signet.', true));
    }
    const site = siteOf(input.origin);
    const all = this.entries();
    if (all.filter((e) => e.site === site).length >= this.o.maxPerSite) {
      return Promise.reject(refusal('INVALID_INPUT', 'queue-full', 'Too many requests from this site are waiting in Signet; try again in a moment.', true));
    }
    if (all.filter((e) => e.lane === lane).length >= (lane === 'allowed' ? this.o.maxAllowed : this.o.maxUnknown)) {
      return Promise.reject(refusal('INVALID_INPUT', 'queue-full', 'Signet has too many requests waiting; try again in a moment.', true));
    }
    return new Promise<ConsentDecision>((resolve, reject) => {
      const onAbort = (): void => this.finish(entry, 'cancelled', cancelledByPage(), true);
      const entry: Entry = {
        input,
        lane,
        site,
        resolve,
        reject,
        ...(options.documentText ? { documentText: options.documentText } : {}),
        ...(options.documentBytes ? { documentBytes: options.documentBytes } : {}),
        attentionGiven: false,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.schedule();
    });
  }

  refusalFor(origin: string, lane: ConsentLane): SignetError | undefined {
    const until = this.cooldowns.get(cooldownKey(origin, lane));
    if (until === undefined) return undefined;
    if (this.now() < until) {
      return refusal('ORIGIN_NOT_ALLOWED', 'origin-denied', 'This site was refused in Signet a moment ago; try again later.', true);
    }
    this.cooldowns.delete(cooldownKey(origin, lane));
    return undefined;
  }

  hasPending(origin: string): boolean {
    return this.entries().some((e) => e.input.origin === origin);
  }

  /** The UI's answer. Refuses ids that are not on screen and certificates not offered. */
  respond(requestId: string, decision: ConsentDecision): Result<void> {
    const entry = this.shown;
    if (entry?.view === undefined || entry.view.requestId !== requestId) {
      return err({ code: 'INVALID_INPUT', message: 'No such consent request (it may have timed out).' });
    }
    const view = entry.view;
    if (decision.approve) {
      const needsPick = view.operation === 'share-certificate' || view.operation === 'authenticate' || view.operation === 'sign-document';
      if (needsPick) {
        const offered = (view.candidates ?? []).some((c) => c.uri === decision.certUri);
        if (!offered) return err({ code: 'INVALID_INPUT', message: 'Pick one of the offered certificates.' });
      } else if (decision.certUri !== undefined && decision.certUri !== view.certificate?.uri) {
        return err({ code: 'INVALID_INPUT', message: 'This request uses a fixed certificate.' });
      }
    } else if (entry.lane === 'unknown') {
      this.startCooldown(cooldownKey(entry.input.origin, 'unknown'));
    }
    // The user answered: the page is not flickering prompts at them.
    this.abandonStreak = 0;
    this.remove(entry);
    entry.resolve(decision);
    this.schedule();
    return ok(undefined);
  }

  /** More text of the shown request's document. */
  async documentText(requestId: string, offset: number): Promise<{ text: string; nextOffset: number }> {
    const entry = this.shown;
    const doc = entry?.view?.document;
    if (entry?.view?.requestId !== requestId || doc === undefined || entry.documentText === undefined) {
      throw new SignetError('INVALID_INPUT', 'No such document request (it may have ended).');
    }
    if (offset > doc.size) throw new SignetError('INVALID_INPUT', 'Past the end of the document.');
    const chunk = await entry.documentText(offset);
    if (chunk === undefined) throw new SignetError('INVALID_INPUT', 'This part of the document is not text.');
    return chunk;
  }

  /** Bytes of the shown request's document (the preview reads PDFs by ranges). */
  async documentBytes(requestId: string, offset: number, length: number): Promise<{ bytes: Uint8Array; total: number }> {
    const entry = this.shown;
    const doc = entry?.view?.document;
    if (entry?.view?.requestId !== requestId || doc === undefined || entry.documentBytes === undefined) {
      throw new SignetError('INVALID_INPUT', 'No such document request (it may have ended).');
    }
    const start = Math.min(offset, doc.size);
    return { bytes: await entry.documentBytes(start, Math.max(0, Math.min(length, doc.size - start))), total: doc.size };
  }

  onRequest(listener: (view: ConsentRequestView) => void): () => void {
    this.on('request', listener);
    return () => this.off('request', listener);
  }

  onDismiss(listener: (event: { requestId: string; reason: DismissReason }) => void): () => void {
    this.on('dismiss', listener);
    return () => this.off('dismiss', listener);
  }

  /** The request shown now (at most one), for a window that opens or reloads while it waits. */
  pending(): ConsentRequestView[] {
    const v = this.shown?.view;
    return v === undefined ? [] : [v];
  }

  /** The shown request. */
  current(): ConsentRequestView | undefined {
    return this.shown?.view;
  }

  /** Requests shown or waiting. */
  get size(): number {
    return this.entries().length;
  }

  /** Cancel everything (server shutdown). */
  cancelAll(): void {
    for (const e of this.entries()) this.finish(e, 'cancelled', new SignetError('USER_CANCELLED', 'Signet is closing.'), false);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
  }

  private entries(): Entry[] {
    return this.shown ? [this.shown, ...this.waiting] : [...this.waiting];
  }

  /** Show the next request, stepping an unknown-lane one back for a waiting allowed one. */
  private schedule(): void {
    const nextAllowed = this.waiting.find((e) => e.lane === 'allowed');
    if (this.shown) {
      if (this.shown.lane === 'unknown' && nextAllowed) {
        const stepped = this.shown;
        this.hide(stepped, 'preempted');
        this.waiting.unshift(stepped);
        this.present(nextAllowed);
      }
      return;
    }
    if (nextAllowed) return this.present(nextAllowed);
    const nextUnknown = this.waiting.find((e) => e.lane === 'unknown');
    if (!nextUnknown) return;
    const wait = this.unknownPausedUntil - this.now();
    if (wait > 0) {
      if (!this.pauseTimer) {
        this.pauseTimer = setTimeout(() => {
          this.pauseTimer = undefined;
          this.schedule();
        }, wait);
      }
      return;
    }
    this.present(nextUnknown);
  }

  private present(entry: Entry): void {
    const i = this.waiting.indexOf(entry);
    if (i >= 0) this.waiting.splice(i, 1);
    this.shown = entry;
    const view: ConsentRequestView = {
      ...entry.input,
      requestId: randomUUID(),
      originParts: originParts(entry.input.origin),
      expiresAt: new Date(this.now() + this.o.timeoutMs).toISOString(),
    };
    entry.view = view;
    entry.timer = setTimeout(() => this.finish(entry, 'timeout', new SignetError('USER_CANCELLED', 'Nobody answered the request in Signet in time.'), false), this.o.timeoutMs);
    this.giveAttention(entry);
    this.emit('request', view);
  }

  /** Take a shown request off the screen (it stays pending unless the caller removes it). */
  private hide(entry: Entry, reason: DismissReason): void {
    if (this.shown !== entry || entry.view === undefined) return;
    const requestId = entry.view.requestId;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    delete entry.view;
    this.shown = undefined;
    this.emit('dismiss', { requestId, reason });
  }

  private giveAttention(entry: Entry): void {
    if (entry.attentionGiven || !this.opts.onAttention || entry.view === undefined) return;
    const now = this.now();
    if (now - this.lastAttention < this.o.attentionIntervalMs) return;
    if (now - (this.lastSiteAttention.get(entry.site) ?? -Infinity) < this.o.attentionSiteIntervalMs) return;
    entry.attentionGiven = true;
    this.lastAttention = now;
    this.lastSiteAttention.set(entry.site, now);
    if (this.lastSiteAttention.size > 1000) this.lastSiteAttention.clear();
    this.opts.onAttention(entry.view);
  }

  /**
   * End a request without the user's answer. `byPage`: the page went away; when it was on screen
   * that is an abandoned prompt, which counts toward a cooldown and pauses the unknown lane.
   */
  private finish(entry: Entry, reason: DismissReason, error: SignetError, byPage: boolean): void {
    if (this.shown !== entry && !this.waiting.includes(entry)) return;
    const wasShown = this.shown === entry;
    this.hide(entry, reason);
    this.remove(entry);
    if (byPage && wasShown) this.recordAbandon(entry);
    entry.reject(error);
    this.schedule();
  }

  private recordAbandon(entry: Entry): void {
    const now = this.now();
    const key = cooldownKey(entry.input.origin, entry.lane);
    const recent = (this.abandons.get(key) ?? []).filter((t) => now - t < this.o.abandonWindowMs);
    recent.push(now);
    this.abandons.set(key, recent);
    if (this.abandons.size > 1000) this.pruneAbandons(now);
    if (recent.length >= this.o.abandonLimit) {
      this.abandons.delete(key);
      this.startCooldown(key);
    }
    this.unknownPausedUntil = now + this.o.abandonPauseMs * 2 ** Math.min(this.abandonStreak, 3);
    this.abandonStreak++;
  }

  private startCooldown(key: string): void {
    const until = this.now() + this.o.cooldownMs;
    this.cooldowns.set(key, until);
    if (this.cooldowns.size > 1000) {
      const now = this.now();
      for (const [k, u] of this.cooldowns) if (u <= now) this.cooldowns.delete(k);
    }
    this.emit('cooldown', { key, until });
  }

  private pruneAbandons(now: number): void {
    for (const [k, times] of this.abandons) if (times.every((t) => now - t >= this.o.abandonWindowMs)) this.abandons.delete(k);
  }

  private remove(entry: Entry): void {
    if (this.shown === entry) this.shown = undefined;
    const i = this.waiting.indexOf(entry);
    if (i >= 0) this.waiting.splice(i, 1);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.cleanup();
  }
}

/** Cooldowns: a first contact's whole registrable domain; an allowed origin only itself. */
export function cooldownKey(origin: string, lane: ConsentLane): string {
  return lane === 'unknown' ? `site:${siteOf(origin)}` : `origin:${origin}`;
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
  documentText(requestId: string, offset: number): Promise<{ text: string; nextOffset: number }>;
  documentBytes(requestId: string, offset: number, length: number): Promise<{ bytes: Uint8Array; total: number }>;
} {
  return {
    onRequest: (l) => broker.onRequest(l),
    onDismiss: (l) => broker.onDismiss(l),
    respond: async (requestId, decision) => {
      const r = broker.respond(requestId, decision);
      if (!r.ok) throw SignetError.fromInfo(r.error);
    },
    pending: () => broker.pending(),
    documentText: (requestId, offset) => broker.documentText(requestId, offset),
    documentBytes: (requestId, offset, length) => broker.documentBytes(requestId, offset, length),
  };
}
