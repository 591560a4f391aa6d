/**
 * CRLs, RFC 5280 §5: fetch the list from the certificate's CRL distribution point (http only),
 * check it is signed by the issuer (§6.3.3 (f)) and current (thisUpdate ≤ now ≤ nextUpdate), and
 * look for the certificate's serial number.
 *
 *   CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertList ::= SEQUENCE { version OPTIONAL, signature, issuer Name, thisUpdate Time,
 *       nextUpdate Time OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE {
 *           userCertificate CertificateSerialNumber, revocationDate Time, crlEntryExtensions OPTIONAL } OPTIONAL,
 *       crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList, CRLReason, id_ce_cRLReasons } from '@peculiar/asn1-x509';
import { fetchBytes } from '../../net/fetch-bytes';
import { crlReasonName } from './ocsp';
import { verifySignedStructure } from './signature';
import type { RevocationAnswer } from './types';

const SKEW_MS = 5 * 60_000;

export async function crlCheck(url: string, leafDer: Uint8Array, issuerDer: Uint8Array, opts: { timeoutMs?: number; signal?: AbortSignal; now?: Date } = {}): Promise<RevocationAnswer> {
  return (await fetchCrl(url, leafDer, issuerDer, opts)).answer;
}

/** Fetch and check, keeping the CRL's DER (for a PAdES DSS or CAdES revocation-values). */
export async function fetchCrl(
  url: string,
  leafDer: Uint8Array,
  issuerDer: Uint8Array,
  opts: { timeoutMs?: number; signal?: AbortSignal; now?: Date } = {},
): Promise<{ answer: RevocationAnswer; der: Uint8Array }> {
  const body = await fetchBytes(url, {
    what: 'CRL distribution point',
    accept: 'application/pkix-crl',
    maxBytes: 50 * 1024 * 1024,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { answer: checkCrl(body, leafDer, issuerDer, url, opts.now ?? new Date()), der: body };
}

/** `now` null: an embedded CRL judged later (long-term validation): no freshness check against the clock. */
export function checkCrl(body: Uint8Array, leafDer: Uint8Array, issuerDer: Uint8Array, url: string, now: Date | null): RevocationAnswer {
  const fail = (why: string): RevocationAnswer => ({ status: 'unknown', source: 'crl', url, problem: `CRL ${url}: ${why}` });
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(body, CertificateList);
  } catch {
    return fail('not a CRL');
  }
  if (!crl.tbsCertListRaw || !verifySignedStructure(crl.tbsCertListRaw, crl.signatureAlgorithm, crl.signature, issuerDer)) {
    return fail('not signed by the certificate issuer');
  }
  const leaf = AsnConvert.parse(leafDer, Certificate).tbsCertificate;
  const t = crl.tbsCertList;
  if (Buffer.compare(Buffer.from(AsnConvert.serialize(t.issuer)), Buffer.from(AsnConvert.serialize(leaf.issuer))) !== 0) return fail('issued for another CA');
  if (now && t.thisUpdate.getTime().getTime() > now.getTime() + SKEW_MS) return fail('dated in the future');
  if (now && t.nextUpdate && t.nextUpdate.getTime().getTime() < now.getTime() - SKEW_MS) return fail('out of date (nextUpdate passed)');
  const serial = Buffer.from(leaf.serialNumber);
  const entry = (t.revokedCertificates ?? []).find((r) => Buffer.compare(Buffer.from(r.userCertificate), serial) === 0);
  if (!entry) return { status: 'good', source: 'crl', url, checkedAt: t.thisUpdate.getTime().toISOString() };
  const reasonExt = entry.crlEntryExtensions?.find((x) => x.extnID === id_ce_cRLReasons);
  let reason: string | undefined;
  if (reasonExt) {
    try {
      reason = crlReasonName(Number(AsnConvert.parse(reasonExt.extnValue.buffer, CRLReason).reason));
    } catch {
      // a malformed reason does not change the answer
    }
  }
  return { status: 'revoked', source: 'crl', url, checkedAt: t.thisUpdate.getTime().toISOString(), revokedAt: entry.revocationDate.getTime().toISOString(), ...(reason ? { reason } : {}) };
}
