/**
 * Is the signer's certificate revoked? Asked before signing when enabled (config / --check-
 * revocation). OCSP responders from the Authority Information Access extension first (RFC 5280
 * §4.2.2.1), then CRL distribution points (§4.2.1.13, http URIs); the first definite answer
 * (good or revoked) decides. When no source answers, the status is 'unknown' with the reasons:
 * the caller warns and goes on — it never blocks without saying why.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  Certificate,
  CRLDistributionPoints,
  id_ce_cRLDistributionPoints,
  id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';
import { SignetError } from '../../../../native/errors';
import { crlCheck } from './crl';
import { ocspCheck } from './ocsp';
import type { RevocationAnswer, RevocationResult } from './types';

export type { RevocationAnswer, RevocationResult } from './types';

const OCSP_METHOD = '1.3.6.1.5.5.7.48.1';
/** id-ad-caIssuers, RFC 5280 §4.2.2.1: where the issuer's certificate can be fetched. */
const CA_ISSUERS_METHOD = '1.3.6.1.5.5.7.48.2';

export function revocationSources(leafDer: Uint8Array): { ocsp: string[]; crl: string[]; caIssuers: string[] } {
  const exts = AsnConvert.parse(leafDer, Certificate).tbsCertificate.extensions ?? [];
  const ocsp: string[] = [];
  const crl: string[] = [];
  const caIssuers: string[] = [];
  for (const e of exts) {
    try {
      if (e.extnID === id_pe_authorityInfoAccess) {
        for (const a of AsnConvert.parse(e.extnValue.buffer, AuthorityInfoAccessSyntax)) {
          const uri = a.accessLocation.uniformResourceIdentifier;
          if (a.accessMethod === OCSP_METHOD && uri) ocsp.push(uri);
          if (a.accessMethod === CA_ISSUERS_METHOD && uri && /^https?:/i.test(uri)) caIssuers.push(uri);
        }
      } else if (e.extnID === id_ce_cRLDistributionPoints) {
        for (const dp of AsnConvert.parse(e.extnValue.buffer, CRLDistributionPoints)) {
          for (const g of dp.distributionPoint?.fullName ?? []) {
            if (g.uniformResourceIdentifier && /^https?:/i.test(g.uniformResourceIdentifier)) crl.push(g.uniformResourceIdentifier);
          }
        }
      }
    } catch {
      // an unparsable extension offers no source
    }
  }
  return { ocsp, crl, caIssuers };
}

export async function checkRevocation(
  leafDer: Uint8Array,
  issuerDer: Uint8Array | undefined,
  opts: { timeoutMs?: number; signal?: AbortSignal; now?: Date } = {},
): Promise<RevocationResult> {
  if (!issuerDer) return { status: 'unknown', problems: ["The issuer's certificate was not found, so revocation cannot be checked"] };
  const { ocsp, crl } = revocationSources(leafDer);
  if (ocsp.length === 0 && crl.length === 0) return { status: 'unknown', problems: ['The certificate names no OCSP responder or CRL distribution point'] };
  const problems: string[] = [];
  const attempts: Array<() => Promise<RevocationAnswer>> = [
    ...ocsp.map((u) => () => ocspCheck(u, leafDer, issuerDer, opts)),
    ...crl.map((u) => () => crlCheck(u, leafDer, issuerDer, opts)),
  ];
  for (const attempt of attempts) {
    opts.signal?.throwIfAborted();
    try {
      const a = await attempt();
      if (a.status !== 'unknown') return { status: a.status, answer: a, problems };
      if (a.problem) problems.push(a.problem);
    } catch (e) {
      if (e instanceof SignetError && e.code === 'USER_CANCELLED') throw e;
      problems.push((e as Error).message);
    }
  }
  return { status: 'unknown', problems };
}
