/**
 * Certification path building (RFC 5280 §6 in its simple form, RFC 4158 for the search): from the
 * leaf upwards, each next certificate is one whose subject is the current issuer and whose key
 * verifies the current signature (OpenSSL via node:crypto: X509_check_issued, including the key
 * identifiers, then the signature). Candidates come from the token, the configured trust anchors
 * and the system store; the path is trusted when it reaches a trust anchor. Validity periods and
 * CA basic constraints along the path are reported as problems.
 */
import { X509Certificate } from 'node:crypto';

export type CertSourceKind = 'token' | 'trust-store' | 'system' | 'signature';

export interface CertSource {
  der: Uint8Array;
  source: CertSourceKind;
}

export interface ChainLink {
  der: Uint8Array;
  source: CertSourceKind;
  cert: X509Certificate;
}

export interface ChainResult {
  /** From the leaf up, as far as it could be built. */
  chain: ChainLink[];
  /** The path ends at a trust anchor (configured or system). */
  trusted: boolean;
  /** Plain-language problems: an expired CA, a missing issuer, a CA without basicConstraints. */
  problems: string[];
}

export interface ChainInputs {
  /** Certificates that may be intermediates but are not trusted by themselves (token, signature). */
  intermediates?: readonly CertSource[];
  /** Trust anchors: configured ones ('trust-store') and the OS store ('system'). */
  anchors?: readonly CertSource[];
  /** Check validity at this time (default now); undefined checks nothing. */
  at?: Date | null;
}

const MAX_DEPTH = 12;

interface Candidate {
  der: Uint8Array;
  source: CertSourceKind;
  anchor: boolean;
  cert: X509Certificate;
}

export function buildChain(leafDer: Uint8Array, leafSource: CertSourceKind, inputs: ChainInputs): ChainResult {
  const leaf = new X509Certificate(leafDer);
  const at = inputs.at === undefined ? new Date() : inputs.at;
  const pool: Candidate[] = [];
  const seen = new Set<string>();
  const add = (s: CertSource, anchor: boolean) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(s.der);
    } catch {
      return; // an unparsable certificate in a store is skipped, not fatal
    }
    const key = cert.fingerprint256 + (anchor ? 'A' : 'I');
    if (seen.has(key)) return;
    seen.add(key);
    pool.push({ der: s.der, source: s.source, anchor, cert });
  };
  for (const s of inputs.anchors ?? []) add(s, true);
  for (const s of inputs.intermediates ?? []) add(s, false);
  const anchorPrints = new Set(pool.filter((c) => c.anchor).map((c) => c.cert.fingerprint256));

  const chain: ChainLink[] = [{ der: leafDer, source: leafSource, cert: leaf }];
  const problems: string[] = [];
  let trusted = anchorPrints.has(leaf.fingerprint256);
  let current = leaf;
  const used = new Set([leaf.fingerprint256]);
  while (!trusted && chain.length < MAX_DEPTH) {
    if (isSelfIssued(current)) break;
    const issuers = pool
      .filter((c) => !used.has(c.cert.fingerprint256) && current.checkIssued(c.cert) && safeVerify(current, c.cert))
      // Prefer anchors, then certificates valid now.
      .sort((a, b) => Number(b.anchor) - Number(a.anchor) || Number(validAt(b.cert, at)) - Number(validAt(a.cert, at)));
    const next = issuers[0];
    if (!next) {
      problems.push(`The issuer "${oneLine(current.issuer)}" was not found`);
      break;
    }
    used.add(next.cert.fingerprint256);
    chain.push({ der: next.der, source: next.source, cert: next.cert });
    if (!next.cert.ca) problems.push(`"${oneLine(next.cert.subject)}" issued a certificate but is not a CA (basicConstraints)`);
    if (next.anchor) trusted = true;
    current = next.cert;
  }
  if (at) {
    // RFC 5280 §6.1.1 (d): a trust anchor is trusted as configured; its own validity period is
    // not part of path validation. Intermediates must be valid at `at`.
    const cas = trusted && chain.length > 1 ? chain.slice(1, -1) : chain.slice(1);
    for (const link of cas) {
      if (!validAt(link.cert, at)) problems.push(`The CA certificate "${oneLine(link.cert.subject)}" is not valid at ${at.toISOString()}`);
    }
  }
  if (!trusted && problems.length === 0) problems.push('The chain does not end at a trusted root');
  return { chain, trusted, problems };
}

function isSelfIssued(c: X509Certificate): boolean {
  return c.subject === c.issuer && safeVerify(c, c);
}

function safeVerify(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function validAt(c: X509Certificate, at: Date | null): boolean {
  if (!at) return true;
  return at >= new Date(c.validFrom) && at <= new Date(c.validTo);
}

/** Node prints names one attribute per line; make them one line for messages. */
export function oneLine(name: string): string {
  return name.split('\n').join(', ');
}
