/**
 * Assembles a CMS SignedData (RFC 5652 §5) around one SignerInfo, in a ContentInfo (§3):
 *
 *   ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
 *
 *   SignedData ::= SEQUENCE {
 *     version CMSVersion,
 *     digestAlgorithms DigestAlgorithmIdentifiers,
 *     encapContentInfo EncapsulatedContentInfo,
 *     certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
 *     signerInfos SignerInfos }
 *
 *   SignerInfo ::= SEQUENCE {
 *     version CMSVersion,
 *     sid SignerIdentifier,
 *     digestAlgorithm DigestAlgorithmIdentifier,
 *     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
 *     signatureAlgorithm SignatureAlgorithmIdentifier,
 *     signature SignatureValue,
 *     unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 *
 * Detached signatures (CAdES .p7s, PAdES) omit eContent. The SignerIdentifier is
 * issuerAndSerialNumber, so SignerInfo and SignedData versions are 1 (§5.1, §5.3).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  type Attribute,
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms';
import { Certificate } from '@peculiar/asn1-x509';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import { digestAlgorithm, signatureAlgorithm, type SignatureScheme } from './algorithms';
import { BoundedCache, bytesKey } from './cert-cache';

export { id_data };

export interface SignerInfoParts {
  signerCertificate: Uint8Array;
  hash: HashAlg;
  scheme: SignatureScheme;
  /** From buildSignedAttributes: the attributes in DER order. */
  signedAttributes: Attribute[];
  signature: Uint8Array;
  unsignedAttributes?: Attribute[];
}

export function buildSignerInfo(p: SignerInfoParts): SignerInfo {
  const cert = parseCertificate(p.signerCertificate);
  return new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: cert.tbsCertificate.issuer, serialNumber: cert.tbsCertificate.serialNumber }),
    }),
    digestAlgorithm: digestAlgorithm(p.hash),
    signedAttrs: p.signedAttributes,
    signatureAlgorithm: signatureAlgorithm(p.scheme, p.hash),
    signature: new OctetString(p.signature),
    unsignedAttrs: p.unsignedAttributes && p.unsignedAttributes.length > 0 ? p.unsignedAttributes : undefined,
  });
}

export interface SignedDataParts {
  signerInfo: SignerInfo;
  hash: HashAlg;
  /** Signer first, then the chain; duplicates are removed. DER. */
  certificates: readonly Uint8Array[];
  /** Default id-data. */
  eContentType?: string;
}

/** DER of ContentInfo { id-signedData, SignedData } with detached content. */
export function encodeSignedData(p: SignedDataParts): Uint8Array {
  const seen = new Set<string>();
  const certs: Uint8Array[] = [];
  for (const c of p.certificates) {
    const k = Buffer.from(c).toString('base64');
    if (!seen.has(k)) {
      seen.add(k);
      certs.push(c);
    }
  }
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm(p.hash)]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: p.eContentType ?? id_data }),
    certificates: new CertificateSet(certs.map((c) => new CertificateChoices({ certificate: parseCertificate(c) }))),
    signerInfos: new SignerInfos([p.signerInfo]),
  });
  for (const c of certs) assertDerPreserved(c);
  return new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) })));
}

const parsed = new BoundedCache<Certificate>();

/**
 * The certificate as an ASN.1 object. Parsed once per certificate (the same signer and chain
 * are embedded in every file of a batch); callers only read it or embed it.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  return parsed.get(bytesKey(der), () => {
    try {
      return AsnConvert.parse(der, Certificate);
    } catch (e) {
      throw new SignetError('INVALID_INPUT', 'A certificate cannot be parsed', { cause: e });
    }
  });
}

const preserved = new BoundedCache<boolean>();

/**
 * The ASN.1 library re-encodes parsed certificates. For DER input that is the identity; a
 * certificate with a non-DER encoding would come out changed, with its CA signature broken.
 * Check (once per certificate: the answer depends on its bytes alone), rather than ship a
 * container whose certificates do not verify.
 */
function assertDerPreserved(c: Uint8Array): void {
  const ok = preserved.get(bytesKey(c), () => Buffer.compare(Buffer.from(AsnConvert.serialize(parseCertificate(c))), Buffer.from(c)) === 0);
  if (!ok) throw new SignetError('INVALID_INPUT', 'A certificate is not DER-encoded and cannot be embedded without changing it');
}
