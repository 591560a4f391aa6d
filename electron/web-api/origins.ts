/**
 * Which origins may use the API: the admin policy's list, the user's remembered origins (both
 * read through `OriginStore`, so Settings edits and revocations apply at once), and origins the
 * user allowed for this session only. An origin that is none of these is asked about once
 * ('allow-origin' consent); concurrent requests from it (a preflight and its request, two
 * tabs) wait for the same answer. A refusal blocks the origin for `denyCooldownMs`, so a page
 * cannot re-prompt in a loop.
 */
import { SignetError } from '../../native/errors';
import type { ConsentBroker } from './consent/broker';
import { refusal } from './errors';

export interface OriginStore {
  /** From the admin policy file (read-only). */
  policyOrigins(): readonly string[];
  /** Approved by the user with "remember" (revocable in Settings). */
  rememberedOrigins(): readonly string[];
  remember(origin: string): Promise<void> | void;
}

/** An in-memory store, for the harness, tests and as the default. */
export class MemoryOriginStore implements OriginStore {
  readonly remembered = new Set<string>();
  constructor(private readonly policy: readonly string[] = [], remembered: readonly string[] = []) {
    for (const o of remembered) this.remembered.add(o);
  }
  policyOrigins(): readonly string[] {
    return this.policy;
  }
  rememberedOrigins(): readonly string[] {
    return [...this.remembered];
  }
  remember(origin: string): void {
    this.remembered.add(origin);
  }
}

export type OriginStatus = 'allowed' | 'blocked' | 'unknown';

interface SharedAsk {
  promise: Promise<void>;
  /** Requests still waiting for the answer. */
  waiters: number;
  controller: AbortController;
}

export class OriginPolicy {
  private readonly session = new Set<string>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly asking = new Map<string, SharedAsk>();

  constructor(
    private readonly store: OriginStore,
    private readonly broker: ConsentBroker,
    private readonly denyCooldownMs = 60_000,
  ) {}

  status(origin: string): OriginStatus {
    if (this.store.policyOrigins().includes(origin) || this.store.rememberedOrigins().includes(origin) || this.session.has(origin)) {
      return 'allowed';
    }
    const until = this.blockedUntil.get(origin);
    if (until !== undefined) {
      if (Date.now() < until) return 'blocked';
      this.blockedUntil.delete(origin);
    }
    return 'unknown';
  }

  /**
   * Resolves when the origin is allowed (asking the user if needed); rejects otherwise. Requests
   * waiting for the same origin share one prompt, which is withdrawn only when every one of them
   * has gone away (a page's status() giving up must not cancel its sign request's preflight).
   */
  async ensureAllowed(origin: string, signal: AbortSignal): Promise<void> {
    const s = this.status(origin);
    if (s === 'allowed') return;
    if (s === 'blocked') throw refusal('ORIGIN_NOT_ALLOWED', 'origin-denied', 'You refused this site in Signet; try again later.');
    let shared = this.asking.get(origin);
    if (shared === undefined) {
      const controller = new AbortController();
      const created: SharedAsk = { promise: Promise.resolve(), waiters: 0, controller };
      created.promise = this.ask(origin, controller.signal).finally(() => this.asking.delete(origin));
      this.asking.set(origin, created);
      shared = created;
    }
    const ask = shared;
    ask.waiters++;
    const leave = (): void => {
      if (--ask.waiters === 0) ask.controller.abort();
    };
    signal.addEventListener('abort', leave, { once: true });
    try {
      await ask.promise;
    } finally {
      if (!signal.aborted) {
        signal.removeEventListener('abort', leave);
        ask.waiters--;
      }
    }
  }

  /** Settings → revoke: also forget a session approval. */
  revoke(origin: string): void {
    this.session.delete(origin);
  }

  private async ask(origin: string, signal: AbortSignal): Promise<void> {
    const decision = await this.broker.ask({ origin, operation: 'allow-origin' }, signal);
    if (!decision.approve) {
      this.blockedUntil.set(origin, Date.now() + this.denyCooldownMs);
      throw new SignetError('CONSENT_DENIED', 'You did not allow this site to use Signet.', { details: { reason: 'origin-denied' } });
    }
    if (decision.remember === true) await this.store.remember(origin);
    else this.session.add(origin);
  }
}
