/**
 * Challenge nonces for Web eID login: 256 random bits, base64 (44 characters), bound to one
 * browser session, valid for a few minutes, and usable once — `take` removes the nonce, so a
 * replayed token has nothing to verify against.
 */
import { randomBytes } from 'node:crypto';

export class NonceStore {
  private readonly nonces = new Map<string, { nonce: string; expires: number }>();

  constructor(private readonly ttlMs = 5 * 60_000) {}

  issue(sessionId: string): string {
    const nonce = randomBytes(32).toString('base64');
    this.nonces.set(sessionId, { nonce, expires: Date.now() + this.ttlMs });
    return nonce;
  }

  /** The session's nonce, removed (single use); undefined when none or expired. */
  take(sessionId: string): string | undefined {
    const e = this.nonces.get(sessionId);
    this.nonces.delete(sessionId);
    if (e === undefined || Date.now() > e.expires) return undefined;
    return e.nonce;
  }
}
