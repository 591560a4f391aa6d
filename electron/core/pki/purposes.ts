/**
 * Certificate purposes (design.md, "Purposes"): signing keys and authentication keys are
 * different things; never cross them.
 *
 *  - signing:        keyUsage nonRepudiation (contentCommitment), or digitalSignature with a
 *                    document-signing (RFC 9336 id-kp-documentSigning, Microsoft 1.3.6.1.4.1.311.10.3.12)
 *                    or emailProtection EKU;
 *  - authentication: digitalSignature with the clientAuth EKU, or digitalSignature alone (no EKU
 *                    extension, or anyExtendedKeyUsage).
 *
 * RFC 5280 §4.2.1.3: a certificate without a keyUsage extension is not restricted by it, so
 * every bit counts as set; §4.2.1.12: without an EKU extension the key is not restricted by
 * purpose either. KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1), ... }.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  Certificate,
  ExtendedKeyUsage,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_kp_clientAuth,
  id_kp_emailProtection,
  KeyUsage,
  KeyUsageFlags,
} from '@peculiar/asn1-x509';
import type { CertPurpose } from '../types';

export const OID_ANY_EKU = '2.5.29.37.0';
/** RFC 9336 id-kp-documentSigning. */
export const OID_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';
/** Microsoft "Document Signing" (szOID_KP_DOCUMENT_SIGNING), common on European eID cards. */
export const OID_MS_DOCUMENT_SIGNING = '1.3.6.1.4.1.311.10.3.12';

export interface UsageFacts {
  /** KeyUsage flags; undefined when the extension is absent (unrestricted). */
  keyUsage?: number;
  /** EKU OIDs; undefined when the extension is absent (unrestricted). */
  extKeyUsage?: string[];
}

export function usageFacts(cert: Certificate): UsageFacts {
  const facts: UsageFacts = {};
  for (const ext of cert.tbsCertificate.extensions ?? []) {
    if (ext.extnID === id_ce_keyUsage) facts.keyUsage = AsnConvert.parse(ext.extnValue, KeyUsage).toNumber();
    else if (ext.extnID === id_ce_extKeyUsage) facts.extKeyUsage = [...AsnConvert.parse(ext.extnValue, ExtendedKeyUsage)];
  }
  return facts;
}

export function purposesOfUsage(f: UsageFacts): CertPurpose[] {
  const ku = f.keyUsage ?? ~0;
  const digitalSignature = (ku & KeyUsageFlags.digitalSignature) !== 0;
  const nonRepudiation = (ku & KeyUsageFlags.nonRepudiation) !== 0;
  const eku = f.extKeyUsage;
  const anyEku = eku === undefined || eku.includes(OID_ANY_EKU);
  const ekuHas = (oid: string): boolean => eku?.includes(oid) === true;

  const out: CertPurpose[] = [];
  const documentEku = ekuHas(id_kp_emailProtection) || ekuHas(OID_DOCUMENT_SIGNING) || ekuHas(OID_MS_DOCUMENT_SIGNING);
  if (nonRepudiation || (digitalSignature && documentEku)) out.push('signing');
  if (digitalSignature && (ekuHas(id_kp_clientAuth) || anyEku)) out.push('authentication');
  return out;
}

/** Purposes of a certificate (DER or parsed). */
export function certificatePurposes(cert: Uint8Array | Certificate): CertPurpose[] {
  const c = cert instanceof Uint8Array ? AsnConvert.parse(cert, Certificate) : cert;
  return purposesOfUsage(usageFacts(c));
}

export function hasPurpose(purposes: readonly CertPurpose[], wanted: CertPurpose): boolean {
  return purposes.includes(wanted);
}
