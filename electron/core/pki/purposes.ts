/**
 * Certificate purposes (design.md, "Purposes"): signing keys and authentication keys are
 * different things; never cross them. Strict by default; an administrator may relax the
 * authentication rules explicitly (policy `authentication`, see AuthenticationRules).
 *
 *  - signing:        keyUsage nonRepudiation (contentCommitment), or digitalSignature with a
 *                    document-signing (RFC 9336 id-kp-documentSigning, Microsoft 1.3.6.1.4.1.311.10.3.12)
 *                    or emailProtection EKU;
 *  - authentication: digitalSignature, and the clientAuth EKU or no EKU at all (or
 *                    anyExtendedKeyUsage), and **no nonRepudiation** in keyUsage. A key whose
 *                    certificate asserts nonRepudiation is a signing key: using it to log in would
 *                    make a login and a signature indistinguishable to its holder's card.
 *  - Web eID tokens: authentication *and* the clientAuth EKU itself, as the Web eID validators
 *                    (web-eid-authtoken-validation-java / -dotnet / -php) require.
 *
 * RFC 5280 §4.2.1.3 (Key Usage): "The nonRepudiation bit is asserted when the subject public key
 * is used to verify digital signatures ... used to provide a non-repudiation service"; a
 * certificate without the extension is not restricted by it, so every bit counts as set — except
 * that only an *asserted* nonRepudiation bit excludes authentication (an unrestricted certificate
 * may do both). KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1), ... }.
 * RFC 5280 §4.2.1.12 (Extended Key Usage): "the certificate MUST only be used for one of the
 * purposes indicated"; without the extension the key is not restricted by purpose.
 *
 * What real cards carry, and why the strict rules fit them:
 *  - Estonian ID card (SK ID Solutions): an authentication certificate (digitalSignature +
 *    keyEncipherment, EKU clientAuth + emailProtection) and a separate qualified signing
 *    certificate (nonRepudiation only, no EKU), each with its own PIN (PIN1 / PIN2).
 *  - Belgian eID: "Authentication" (digitalSignature, EKU clientAuth on recent cards) and
 *    "Signature" (nonRepudiation only) keys, both behind the one card PIN, which is why the PIN
 *    policy (key-signer.ts) must not let one login serve both.
 *  - Finnish FINEID (DVV): authentication certificate (digitalSignature + keyEncipherment, EKU
 *    clientAuth + emailProtection + MS smart-card logon) and a nonRepudiation-only qualified
 *    signing certificate.
 *  - PIV (NIST SP 800-73-4 / SP 800-78): slot 9a "PIV Authentication" (digitalSignature, EKU
 *    clientAuth / smart-card logon), slot 9c "Digital Signature" (digitalSignature +
 *    nonRepudiation, often EKU emailProtection) with CKA_ALWAYS_AUTHENTICATE (a PIN per
 *    signature). Under these rules 9c is a signing key and 9a an authentication key.
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
import { SignetError } from '../../../native/errors';
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

/**
 * Explicit relaxations an administrator may set in the policy file (`authentication` section);
 * all false by default.
 */
export interface AuthenticationRules {
  /** Let a certificate with nonRepudiation authenticate (logins with the signing key). */
  allowNonRepudiation?: boolean;
  /** Let a Web eID token carry a certificate without the clientAuth EKU (no EKU / anyEKU). */
  webEidWithoutClientAuthEku?: boolean;
}

/** Which rule refused a key for a use (KEY_PURPOSE_MISMATCH details.rule). */
export type PurposeRule =
  /** keyUsage asserts nonRepudiation: a signing key never authenticates. */
  | 'non-repudiation-key'
  /** Authentication needs keyUsage digitalSignature. */
  | 'no-digital-signature'
  /** The EKU extension restricts the key to purposes other than clientAuth. */
  | 'no-client-auth-eku'
  /** Web eID: the certificate must carry the clientAuth EKU itself. */
  | 'web-eid-needs-client-auth-eku'
  /** A document signature needs a signing certificate (nonRepudiation, or a document EKU). */
  | 'not-a-signing-certificate'
  /** The key has no certificate on the token, so its purpose is unknown. */
  | 'no-certificate';

export function purposesOfUsage(f: UsageFacts, rules: AuthenticationRules = {}): CertPurpose[] {
  const ku = f.keyUsage ?? ~0;
  const digitalSignature = (ku & KeyUsageFlags.digitalSignature) !== 0;
  const nonRepudiation = (ku & KeyUsageFlags.nonRepudiation) !== 0;
  const eku = f.extKeyUsage;
  const anyEku = eku === undefined || eku.includes(OID_ANY_EKU);
  const ekuHas = (oid: string): boolean => eku?.includes(oid) === true;

  const out: CertPurpose[] = [];
  const documentEku = ekuHas(id_kp_emailProtection) || ekuHas(OID_DOCUMENT_SIGNING) || ekuHas(OID_MS_DOCUMENT_SIGNING);
  if (nonRepudiation || (digitalSignature && documentEku)) out.push('signing');
  const nonRepudiationAsserted = f.keyUsage !== undefined && nonRepudiation;
  if (digitalSignature && (ekuHas(id_kp_clientAuth) || anyEku) && (!nonRepudiationAsserted || rules.allowNonRepudiation === true)) out.push('authentication');
  return out;
}

