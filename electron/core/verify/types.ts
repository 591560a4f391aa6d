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

/**
 * What changed in a PDF after a signature (ISO 32000-1 §12.8.2.2 DocMDP semantics, §12.8.2.4
 * FieldMDP, ISO 32000-2 §12.8.2.2.2 and ETSI EN 319 142-1 for long-term validation data).
 */
export type PdfChangeKind =
  /** A form field's value (and its appearance) changed. */
  | 'form-fill'
  /** An annotation (comment, highlight, …; not a form widget) was added, changed or removed. */
  | 'annotation'
  /** A further signature (its field, widget, appearance and signature dictionary). */
  | 'signature'
  /** Validation data: the Document Security Store (certificates, OCSP responses, CRLs). */
  | 'dss'
  /** A document time-stamp (ETSI.RFC3161 signature field). */
  | 'doc-timestamp'
  /** Document information / XMP metadata. */
  | 'metadata'
  /** What a page shows: its content, resources, size or rotation, or pages added or removed. */
  | 'page-content'
  /** Anything else, including what Signet cannot classify. */
  | 'other';

/** The rule that decided: a kebab-case code (localisable), with `description` in English. */
export type PdfChangeRule =
  /** Certified, no changes allowed (DocMDP P=1). */
  | 'docmdp-p1'
  /** Certified, form filling and signing allowed (P=2). */
  | 'docmdp-p2'
  /** Certified, also annotations allowed (P=3). */
  | 'docmdp-p3'
  /** Not certified: form filling, signing and annotations are allowed, as by Adobe Acrobat. */
  | 'approval'
  /** The field is locked by a signature's FieldMDP (§12.8.2.4). */
  | 'fieldmdp-lock'
  /** DSS and document time-stamps are allowed at every level (ISO 32000-2 §12.8.2.2.2). */
  | 'ltv'
  /** Changes to what the document shows or to its structure are never allowed after a signature. */
  | 'never';

export interface PdfChange {
  kind: PdfChangeKind;
  /** Object numbers changed, added or removed. */
  objects: number[];
  /** 1-based page, when the change is on one. */
  page?: number;
  /** The form field's fully qualified name, when the change is about one. */
  field?: string;
  permitted: boolean;
  rule: PdfChangeRule;
  /** In English, for the CLI and logs: "field "name" filled in", "page 1's content changed". */
  description: string;
}

/** Baseline level a signature reaches (ETSI EN 319 142-1 / 319 122-1 §6). */
export type BaselineLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** One certificate's embedded revocation answer, judged offline. */
export interface CertRevocationReport {
  subject: string;
  status: 'good' | 'revoked' | 'unknown';
  source?: 'ocsp' | 'crl';
  /** ISO: the answer's thisUpdate. */
  thisUpdate?: string;
  revokedAt?: string;
  /** e.g. revoked after the signature time (not an error). */
  note?: string;
  errors: string[];
}

/** The embedded revocation material for the signer's chain (PAdES DSS, CAdES SignedData.crls). */
export interface RevocationReport {
  /** none: no revocation material embedded at all. */
  status: 'good' | 'revoked' | 'unknown' | 'none';
  certificates: CertRevocationReport[];
}

export interface SignatureReport {
  /** 1-based, in signing order. */
  index: number;
  format: 'cades' | 'pades' | 'xades';
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
  /** 'doc-timestamp': a PDF document time-stamp (ISO 32000-2 §12.8.5); its TSA is in `signer` and `timestamp`. */
  kind?: 'signature' | 'doc-timestamp';
  /** The baseline level reached (signatures only; absent for document time-stamps). */
  level?: BaselineLevel;
  /** Embedded revocation material for the signer's chain, validated without the network. */
  revocation?: RevocationReport;
  /** PAdES: the field, whether the signature covers the whole file, and later revisions. */
  pdf?: {
    field: string;
    subFilter: string;
    coversWholeDocument: boolean;
    laterRevisions: number;
    reason?: string;
    location?: string;
    /** This is the certification signature (DocMDP) with this permission level. */
    certification?: { permission: 1 | 2 | 3 };
    /** What changed after this signature (empty when it covers the whole document). */
    changes?: PdfChange[];
    /** Every change after the signature is permitted (valid requires it). */
    changesPermitted?: boolean;
  };
  /** ASiC-E: where the signature is and which data files it covers. */
  xades?: {
    /** META-INF/signatures<N>.xml */
    signatureFile: string;
    /** The ds:Signature's Id. */
    id: string;
    /** The data files its references cover (names in the container), in reference order. */
    covers: string[];
    /** Data files of the container it does not cover. */
    notCovered: string[];
  };
  valid: boolean;
  /** Why the signature is not valid (empty when valid). */
  errors: string[];
  /** Facts that do not make it invalid but deserve attention. */
  warnings: string[];
}

export interface VerifyReport {
  valid: boolean;
  format: 'cades' | 'pades' | 'asice';
  file: string;
  signatures: SignatureReport[];
  /** ASiC-E: the container's data files and structure problems (EN 319 162-1 §A; any makes it not valid). */
  container?: {
    files: { name: string; mimeType: string; size: number }[];
    signatureFiles: string[];
    problems: string[];
  };
}

export interface VerifyOptions {
  /** Trust anchors (DER): --trust files and configured anchors. */
  trustAnchors?: readonly Uint8Array[];
  /** Also trust the OS store (default true). */
  useSystemStore?: boolean;
  /** Never use the network (the default today too: verify reads only what the file embeds). */
  offline?: boolean;
  /** "Now" for messages about certificates that expired since (default: the clock). */
  now?: Date;
  signal?: AbortSignal;
}
