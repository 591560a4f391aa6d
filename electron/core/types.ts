/**
 * Core data shapes that go up unchanged to the CLI (`--json`), IPC and the web API.
 * Shapes follow the CLI contract in ../shared/design.md exactly; add fields, never rename.
 */
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
  alwaysAuthenticate: boolean;
  /** Hex, lower case. */
  fingerprintSha256: string;
  /** DER, base64. */
  certificate: string;
}
