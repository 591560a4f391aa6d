/**
 * Whether a certificate may make a document signature now (design.md "Purposes", issue 3 §5):
 * within its validity period (RFC 5280 §4.1.2.5) and with the signing purpose (nonRepudiation /
 * contentCommitment, or digitalSignature with a document-signing / emailProtection EKU — the
 * classification itself is pki/purposes.ts). The admin policy may allow expired or wrong-purpose
 * certificates; the user cannot.
 */
import { SignetError, type ErrorCode } from '../../../native/errors';
import type { CertPurpose } from '../types';

export interface SigningPolicy {
  /** Admin policy: allow signing with an expired (or not yet valid) certificate. */
  allowExpired?: boolean;
  /** Admin policy: allow document signing with a certificate that lacks the signing purpose. */
  allowWrongPurpose?: boolean;
}

export interface CertFacts {
  notBefore: Date;
  notAfter: Date;
  purposes: readonly CertPurpose[];
}

export interface SigningProblem {
  code: ErrorCode;
  message: string;
}

/** The first reason this certificate cannot sign documents at `now`, or undefined when it can. */
export function signingProblem(c: CertFacts, policy: SigningPolicy = {}, now: Date = new Date()): SigningProblem | undefined {
  if (!policy.allowExpired) {
    if (now > c.notAfter) {
      return { code: 'CERT_EXPIRED', message: `The certificate expired on ${day(c.notAfter)}: it can no longer make signatures.` };
    }
    if (now < c.notBefore) {
      return { code: 'CERT_NOT_YET_VALID', message: `The certificate is valid only from ${day(c.notBefore)}.` };
    }
  }
  if (!policy.allowWrongPurpose && !c.purposes.includes('signing')) {
    return {
      code: 'KEY_PURPOSE_MISMATCH',
      message: 'This certificate is for authentication (logging in), not for signing documents. Choose your signing certificate.',
    };
  }
  return undefined;
}

export function assertCanSign(c: CertFacts, policy?: SigningPolicy, now?: Date): void {
  const p = signingProblem(c, policy, now);
  if (p) throw new SignetError(p.code, p.message);
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
