/**
 * Long-term validation (ETSI EN 319 142-1 §5.4 PAdES B-LT/B-LTA, EN 319 122-1 §5.5 CAdES
 * B-LT/B-LTA): the levels, and the validation material gathered for them.
 */

/** Baseline levels as the CLI and configuration name them (B = B-B, T = B-T, …). */
export type SignatureLevel = 'B' | 'T' | 'LT' | 'LTA';
export const SIGNATURE_LEVELS: readonly SignatureLevel[] = ['B', 'T', 'LT', 'LTA'];

export function isSignatureLevel(x: unknown): x is SignatureLevel {
  return typeof x === 'string' && (SIGNATURE_LEVELS as readonly string[]).includes(x);
}

/** Whose certificate: the signer's chain, or a time-stamp authority's. */
export type CertRole = 'signer' | 'tsa';

/** What was found for one certificate that needs revocation data. */
export interface CertRevocationStatus {
  /** Display subject (one line). */
  subject: string;
  role: CertRole;
  status: 'good' | 'revoked' | 'unknown';
  source?: 'ocsp' | 'crl';
  url?: string;
  /** ISO: OCSP / CRL thisUpdate. */
  checkedAt?: string;
  revokedAt?: string;
  /** What failed, per source, in plain words. */
  problems: string[];
  /** The certificate names no OCSP responder and no CRL distribution point. */
  noSource?: boolean;
}

/** Everything to embed: certificates (chains, fetched intermediates, responder certificates), OCSP responses and CRLs, DER. */
export interface ValidationMaterial {
  certificates: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
  statuses: CertRevocationStatus[];
}
