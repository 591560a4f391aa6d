/**
 * A reading view of SignedData (RFC 5652 §5.1, §5.3) that keeps the received bytes of each
 * SignerInfo's signed attributes. RFC 5652 §5.4: the signature covers the DER of
 *
 *   SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
 *
 * exactly as the signer encoded it, which arrives as `signedAttrs [0] IMPLICIT SignedAttributes`.
 * @peculiar/asn1-cms declares `signedAttrs` as a repeated field, for which asn1-schema does not
 * keep the raw bytes (`signedAttrsRaw` stays empty), so this file declares the same structures
 * with the signed attributes as one SET-typed field marked `raw`. Same ASN.1, same library:
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
 *   SignedData ::= SEQUENCE {
 *     version CMSVersion,
 *     digestAlgorithms DigestAlgorithmIdentifiers,
 *     encapContentInfo EncapsulatedContentInfo,
 *     certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
 *     signerInfos SignerInfos }
 */
import { AsnArray, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute,
  CertificateSet,
  CMSVersion,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  RevocationInfoChoices,
  SignatureAlgorithmIdentifier,
  SignerIdentifier,
} from '@peculiar/asn1-cms';
import { AttributeSet } from './signed-attributes';

export class SignerInfoReader {
  version: CMSVersion = CMSVersion.v1;
  sid = new SignerIdentifier();
  digestAlgorithm = new DigestAlgorithmIdentifier();
  signedAttrs?: AttributeSet;
  /** The [0] IMPLICIT element as received (tag A0 … ), set by the parser. */
  signedAttrsRaw?: ArrayBuffer;
  signatureAlgorithm = new SignatureAlgorithmIdentifier();
  signature = new OctetString();
  unsignedAttrs?: Attribute[];
}
AsnProp({ type: AsnPropTypes.Integer })(SignerInfoReader.prototype, 'version');
AsnProp({ type: SignerIdentifier })(SignerInfoReader.prototype, 'sid');
AsnProp({ type: DigestAlgorithmIdentifier })(SignerInfoReader.prototype, 'digestAlgorithm');
AsnProp({ type: AttributeSet, context: 0, implicit: true, optional: true, raw: true })(SignerInfoReader.prototype, 'signedAttrs');
AsnProp({ type: SignatureAlgorithmIdentifier })(SignerInfoReader.prototype, 'signatureAlgorithm');
AsnProp({ type: OctetString })(SignerInfoReader.prototype, 'signature');
AsnProp({ type: Attribute, repeated: 'set', context: 1, implicit: true, optional: true })(SignerInfoReader.prototype, 'unsignedAttrs');

export class SignerInfosReader extends AsnArray<SignerInfoReader> {
  constructor(items?: SignerInfoReader[]) {
    super(items);
    Object.setPrototypeOf(this, SignerInfosReader.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: SignerInfoReader })(SignerInfosReader);

export class SignedDataReader {
  version: CMSVersion = CMSVersion.v1;
  digestAlgorithms = new DigestAlgorithmIdentifiers();
  encapContentInfo = new EncapsulatedContentInfo();
  certificates?: CertificateSet;
  crls?: RevocationInfoChoices;
  signerInfos = new SignerInfosReader();
}
AsnProp({ type: AsnPropTypes.Integer })(SignedDataReader.prototype, 'version');
AsnProp({ type: DigestAlgorithmIdentifiers })(SignedDataReader.prototype, 'digestAlgorithms');
AsnProp({ type: EncapsulatedContentInfo })(SignedDataReader.prototype, 'encapContentInfo');
AsnProp({ type: CertificateSet, context: 0, implicit: true, optional: true })(SignedDataReader.prototype, 'certificates');
AsnProp({ type: RevocationInfoChoices, context: 1, implicit: true, optional: true })(SignedDataReader.prototype, 'crls');
AsnProp({ type: SignerInfosReader })(SignedDataReader.prototype, 'signerInfos');
