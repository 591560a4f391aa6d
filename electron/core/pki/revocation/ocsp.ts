/**
 * OCSP, RFC 6960: ask the responder named in the certificate's AIA whether it is revoked.
 *
 *   CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
 *                         issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
 *   OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
 *   BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm,
 *                                    signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 *
 * CertID uses SHA-1 (§4.1.1, what every responder supports). The request carries a nonce
 * (RFC 8954); when the response echoes one, it must match. The response must be signed by the
 * issuer itself or by a responder certificate the issuer issued for id-kp-OCSPSigning (§4.2.2.2),
 * and be current (thisUpdate ≤ now ≤ nextUpdate, with 5 minutes of clock tolerance).
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  Nonce,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, Certificate, ExtendedKeyUsage, Extension, id_ce_extKeyUsage } from '@peculiar/asn1-x509';
import { fetchBytes } from '../../net/fetch-bytes';
import { verifySignedStructure } from './signature';
import type { RevocationAnswer } from './types';

const SHA1 = '1.3.14.3.2.26';
const SKEW_MS = 5 * 60_000;

export function certIdFor(leafDer: Uint8Array, issuerDer: Uint8Array): CertID {
  const leaf = AsnConvert.parse(leafDer, Certificate);
  const issuer = AsnConvert.parse(issuerDer, Certificate);
  const sha1 = (b: ArrayBuffer | Uint8Array) => createHash('sha1').update(Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b))).digest();
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(sha1(AsnConvert.serialize(leaf.tbsCertificate.issuer))),
    // The hash of the subjectPublicKey BIT STRING's value (without tag, length, unused-bits byte).
    issuerKeyHash: new OctetString(sha1(issuer.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)),
    serialNumber: leaf.tbsCertificate.serialNumber,
  });
}

export async function ocspCheck(url: string, leafDer: Uint8Array, issuerDer: Uint8Array, opts: { timeoutMs?: number; signal?: AbortSignal; now?: Date } = {}): Promise<RevocationAnswer> {
  return (await fetchOcsp(url, leafDer, issuerDer, opts)).answer;
}

/** Ask and check, keeping the response's DER (what a PAdES DSS or CAdES revocation-values embeds). */
export async function fetchOcsp(
  url: string,
  leafDer: Uint8Array,
  issuerDer: Uint8Array,
  opts: { timeoutMs?: number; signal?: AbortSignal; now?: Date } = {},
): Promise<{ answer: RevocationAnswer; der: Uint8Array }> {
  const certId = certIdFor(leafDer, issuerDer);
  const nonce = randomBytes(16);
  const req = new OCSPRequest({
    tbsRequest: new TBSRequest({
      requestList: [new Request({ reqCert: certId })],
      requestExtensions: [new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(AsnConvert.serialize(new Nonce(nonce))) })],
    }),
  });
  const body = await fetchBytes(url, {
    method: 'POST',
    body: new Uint8Array(AsnConvert.serialize(req)),
    contentType: 'application/ocsp-request',
    accept: 'application/ocsp-response',
    what: 'OCSP responder',
    maxBytes: 1024 * 1024,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { answer: parseOcspResponse(body, certId, issuerDer, nonce, url, opts.now ?? new Date()), der: body };
}

/**
 * `now` null: an embedded response judged later (long-term validation): no freshness check
 * against the clock — the caller compares thisUpdate (`checkedAt`) with the signature's time —
 * and a delegated responder's certificate is judged at the response's producedAt.
 */
export function parseOcspResponse(body: Uint8Array, certId: CertID, issuerDer: Uint8Array, nonce: Uint8Array | undefined, url: string, now: Date | null): RevocationAnswer {
  const fail = (why: string): RevocationAnswer => ({ status: 'unknown', source: 'ocsp', url, problem: `OCSP ${url}: ${why}` });
  let resp: OCSPResponse;
  try {
    resp = AsnConvert.parse(body, OCSPResponse);
  } catch {
    return fail('the answer is not an OCSP response');
  }
  if (resp.responseStatus !== OCSPResponseStatus.successful) return fail(`the responder answered "${OCSPResponseStatus[resp.responseStatus] ?? resp.responseStatus}"`);
  if (!resp.responseBytes || resp.responseBytes.responseType !== id_pkix_ocsp_basic) return fail('no basic OCSP response');
  let basic: BasicOCSPResponse;
  try {
    basic = AsnConvert.parse(resp.responseBytes.response.buffer, BasicOCSPResponse);
  } catch {
    return fail('the basic OCSP response cannot be parsed');
  }
  const tbs = basic.tbsResponseDataRaw;
  if (!tbs) return fail('the response data cannot be read');

  // Who signed: the issuer, or a delegated responder issued by it for OCSP signing.
  const candidates = [issuerDer, ...(basic.certs ?? []).map((c) => new Uint8Array(AsnConvert.serialize(c)))];
  const signer = candidates.find((c) => verifySignedStructure(tbs, basic.signatureAlgorithm, basic.signature, c));
  if (!signer) return fail('the response signature does not verify with the issuer or a responder certificate in it');
  if (signer !== issuerDer && !isDelegatedResponder(signer, issuerDer, now ?? basic.tbsResponseData.producedAt)) return fail('the response is signed by a certificate the issuer did not authorise for OCSP');

  const data = basic.tbsResponseData;
  const respNonce = data.responseExtensions?.find((x) => x.extnID === id_pkix_ocsp_nonce);
  if (respNonce && nonce) {
    const echoed = Buffer.from(AsnConvert.parse(respNonce.extnValue.buffer, Nonce).buffer);
    if (Buffer.compare(echoed, Buffer.from(nonce)) !== 0) return fail('the response nonce is not ours (replayed answer?)');
  }
  const single = data.responses.find((r) => sameCertId(r.certID, certId));
  if (!single) return fail('the response does not mention this certificate');
  if (now && single.thisUpdate.getTime() > now.getTime() + SKEW_MS) return fail('the response is dated in the future');
  if (now && single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - SKEW_MS) return fail('the response is out of date (nextUpdate passed)');
  if (single.certStatus.revoked) {
    const reason = single.certStatus.revoked.revocationReason;
    return {
      status: 'revoked',
      source: 'ocsp',
      url,
      checkedAt: single.thisUpdate.toISOString(),
      revokedAt: single.certStatus.revoked.revocationTime.toISOString(),
      ...(reason !== undefined ? { reason: crlReasonName(Number(reason.reason)) } : {}),
    };
  }
  if (single.certStatus.unknown !== undefined && single.certStatus.good === undefined) return fail('the responder does not know this certificate');
  return { status: 'good', source: 'ocsp', url, checkedAt: single.thisUpdate.toISOString() };
}

function sameCertId(a: CertID, b: CertID): boolean {
  const eq = (x: ArrayBuffer, y: ArrayBuffer) => Buffer.compare(Buffer.from(x), Buffer.from(y)) === 0;
  return (
    a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
    eq(a.issuerNameHash.buffer, b.issuerNameHash.buffer) &&
    eq(a.issuerKeyHash.buffer, b.issuerKeyHash.buffer) &&
    eq(a.serialNumber, b.serialNumber)
  );
}

function isDelegatedResponder(der: Uint8Array, issuerDer: Uint8Array, now: Date): boolean {
  const x = new X509Certificate(der);
  if (!x.checkIssued(new X509Certificate(issuerDer)) || !x.verify(new X509Certificate(issuerDer).publicKey)) return false;
  if (now < new Date(x.validFrom) || now > new Date(x.validTo)) return false;
  const ext = AsnConvert.parse(der, Certificate).tbsCertificate.extensions?.find((e) => e.extnID === id_ce_extKeyUsage);
  return ext ? AsnConvert.parse(ext.extnValue.buffer, ExtendedKeyUsage).includes(id_kp_OCSPSigning) : false;
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '(unused)', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];
export function crlReasonName(n: number): string {
  return REASONS[n] ?? `reason ${n}`;
}
