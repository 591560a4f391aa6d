/**
 * Verifying one CMS SignerInfo (RFC 5652 §5.6):
 * - with signed attributes, the message-digest attribute must equal the content's digest and the
 *   signature covers the DER of the signed attributes as a SET OF (tag 0x31, §5.4) — the bytes
 *   received in the [0] IMPLICIT form with only the tag changed;
 * - content-type must be present and equal eContentType (§11.1);
 * - signing-certificate-v2 (RFC 5035 §5.4), when present, must name the signer's certificate.
 * The signature itself is checked with node:crypto (OpenSSL) against the certificate's key.
 */
import { createHash, verify as cryptoVerify, X509Certificate, constants } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { id_contentType, id_messageDigest, id_signingTime, SigningTime } from '@peculiar/asn1-cms';
import type { SignedDataReader as SignedData, SignerInfoReader as SignerInfo } from './signed-data-reader';
import { Certificate } from '@peculiar/asn1-x509';
import type { HashAlg } from '../../../../native/types';
import { hashFromDigestOid, parseSignatureAlgorithm } from './algorithms';
import { attributeValues, findSignerCertificate } from './parse';
import { ContentTypeValue } from './signed-attributes';
import { SigningCertificateV2, id_aa_signingCertificateV2 } from './signing-certificate-v2';

export interface SignerInfoCheck {
  /** The signer's certificate (DER) when it was found among the certificates. */
  signerCertificate?: Uint8Array;
  hash?: HashAlg;
  /** Signature value verifies over the signed attributes with the signer's key. */
  signatureValid: boolean;
  /** message-digest equals the content digest. */
  digestMatches: boolean;
  /** Claimed signing time (signing-time attribute), ISO. */
  signingTime?: string;
  /** Problems found, in plain words; empty when everything holds. */
  errors: string[];
}

/**
 * @param contentDigest computes the digest of the signed content with the given algorithm
 *   (the detached file, the PDF byte ranges, or the eContent).
 */
export async function verifySignerInfo(
  sd: SignedData,
  si: SignerInfo,
  certificates: readonly Uint8Array[],
  contentDigest: (hash: HashAlg) => Promise<Uint8Array> | Uint8Array,
): Promise<SignerInfoCheck> {
  const errors: string[] = [];
  const result: SignerInfoCheck = { signatureValid: false, digestMatches: false, errors };
  const hash = hashFromDigestOid(si.digestAlgorithm.algorithm);
  if (!hash) {
    errors.push(`Unsupported digest algorithm ${si.digestAlgorithm.algorithm}`);
    return result;
  }
  result.hash = hash;
  const signerCert = findSignerCertificate(si, certificates);
  if (!signerCert) {
    errors.push("The signer's certificate is not in the signature");
    return result;
  }
  result.signerCertificate = signerCert;

  if (!si.signedAttrs || !si.signedAttrsRaw) {
    errors.push('The signature has no signed attributes (not a CAdES/PAdES signature)');
    return result;
  }
  const digest = Buffer.from(await contentDigest(hash));
  const md = attributeValues(si.signedAttrs, id_messageDigest);
  if (md.length !== 1) errors.push('The message-digest attribute is missing or repeated');
  else {
    const claimed = Buffer.from(AsnConvert.parse(md[0]!, OctetString).buffer);
    result.digestMatches = Buffer.compare(claimed, digest) === 0;
    if (!result.digestMatches) errors.push('The document does not match the signature (message digest differs): it was changed after signing');
  }
  const ct = attributeValues(si.signedAttrs, id_contentType);
  if (ct.length !== 1) errors.push('The content-type attribute is missing or repeated');
  else if (AsnConvert.parse(ct[0]!, ContentTypeValue).value !== sd.encapContentInfo.eContentType) {
    errors.push('The content-type attribute does not match the signed content type');
  }
  const st = attributeValues(si.signedAttrs, id_signingTime);
  if (st.length === 1) result.signingTime = AsnConvert.parse(st[0]!, SigningTime).getTime().toISOString();

  const essErr = checkSigningCertificateV2(si, signerCert);
  if (essErr) errors.push(essErr);

  // RFC 5652 §5.4: the signature covers the SET OF encoding (EXPLICIT SET OF tag), not [0].
  const signed = Buffer.from(si.signedAttrsRaw);
  signed[0] = 0x31;
  try {
    const alg = parseSignatureAlgorithm(si.signatureAlgorithm, hash);
    const key = new X509Certificate(signerCert).publicKey;
    const sig = Buffer.from(si.signature.buffer);
    const ok =
      alg.scheme === 'ecdsa'
        ? cryptoVerify(alg.hash, signed, { key, dsaEncoding: 'der' }, sig)
        : alg.scheme === 'pss'
          ? cryptoVerify(alg.hash, signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength ?? 0 }, sig)
          : cryptoVerify(alg.hash, signed, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
    result.signatureValid = ok;
    if (!ok) errors.push('The signature value does not verify with the signer certificate');
  } catch (e) {
    errors.push(`The signature cannot be checked: ${(e as Error).message}`);
  }
  return result;
}

/** RFC 5035 §5.4: the first ESSCertIDv2 must identify the signer's certificate. */
function checkSigningCertificateV2(si: SignerInfo, signerCert: Uint8Array): string | undefined {
  const v = attributeValues(si.signedAttrs, id_aa_signingCertificateV2);
  if (v.length === 0) return undefined; // optional in plain CMS; CAdES/PAdES checks require it separately
  if (v.length > 1) return 'The signing-certificate-v2 attribute is repeated';
  const sc = AsnConvert.parse(v[0]!, SigningCertificateV2);
  const first = sc.certs[0];
  if (!first) return 'The signing-certificate-v2 attribute is empty';
  const hash = hashFromDigestOid(first.hashAlgorithm.algorithm);
  if (!hash) return `Unsupported hash in signing-certificate-v2: ${first.hashAlgorithm.algorithm}`;
  const actual = createHash(hash).update(signerCert).digest();
  if (Buffer.compare(actual, Buffer.from(first.certHash.buffer)) !== 0) {
    return 'The signing-certificate-v2 attribute names a different certificate than the one in the signature';
  }
  if (first.issuerSerial) {
    const cert = AsnConvert.parse(signerCert, Certificate);
    if (Buffer.compare(Buffer.from(first.issuerSerial.serialNumber), Buffer.from(cert.tbsCertificate.serialNumber)) !== 0) {
      return 'The signing-certificate-v2 issuer/serial does not match the certificate';
    }
  }
  return undefined;
}

export function hasSigningCertificateV2(si: SignerInfo): boolean {
  return attributeValues(si.signedAttrs, id_aa_signingCertificateV2).length > 0;
}
