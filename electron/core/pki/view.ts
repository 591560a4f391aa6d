/**
 * CertificateView (electron/core/types.ts): what the certificate picker and the confirmation
 * screen show — display names, validity state (expiring when fewer than 30 days are left), days
 * left, whether the private key is there, and why the certificate cannot sign documents.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { CertificateSummary, CertificateView, CertValidity } from '../types';
import { displayNameOf } from './names';
import { signingProblem, type SigningPolicy } from './signing-checks';

export const EXPIRING_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ViewOptions {
  now?: Date;
  policy?: SigningPolicy;
}

export function validityOf(notBefore: Date, notAfter: Date, now: Date): { validity: CertValidity; daysLeft: number } {
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  let validity: CertValidity;
  if (now < notBefore) validity = 'not-yet-valid';
  else if (now > notAfter) validity = 'expired';
  else if (daysLeft < EXPIRING_SOON_DAYS) validity = 'expiring-soon';
  else validity = 'valid';
  return { validity, daysLeft };
}

export function toCertificateView(summary: CertificateSummary, options: ViewOptions = {}): CertificateView {
  const now = options.now ?? new Date();
  const tbs = AsnConvert.parse(Buffer.from(summary.certificate, 'base64'), Certificate).tbsCertificate;
  const notBefore = new Date(summary.notBefore);
  const notAfter = new Date(summary.notAfter);
  const { validity, daysLeft } = validityOf(notBefore, notAfter, now);
  const view: CertificateView = {
    ...summary,
    displayName: displayNameOf(tbs.subject),
    issuerDisplayName: displayNameOf(tbs.issuer),
    validity,
    daysLeft,
    hasPrivateKey: summary.keyUri !== undefined,
  };
  const problem = summary.keyUri === undefined
    ? { code: 'KEY_NOT_FOUND' as const, message: 'There is no private key for this certificate on the token.' }
    : signingProblem({ notBefore, notAfter, purposes: summary.purposes }, options.policy, now);
  if (problem) view.notForSigning = problem;
  return view;
}