/** Why these facts may not authenticate (null: they may). `webEid`: a Web eID token is made. */
export function authenticationRefusal(f: UsageFacts, opts: { webEid?: boolean; rules?: AuthenticationRules } = {}): PurposeRule | null {
  const rules = opts.rules ?? {};
  const ku = f.keyUsage ?? ~0;
  if (f.keyUsage !== undefined && (ku & KeyUsageFlags.nonRepudiation) !== 0 && rules.allowNonRepudiation !== true) return 'non-repudiation-key';
  if ((ku & KeyUsageFlags.digitalSignature) === 0) return 'no-digital-signature';
  const eku = f.extKeyUsage;
  if (eku !== undefined && !eku.includes(id_kp_clientAuth) && !eku.includes(OID_ANY_EKU)) return 'no-client-auth-eku';
  if (opts.webEid && rules.webEidWithoutClientAuthEku !== true && !(eku ?? []).includes(id_kp_clientAuth)) return 'web-eid-needs-client-auth-eku';
  return null;
}

const RULE_TEXT: Record<PurposeRule, string> = {
  'non-repudiation-key': 'its certificate has nonRepudiation in keyUsage, so it is a signing key and never logs in (RFC 5280 §4.2.1.3)',
  'no-digital-signature': 'its certificate lacks digitalSignature in keyUsage (RFC 5280 §4.2.1.3)',
  'no-client-auth-eku': 'its certificate\'s extended key usage does not include clientAuth (RFC 5280 §4.2.1.12)',
  'web-eid-needs-client-auth-eku': 'a Web eID token needs a certificate with the clientAuth extended key usage, as Web eID validators require',
  'not-a-signing-certificate': 'its certificate is not a signing certificate (no nonRepudiation, no document-signing extended key usage)',
  'no-certificate': 'the key has no certificate on the token, so its purpose is unknown',
};

/** KEY_PURPOSE_MISMATCH saying which rule refused the key (details.rule, details.purpose). */
export function purposeMismatch(purpose: CertPurpose, rule: PurposeRule): SignetError {
  const use = purpose === 'authentication' ? 'log in (authenticate)' : 'sign documents';
  return new SignetError('KEY_PURPOSE_MISMATCH', `This key may not ${use}: ${RULE_TEXT[rule]}.`, { retriable: false, details: { purpose, rule } });
}

/**
 * Throw KEY_PURPOSE_MISMATCH unless `cert` may be used for `purpose`. Authentication follows
 * authenticationRefusal; signing needs the `signing` purpose.
 */
export function assertPurpose(cert: Uint8Array | Certificate | null | undefined, purpose: CertPurpose, opts: { webEid?: boolean; rules?: AuthenticationRules } = {}): void {
  if (!cert) throw purposeMismatch(purpose, 'no-certificate');
  const c = cert instanceof Uint8Array ? AsnConvert.parse(cert, Certificate) : cert;
  const facts = usageFacts(c);
  if (purpose === 'authentication') {
    const rule = authenticationRefusal(facts, opts);
    if (rule) throw purposeMismatch(purpose, rule);
    return;
  }
  if (!purposesOfUsage(facts).includes('signing')) throw purposeMismatch(purpose, 'not-a-signing-certificate');
}

/** Purposes of a certificate (DER or parsed). */
export function certificatePurposes(cert: Uint8Array | Certificate): CertPurpose[] {
  const c = cert instanceof Uint8Array ? AsnConvert.parse(cert, Certificate) : cert;
  return purposesOfUsage(usageFacts(c));
}

/**
 * Whether a relying party could take a signature by this certificate's key as a login: keyUsage
 * digitalSignature and the clientAuth EKU or no EKU restriction, *whatever Signet's own rule says
 * about nonRepudiation* — TLS servers and Web eID validators do not refuse a nonRepudiation bit.
 * A raw signature over a page-chosen hash by such a key could be a Web eID token or a TLS
 * CertificateVerify for another site (RFC 8446 §4.4.3), so the web API's /v1/sign refuses it.
 */
export function loginCapable(cert: Uint8Array | Certificate): boolean {
  const c = cert instanceof Uint8Array ? AsnConvert.parse(cert, Certificate) : cert;
  return purposesOfUsage(usageFacts(c), { allowNonRepudiation: true }).includes('authentication');
}

export function hasPurpose(purposes: readonly CertPurpose[], wanted: CertPurpose): boolean {
  return purposes.includes(wanted);
}
