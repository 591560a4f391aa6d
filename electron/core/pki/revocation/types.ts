/** The answer of one revocation source (OCSP responder or CRL), or why there is none. */
export interface RevocationAnswer {
  status: 'good' | 'revoked' | 'unknown';
  source: 'ocsp' | 'crl';
  url: string;
  /** ISO: the time the answer speaks for (OCSP thisUpdate, CRL thisUpdate). */
  checkedAt?: string;
  revokedAt?: string;
  reason?: string;
  /** Why the status is unknown. */
  problem?: string;
}

export interface RevocationResult {
  status: 'good' | 'revoked' | 'unknown';
  /** The answer that decided (absent when nothing could be asked). */
  answer?: RevocationAnswer;
  /** Sources that failed, in plain words (shown as warnings). */
  problems: string[];
}
