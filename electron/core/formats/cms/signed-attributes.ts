/**
 * Signed attributes of a CMS SignerInfo, RFC 5652 §5.3/§5.4, with the CAdES/PAdES baseline set
 * (ETSI EN 319 122-1 §5.1–5.2, EN 319 142-1 §5.3):
 *
 *   SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
 *   Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
 *
 *   content-type         (RFC 5652 §11.1)  ContentType ::= OBJECT IDENTIFIER
 *   message-digest       (RFC 5652 §11.2)  MessageDigest ::= OCTET STRING
 *   signing-time         (RFC 5652 §11.3)  SigningTime ::= Time   (CAdES only: PAdES forbids it,
 *                                           EN 319 142-1 §5.4.3, the time goes in the PDF /M)
 *   signing-certificate-v2 (RFC 5035 §3, see signing-certificate-v2.ts)
 *
 * RFC 5652 §5.4: the signature is computed over the DER encoding of the SignedAttributes as a
 * SET OF (tag 0x31), not over the [0] IMPLICIT form that appears in the SignerInfo. DER sorts the
 * elements of a SET OF by their encodings (X.690 §11.6); we sort here, and use the same order for
 * the SignerInfo so that both encodings carry the same bytes.
 */
import { createHash } from 'node:crypto';
import { AsnArray, AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { Attribute, id_contentType, id_messageDigest, id_signingTime, SigningTime } from '@peculiar/asn1-cms';
import { GeneralName, GeneralNames } from '@peculiar/asn1-x509';
import type { HashAlg } from '../../../../native/types';
import { digestAlgorithm } from './algorithms';
import { parseCertificate } from './signed-data';
import { ESSCertIDv2, ESSCertIDv2s, IssuerSerial, SigningCertificateV2, id_aa_signingCertificateV2 } from './signing-certificate-v2';

/** SignedAttributes ::= SET SIZE (1..MAX) OF Attribute, for serialising the SET OF form. */
export class AttributeSet extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, AttributeSet.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(AttributeSet);

export interface SignedAttributesInput {
  /** eContentType; id-data for detached documents and PDFs. */
  contentType: string;
  /** Digest of the content (the file, or the PDF byte ranges). */
  messageDigest: Uint8Array;
  /** CAdES: the claimed signing time. Omit for PAdES. */
  signingTime?: Date;
  /** The signer's certificate, DER. */
  signerCertificate: Uint8Array;
  /** Hash for ESSCertIDv2.certHash (default SHA-256, RFC 5035's default, then encoded absent). */
  certHashAlg?: HashAlg;
}

export interface SignedAttributes {
  /** In DER order: put exactly this array in SignerInfo.signedAttrs. */
  attributes: Attribute[];
  /** DER of the SET OF: what the digest for the card is computed over. */
  der: Uint8Array;
}

export function attribute(type: string, ...values: ArrayBuffer[]): Attribute {
  return new Attribute({ attrType: type, attrValues: values });
}

export function signingCertificateV2(certDer: Uint8Array, hash: HashAlg = 'sha256'): SigningCertificateV2 {
  const cert = parseCertificate(certDer);
  const essId = new ESSCertIDv2({
    certHash: new OctetString(createHash(hash).update(certDer).digest()),
    issuerSerial: new IssuerSerial({
      issuer: new GeneralNames([new GeneralName({ directoryName: cert.tbsCertificate.issuer })]),
      serialNumber: cert.tbsCertificate.serialNumber,
    }),
  });
  essId.hashAlgorithm = digestAlgorithm(hash);
  return new SigningCertificateV2({ certs: new ESSCertIDv2s([essId]) });
}

export function buildSignedAttributes(input: SignedAttributesInput): SignedAttributes {
  const attrs: Attribute[] = [
    attribute(id_contentType, AsnConvert.serialize(new ContentTypeValue(input.contentType))),
    attribute(id_messageDigest, AsnConvert.serialize(new OctetString(input.messageDigest))),
    attribute(id_aa_signingCertificateV2, AsnConvert.serialize(signingCertificateV2(input.signerCertificate, input.certHashAlg))),
  ];
  if (input.signingTime) attrs.push(attribute(id_signingTime, AsnConvert.serialize(new SigningTime(input.signingTime))));
  return encodeAttributeSet(attrs);
}

/** Sort attributes into DER SET OF order and encode the SET. */
export function encodeAttributeSet(attrs: Attribute[]): SignedAttributes {
  const encoded = attrs.map((a) => ({ a, der: Buffer.from(AsnConvert.serialize(a)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  const attributes = encoded.map((e) => e.a);
  const der = new Uint8Array(AsnConvert.serialize(new AttributeSet(attributes)));
  return { attributes, der };
}

/** ContentType ::= OBJECT IDENTIFIER, as a value on its own (a one-member CHOICE encodes as its member). */
export class ContentTypeValue {
  value: string;
  constructor(value = '') {
    this.value = value;
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(ContentTypeValue.prototype, 'value');
AsnType({ type: AsnTypeTypes.Choice })(ContentTypeValue);
