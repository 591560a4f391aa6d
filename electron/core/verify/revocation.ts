/**
 * Validating embedded revocation material without the network (ETSI EN 319 102-1 §5.2.5 and
 * §5.6.2.1 for long-term validation; PAdES DSS, CAdES SignedData.crls): for each certificate of
 * the signer's chain below the trust anchor, an OCSP response (RFC 6960: signed by the issuer or
 * a responder it authorised, about this certificate) or a CRL (RFC 5280: signed by the issuer)
 * among the material, issued no earlier than the signature's time — the time-stamp's when there
 * is one. A revocation after that time does not touch the signature.
 */
import { certIdFor, parseOcspResponse } from '../pki/revocation/ocsp';
import { checkCrl } from '../pki/revocation/crl';
import type { RevocationAnswer } from '../pki/revocation/types';
import { oneLine, type ChainLink } from '../pki/chain';
import type { RevocationReport, CertRevocationReport } from './types';

export interface EmbeddedMaterial {
  ocsps: readonly Uint8Array[];
  crls: readonly Uint8Array[];
  /** Certificates besides the signature's own (DSS /Certs). */
  certificates: readonly Uint8Array[];
}

const SKEW_MS = 5 * 60_000;

export function validateEmbeddedRevocation(chain: readonly ChainLink[], m: EmbeddedMaterial, signatureTime: Date): RevocationReport {
  const certificates: CertRevocationReport[] = [];
  for (let i = 0; i + 1 < chain.length; i++) {
    const cert = chain[i]!;
    const issuer = chain[i + 1]!;
    certificates.push(judgeOne(cert, issuer, m, signatureTime));
  }
  const last = chain[chain.length - 1];
  if (last && !(last.cert.subject === last.cert.issuer && last.cert.checkIssued(last.cert))) {
    certificates.push({ subject: oneLine(last.cert.subject), status: 'unknown', errors: ["the issuer's certificate is missing, so its revocation data cannot be checked"] });
  }
  const status: RevocationReport['status'] =
    m.ocsps.length + m.crls.length === 0
      ? 'none'
      : certificates.some((c) => c.status === 'revoked')
        ? 'revoked'
        : certificates.every((c) => c.status === 'good')
          ? 'good'
          : 'unknown';
  return { status, certificates };
}

function judgeOne(cert: ChainLink, issuer: ChainLink, m: EmbeddedMaterial, at: Date): CertRevocationReport {
  const subject = oneLine(cert.cert.subject);
  const errors: string[] = [];
  const consider = (a: RevocationAnswer): CertRevocationReport | undefined => {
    if (a.status === 'unknown') {
      if (a.problem && !/does not mention this certificate|issued for another CA/.test(a.problem)) errors.push(a.problem);
      return undefined;
    }
    const thisUpdate = a.checkedAt ? new Date(a.checkedAt) : undefined;
    const base = { subject, source: a.source, ...(a.checkedAt ? { thisUpdate: a.checkedAt } : {}) };
    if (a.status === 'revoked') {
      const revokedAt = a.revokedAt ? new Date(a.revokedAt) : undefined;
      if (revokedAt && revokedAt > at) {
        return { ...base, status: 'good', revokedAt: a.revokedAt!, errors: [], note: `revoked at ${a.revokedAt}, after the signature time` };
      }
      return { ...base, status: 'revoked', ...(a.revokedAt ? { revokedAt: a.revokedAt } : {}), errors: [`revoked${a.revokedAt ? ` at ${a.revokedAt}` : ''}, before the signature time ${at.toISOString()}`] };
    }
    if (thisUpdate && thisUpdate.getTime() < at.getTime() - SKEW_MS) {
      errors.push(`the ${a.source.toUpperCase()} answer (thisUpdate ${a.checkedAt}) is older than the signature time ${at.toISOString()}`);
      return undefined;
    }
    return { ...base, status: 'good', errors: [] };
  };
  for (const der of m.ocsps) {
    const r = consider(parseOcspResponse(der, certIdFor(cert.der, issuer.der), issuer.der, undefined, 'embedded', null));
    if (r) return r;
  }
  for (const der of m.crls) {
    const r = consider(checkCrl(der, cert.der, issuer.der, 'embedded', null));
    if (r) return r;
  }
  return { subject, status: 'unknown', errors: errors.length ? errors : ['no OCSP response or CRL for this certificate is embedded'] };
}
