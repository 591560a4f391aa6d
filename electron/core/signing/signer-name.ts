/** The signer's name as people read it (visible signatures, CLI output, the app's result list). */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { displayNameOf } from '../pki/names';

export function signerDisplayName(certDer: Uint8Array): string {
  return displayNameOf(AsnConvert.parse(certDer, Certificate).tbsCertificate.subject);
}
