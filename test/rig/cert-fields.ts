// The DER pieces of a certificate that PKCS#11 certificate objects carry (PKCS#11 v2.40 §4.6.3:
// CKA_SUBJECT, CKA_ISSUER = DER Name; CKA_SERIAL_NUMBER = DER INTEGER), taken with a kept ASN.1
// library rather than by hand.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';

export interface CertFields {
  subjectDer: Buffer;
  issuerDer: Buffer;
  serialDer: Buffer;
}

export function certFields(certDer: Buffer): CertFields {
  const cert = AsnConvert.parse(certDer, Certificate);
  const tbs = cert.tbsCertificate;
  const serial = Buffer.from(tbs.serialNumber);
  // DER INTEGER: tag 0x02, short-form length (serials are at most 20 octets, RFC 5280 §4.1.2.2).
  const serialDer = Buffer.concat([Buffer.from([0x02, serial.length]), serial]);
  return {
    subjectDer: Buffer.from(AsnConvert.serialize(tbs.subject)),
    issuerDer: Buffer.from(AsnConvert.serialize(tbs.issuer)),
    serialDer,
  };
}
