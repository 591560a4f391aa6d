/**
 * What `signet verify` reports (design.md CLI contract: `{valid, signatures:[{signer,
 * signingTime, integrity, chain, errors}]}`, with additive fields), also returned to the app.
 */
import type { CertPurpose } from '../types';

export interface ChainReport {
  /** The chain ends at a trust anchor (--trust, configured anchors, or the OS store). */
  trusted: boolean;
  certificates: { subject: string; issuer: string; fingerprintSha256: string }[];
  problems: string[];
}

export interface TimestampReport {
  /** genTime, ISO 8601. */
  time: string;
  /** The token is intact and covers this signature (imprint, TSA signature, EKU timeStamping). */
  valid: boolean;
  /** The TSA certificate chains to a trust anchor. */
  trusted: boolean;
  tsa: string;
  errors: string[];
}

export interface SignatureReport {
  /** 1-based, in signing order. */
  index: number;
  format: 'cades' | 'pades';
  /** Display name of the signer (certificate CN). */
  signer: string;
  /** RFC 4514 subject of the signer certificate. */
  signerSubject?: string;
  /** Signer certificate, base64 DER. */
  signerCertificate?: string;
  /** Claimed signing time (CAdES signing-time attribute, PAdES /M), ISO 8601. */
  signingTime?: string;
  /** The content is unchanged and the signature value verifies with the signer's key. */
  integrity: boolean;
  chain: ChainReport;
  /** The signer certificate's purposes; document signatures need 'signing'. */
  purposes: CertPurpose[];
  timestamp?: TimestampReport;
  /** PAdES: the field, whether the signature covers the whole file, and later revisions. */
  pdf?: { field: string; subFilter: string; coversWholeDocument: boolean; laterRevisions: number; reason?: string; location?: string };
  valid: boolean;
  /** Why the signature is not valid (empty when valid). */
  errors: string[];
  /** Facts that do not make it invalid but deserve attention. */
  warnings: string[];
}

export interface VerifyReport {
  valid: boolean;
  format: 'cades' | 'pades';
  file: string;
  signatures: SignatureReport[];
}

export interface VerifyOptions {
  /** Trust anchors (DER): --trust files and configured anchors. */
  trustAnchors?: readonly Uint8Array[];
  /** Also trust the OS store (default true). */
  useSystemStore?: boolean;
  /** "Now" for messages about certificates that expired since (default: the clock). */
  now?: Date;
  signal?: AbortSignal;
}
