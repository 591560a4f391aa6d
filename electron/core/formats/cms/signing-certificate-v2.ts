/**
 * The ESS signing-certificate-v2 attribute, RFC 5035 §3 (used by CAdES, ETSI EN 319 122-1 §5.2.2.3,
 * and PAdES, ETSI EN 319 142-1 §5.3): binds the signer's certificate into the signed attributes
 * so it cannot be swapped for another certificate with the same key.
 *
 *   id-aa-signingCertificateV2 OBJECT IDENTIFIER ::= { iso(1) member-body(2) us(840)
 *       rsadsi(113549) pkcs(1) pkcs9(9) smime(16) id-aa(2) 47 }
 *
 *   SigningCertificateV2 ::= SEQUENCE {
 *       certs        SEQUENCE OF ESSCertIDv2,
 *       policies     SEQUENCE OF PolicyInformation OPTIONAL }
 *
 *   ESSCertIDv2 ::= SEQUENCE {
 *       hashAlgorithm   AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *       certHash        Hash,
 *       issuerSerial    IssuerSerial OPTIONAL }
 *
 *   Hash ::= OCTET STRING
 *
 *   IssuerSerial ::= SEQUENCE {
 *       issuer          GeneralNames,
 *       serialNumber    CertificateSerialNumber }
 *
 * No installed package defines these types, so they are declared here with @peculiar/asn1-schema
 * (the same library the CMS types use); nothing is encoded by hand.
 */
import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, GeneralNames, PolicyInformation } from '@peculiar/asn1-x509';
import { id_sha256 } from '@peculiar/asn1-rsa';

// The schema decorators are applied as plain calls below the classes (legacy decorator
// signature, (prototype, key)), so no compiler decorator setting is needed.

export const id_aa_signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';

export class IssuerSerial {
  issuer = new GeneralNames();
  serialNumber: ArrayBuffer = new ArrayBuffer(0);
  constructor(params: Partial<IssuerSerial> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: GeneralNames })(IssuerSerial.prototype, 'issuer');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(IssuerSerial.prototype, 'serialNumber');

export class ESSCertIDv2 {
  hashAlgorithm = new AlgorithmIdentifier({ algorithm: id_sha256 });
  certHash = new OctetString();
  issuerSerial?: IssuerSerial;
  constructor(params: Partial<ESSCertIDv2> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AlgorithmIdentifier, optional: true, defaultValue: new AlgorithmIdentifier({ algorithm: id_sha256 }) })(ESSCertIDv2.prototype, 'hashAlgorithm');
AsnProp({ type: OctetString })(ESSCertIDv2.prototype, 'certHash');
AsnProp({ type: IssuerSerial, optional: true })(ESSCertIDv2.prototype, 'issuerSerial');

/** SEQUENCE OF ESSCertIDv2 */
export class ESSCertIDv2s extends AsnArray<ESSCertIDv2> {
  constructor(items?: ESSCertIDv2[]) {
    super(items);
    Object.setPrototypeOf(this, ESSCertIDv2s.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: ESSCertIDv2 })(ESSCertIDv2s);

/** SEQUENCE OF PolicyInformation */
export class PolicyInformations extends AsnArray<PolicyInformation> {
  constructor(items?: PolicyInformation[]) {
    super(items);
    Object.setPrototypeOf(this, PolicyInformations.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: PolicyInformation })(PolicyInformations);

export class SigningCertificateV2 {
  certs = new ESSCertIDv2s();
  policies?: PolicyInformations;
  constructor(params: Partial<SigningCertificateV2> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: ESSCertIDv2s })(SigningCertificateV2.prototype, 'certs');
AsnProp({ type: PolicyInformations, optional: true })(SigningCertificateV2.prototype, 'policies');
