/**
 * Checking an RFC 3161 time-stamp token (§2.4.2, §2.3):
 *
 *   TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
 *   TimeStampToken ::= ContentInfo  -- SignedData with eContentType id-ct-TSTInfo
 *   TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime GeneralizedTime,
 *                          accuracy OPTIONAL, ordering DEFAULT FALSE, nonce INTEGER OPTIONAL,
 *                          tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT OPTIONAL }
 *
 * Before a token is embedded (and again when a signature is verified): status granted or
 * grantedWithMods, the imprint is ours (same algorithm and hash), the nonce is ours, the token's
 * SignerInfo verifies (RFC 5652 §5.6) with a TSA certificate whose extended key usage is exactly
 * id-kp-timeStamping and critical (RFC 3161 §2.3), and genTime lies in that certificate's validity.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { PKIStatus, TimeStampResp, TSTInfo, id_ct_tstInfo } from '@peculiar/asn1-tsp';
import { type ContentInfo } from '@peculiar/asn1-cms';
import { Certificate, ExtendedKeyUsage, id_ce_extKeyUsage, id_kp_timeStamping } from '@peculiar/asn1-x509';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import { hashBytes } from '../../hashing';
import { hashFromDigestOid } from '../cms/algorithms';
import { encapsulatedContent, parseSignedData } from '../cms/parse';
import { verifySignerInfo } from '../cms/verify-signer-info';

export interface TimestampInfo {
  /** TimeStampToken (ContentInfo) DER: the value of the signature-time-stamp attribute. */
  token: Uint8Array;
  genTime: Date;
  policy: string;
  serialNumber: string;
  hash: HashAlg;
  tsaCertificate: Uint8Array;
  /** Certificates carried in the token, DER (TSA certificate first when present). */
  certificates: Uint8Array[];
}

export interface TimestampExpectation {
  hash?: HashAlg;
  /** The hash the token must carry… */
  imprint?: Uint8Array;
  /** …or the data it must cover (hashed with the token's own algorithm), e.g. a signature value. */
  data?: Uint8Array;
  nonce?: Uint8Array;
}

/** Parse a TimeStampResp, require status granted, then check the token. Throws with a reason. */
export async function verifyTimestampResponse(respDer: Uint8Array, expect: TimestampExpectation): Promise<TimestampInfo> {
  let resp: TimeStampResp;
  try {
    resp = AsnConvert.parse(respDer, TimeStampResp);
  } catch (e) {
    throw tspError('the response is not an RFC 3161 TimeStampResp', e);
  }
  const status = resp.status.status;
  if (status !== PKIStatus.granted && status !== PKIStatus.grantedWithMods) {
    const text = resp.status.statusString?.join('; ');
    const fail = resp.status.failInfo?.toJSON().join(', ');
    throw tspError(`the TSA refused the request (status ${PKIStatus[status] ?? status}${text ? `: ${text}` : ''}${fail ? `, ${fail}` : ''})`);
  }
  if (!resp.timeStampToken) throw tspError('the response has no token');
  const token = new Uint8Array(AsnConvert.serialize(resp.timeStampToken as ContentInfo));
  return verifyTimestampToken(token, expect);
}

/** Check a TimeStampToken against the data it should cover. Throws SignetError with the reason. */
export async function verifyTimestampToken(token: Uint8Array, expect: TimestampExpectation): Promise<TimestampInfo> {
  const { signedData, certificates } = parseSignedData(token);
  if (signedData.encapContentInfo.eContentType !== id_ct_tstInfo) throw tspError('the token does not contain a TSTInfo');
  const content = encapsulatedContent(signedData);
  if (!content) throw tspError('the token has no TSTInfo content');
  let tst: TSTInfo;
  try {
    tst = AsnConvert.parse(content, TSTInfo);
  } catch (e) {
    throw tspError('the TSTInfo cannot be parsed', e);
  }
  const hash = hashFromDigestOid(tst.messageImprint.hashAlgorithm.algorithm);
  if (!hash) throw tspError(`unsupported imprint algorithm ${tst.messageImprint.hashAlgorithm.algorithm}`);
  if (expect.hash && hash !== expect.hash) throw tspError(`the imprint uses ${hash}, not ${expect.hash}`);
  const expected = expect.imprint ?? (expect.data ? hashBytes(hash, expect.data) : undefined);
  if (!expected) throw new SignetError('INTERNAL', 'verifyTimestampToken: nothing to compare the imprint with');
  if (Buffer.compare(Buffer.from(tst.messageImprint.hashedMessage.buffer), Buffer.from(expected)) !== 0) {
    throw tspError('the token is for different data (message imprint mismatch)');
  }
  if (expect.nonce) {
    if (!tst.nonce || Buffer.compare(Buffer.from(tst.nonce), Buffer.from(expect.nonce)) !== 0) throw tspError('the nonce in the token is not ours');
  }
  const si = signedData.signerInfos[0];
  if (!si || signedData.signerInfos.length !== 1) throw tspError('the token must have exactly one signer');
  const check = await verifySignerInfo(signedData, si, certificates, (h) => hashBytes(h, content));
  if (!check.signerCertificate) throw tspError("the TSA's certificate is not in the token");
  if (check.errors.length > 0) throw tspError(check.errors.join('; '));
  checkTsaCertificate(check.signerCertificate, tst.genTime);
  const tsaCert = check.signerCertificate;
  return {
    token,
    genTime: tst.genTime,
    policy: tst.policy,
    serialNumber: Buffer.from(tst.serialNumber).toString('hex'),
    hash,
    tsaCertificate: tsaCert,
    certificates: [tsaCert, ...certificates.filter((c) => Buffer.compare(Buffer.from(c), Buffer.from(tsaCert)) !== 0)],
  };
}

/** RFC 3161 §2.3: the TSA certificate's EKU is exactly id-kp-timeStamping and critical. */
export function checkTsaCertificate(der: Uint8Array, at: Date): void {
  const cert = AsnConvert.parse(der, Certificate);
  const ext = cert.tbsCertificate.extensions?.find((x) => x.extnID === id_ce_extKeyUsage);
  if (!ext) throw tspError('the TSA certificate has no extended key usage (timeStamping required)');
  const eku = AsnConvert.parse(ext.extnValue, ExtendedKeyUsage);
  if (!eku.includes(id_kp_timeStamping)) throw tspError('the TSA certificate is not for time stamping (EKU timeStamping missing)');
  if (eku.length !== 1 || !ext.critical) throw tspError('the TSA certificate EKU must be timeStamping only and critical (RFC 3161 §2.3)');
  const x = new X509Certificate(der);
  if (at < new Date(x.validFrom) || at > new Date(x.validTo)) throw tspError('the time-stamp lies outside the TSA certificate validity');
}

function tspError(message: string, cause?: unknown): SignetError {
  return new SignetError('INTERNAL', `Time-stamp rejected: ${message}`, cause === undefined ? {} : { cause });
}
