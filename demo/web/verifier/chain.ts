/**
 * Certificate path check for the demo verifier: leaf → intermediates → one of the trust
 * anchors, each link's signature and validity checked with node:crypto (RFC 5280 §6.1, the
 * basic checks: signature, validity period, issuer/subject chaining, CA flag). No revocation
 * (the demo CA publishes none); a production back end adds OCSP/CRL here.
 */
import { X509Certificate } from 'node:crypto';

export interface ChainResult {
  trusted: boolean;
  /** Subjects from the leaf up to the anchor, as far as they chained. */
  path: string[];
  errors: string[];
}

export function verifyChain(leaf: X509Certificate, intermediates: readonly X509Certificate[], anchors: readonly X509Certificate[], at: Date = new Date()): ChainResult {
  const errors: string[] = [];
  const path: string[] = [];
  const inTime = (c: X509Certificate): boolean => at >= new Date(c.validFrom) && at <= new Date(c.validTo);
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    path.push(current.subject.replace(/\n/g, ', '));
    if (!inTime(current)) errors.push(`not valid at ${at.toISOString()}: ${current.subject.replace(/\n/g, ', ')}`);
    const anchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (anchor !== undefined) {
      if (!inTime(anchor)) errors.push('the trust anchor is not valid now');
      if (anchor.fingerprint256 !== current.fingerprint256) path.push(anchor.subject.replace(/\n/g, ', '));
      return { trusted: errors.length === 0, path, errors };
    }
    const next = intermediates.find((i) => i.ca && current.checkIssued(i) && current.verify(i.publicKey) && i.fingerprint256 !== current.fingerprint256);
    if (next === undefined) {
      errors.push(`no trusted issuer for ${current.subject.replace(/\n/g, ', ')}`);
      return { trusted: false, path, errors };
    }
    current = next;
  }
  errors.push('certificate path too long');
  return { trusted: false, path, errors };
}

export function parsePemBundle(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((p) => new X509Certificate(p));
}
