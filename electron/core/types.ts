/**
 * Core data shapes that go up unchanged to the CLI (`--json`), IPC and the web API.
 * Shapes follow the CLI contract in ../shared/design.md exactly; add fields, never rename.
 */
import type { ErrorCode } from '../../native/errors';
import type { KeyType } from '../../native/types';

/** Design "Purposes": signing = nonRepudiation/contentCommitment, or digitalSignature with a
 *  document-signing / emailProtection EKU; authentication = digitalSignature with clientAuth, or
 *  digitalSignature alone. A certificate can have both. */
export type CertPurpose = 'signing' | 'authentication';

/** `signet certs --json` item. */
export interface CertificateSummary {
  uri: string;
  keyUri?: string;
  /** Token URI. */
  token: string;
  label: string;
  /** CKA_ID, hex. */
  id: string;
  /** RFC 4514 string. */
  subject: string;
  issuer: string;
  /** Hex, as openssl prints it (no colons). */
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  keyType: KeyType;
  keySize?: number;
  curve?: string;
  purposes: CertPurpose[];
  /** The key needs its PIN for every signature (CKA_ALWAYS_AUTHENTICATE); null = unknown until login (key hidden before C_Login). */
  alwaysAuthenticate: boolean | null;
  /** Hex, lower case. */
  fingerprintSha256: string;
  /** DER, base64. */
  certificate: string;
}

/** Validity as the picker shows it (design: warn < 30 days before expiry). */
export type CertValidity = 'valid' | 'expiring-soon' | 'expired' | 'not-yet-valid';

export interface CertificateView extends CertificateSummary {
  /** Common name (or the whole subject when there is none), for card titles. */
  displayName: string;
  issuerDisplayName: string;
  validity: CertValidity;
  /** Days until notAfter (negative when expired). */
  daysLeft: number;
  /** A private key is on the token (or offered by CKA_ID until login). */
  hasPrivateKey: boolean;
  /** Why this certificate cannot make document signatures, when it cannot. */
  notForSigning?: { code: ErrorCode; message: string };
}

export interface CertificateField {
  name: string;
  value: string;
}

/** Everything a details view shows, like `openssl x509 -text` but readable. */
export interface CertificateDetails {
  summary: CertificateView;
  /** Ordered sections: Subject, Issuer, Validity, Public key, Key usage, Extended key usage,
   *  Policies, Authority information access, CRL distribution points, Fingerprints, … */
  sections: { title: string; fields: CertificateField[] }[];
  /** Chain from the leaf up, as far as it could be built, and whether it ends at a trust anchor. */
  chain: { subject: string; issuer: string; fingerprintSha256: string; source: 'token' | 'trust-store' | 'system' }[];
  chainTrusted: boolean;
  pem: string;
}

/** Document signature formats: PAdES (signed PDF), CAdES (detached .p7s), ASiC-E with XAdES (one .asice container for all the files). */
export type DocumentFormat = 'pades' | 'cades' | 'asice';

/** A visible signature appearance (PAdES). It only shows the signature; it is not the signature. */
export interface VisibleSignature {
  /** 1-based page number; 0 = last page. */
  page: number;
  /**
   * The rectangle in the page **as displayed**: points (1/72 in), origin at the lower-left corner
   * of the page as a viewer shows it — its CropBox (ISO 32000-1 §14.11.2) turned by /Rotate
   * (§7.7.3.3) — x to the right, y up. /Rotate 90/180/270 and CropBox/MediaBox offsets are
   * accounted for, and the stamp is drawn upright as displayed. It must lie on the page
   * (INVALID_INPUT, details.reason 'rect-off-page') and be at least 36 × 24 pt ('rect-too-small').
   */
  rect: { x: number; y: number; width: number; height: number };
  reason?: string;
  location?: string;
}

/** Where one file of a signing batch is (progress events). The PIN dialog itself shows when the card waits for a PIN. */
export type SignPhase = 'hashing' | 'signing' | 'timestamping' | 'writing' | 'done' | 'failed';
