/**
 * Which origins the user or the admin allowed: the admin policy's list, the user's remembered
 * origins (both read through `OriginStore`, so Settings edits and revocations apply at once), and
 * origins allowed for this session only. Any other https origin is a first contact: its first
 * request is shown as one dialog ("Allow portal.example and sign application.pdf?", with
 * "remember this site"), and approving it allows the origin (`grant`). Refusals and cooldowns
 * live in the consent queue (consent/broker.ts), keyed by registrable domain.
 */
import type { ConsentLane } from './consent/broker';

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
  constructor(
    private readonly policy: readonly string[] = [],
    remembered: readonly string[] = [],
  ) {
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

export class OriginPolicy {
  private readonly session = new Set<string>();

  constructor(private readonly store: OriginStore) {}

  /** 'allowed' (policy, remembered, this session) or 'unknown' (a first contact). */
  laneOf(origin: string): ConsentLane {
    return this.store.policyOrigins().includes(origin) || this.store.rememberedOrigins().includes(origin) || this.session.has(origin) ? 'allowed' : 'unknown';
  }

  /** The user approved a first contact: allow the origin for the session, or for good. */
  async grant(origin: string, remember: boolean): Promise<void> {
    if (remember) await this.store.remember(origin);
    else this.session.add(origin);
  }

  /** Settings → revoke: also forget a session approval. */
  revoke(origin: string): void {
    this.session.delete(origin);
  }
}
