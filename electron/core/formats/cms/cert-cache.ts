/**
 * What a batch computes once per certificate instead of once per file (issue 13 item 8: a
 * profile of a 1,000-file PAdES batch spent a third of its time parsing and re-encoding the same
 * signer and chain certificates for every file). Keyed by the certificate's bytes, bounded, and
 * only for values derived from those bytes alone, so a hit is the same answer as a recomputation.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';

const LIMIT = 64;

/** A small map that forgets its oldest entry beyond LIMIT. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();

  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const v = make();
    if (this.map.size >= LIMIT) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, v);
    return v;
  }
}

/** A short key for bytes (SHA-256; certificates are a few KB). */
export function bytesKey(...parts: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p.length)).update(':').update(p);
  return h.digest('base64');
}

const publicKeys = new BoundedCache<KeyObject>();

/** The certificate's public key (node:crypto), parsed once. */
export function certificatePublicKey(der: Uint8Array): KeyObject {
  return publicKeys.get(bytesKey(der), () => new X509Certificate(der).publicKey);
}
