/**
 * The document-signing workflow's public types (used by the CLI, the app's IPC handlers and the
 * web API). Shapes match electron/api.ts where they meet it (DocumentFormat, VisibleSignature,
 * the progress phases), so callers pass them through unchanged.
 */
import type { ErrorInfo } from '../../../native/errors';
import type { HashAlg } from '../../../native/types';
import type { DocumentSigner } from '../document-signer';
import type { CertPurpose, DocumentFormat, SignPhase, VisibleSignature } from '../types';
import type { SigningPolicy } from '../pki/signing-checks';
import type { SignatureLevel } from '../ltv/types';

export type { DocumentFormat, SignPhase, VisibleSignature };


/** What `inspectInputs` reports per input (no hashing). */
export interface InputFile {
  path: string;
  name: string;
  size: number;
  /** The file starts like a PDF (%PDF- in the first 1024 bytes). */
  isPdf: boolean;
  /** PAdES for PDFs, CAdES otherwise. */
  defaultFormat: DocumentFormat;
}

/** What `prepareFiles` reports per input: what the confirmation screen shows. */
export interface PreparedFile extends InputFile {
  /** SHA-256 of the content, hex. */
  sha256: string;
}

export interface SignItem {
  path: string;
  format: DocumentFormat;
  /** Where to write; with pickFreeName (default) a free variant "name (2).ext" if taken meanwhile. */
  outputPath: string;
  /**
   * SHA-256 (hex) the user confirmed: the file must still have this content (else INVALID_INPUT).
   * Without it (the CLI: no confirmation step) the file is read once, for the signature's digest only.
   */
  sha256?: string;
}

export interface TimestampOptions {
  url: string;
  timeoutMs?: number;
  policy?: string;
}

export interface SignOptions {
  /**
   * The key's signer. signFiles also takes it as a promise (the CLI looks the key up while the
   * first file is already being read); other functions need it resolved.
   */
  signer: DocumentSigner;
  /** The certificate's purposes; default: classified from the certificate (pki/purposes.ts). */
  purposes?: readonly CertPurpose[];
  /** Admin policy: allow expired / wrong-purpose certificates. */
  policy?: SigningPolicy;
  /** Digest algorithm; default by key (SHA-256; SHA-384 for P-384; SHA-512 for P-521). */
  hash?: HashAlg;
  /** Configured trust anchors (DER), used to complete the chain embedded in the signature. */
  trustAnchors?: readonly Uint8Array[];
  /** Also search the OS store to complete the chain (default true). */
  useSystemStore?: boolean;
  timestamp?: TimestampOptions;
  /**
   * Baseline level (ETSI EN 319 142-1 / 319 122-1): B, T (needs `timestamp`), LT (T + validation
   * material: certificates, OCSP responses / CRLs), LTA (LT + an archive time-stamp). Default: T
   * with a time-stamp server, else B.
   */
  level?: SignatureLevel;
  /** LT/LTA whose revocation material cannot be fetched: produce B-T with a warning instead of failing. */
  allowDowngrade?: boolean;
  /** Check revocation (OCSP from AIA, else CRL) before signing: revoked → CERT_UNTRUSTED; not checkable → warning. */
  revocation?: { timeoutMs?: number };
  /** Warnings for the user (e.g. revocation could not be checked). Also in each result's `warnings`. */
  onWarning?: (message: string) => void;
  /** PAdES only. */
  visible?: VisibleSignature;
  /** PAdES: sign into this existing empty signature field (fully qualified name) instead of a new one. */
  field?: string;
  /** PAdES: make a certification signature (DocMDP, ISO 32000-1 §12.8.2.2): 1 no changes, 2 form filling and signing, 3 also annotations. */
  certify?: 1 | 2 | 3;
  /** PAdES: language of the visible signature's labels ('en', 'fr'; a BCP 47 or POSIX tag is mapped). Default English. */
  locale?: string;
  /** PAdES: /Reason, /Location, /ContactInfo of the signature dictionary (also shown in a visible signature). */
  reason?: string;
  location?: string;
  /** The claimed signing time (default: now). */
  now?: () => Date;
  /** Never rename on a name clash: fail instead (CLI --out). Default false. */
  exactOutputPath?: boolean;
  onProgress?: (index: number, phase: SignPhase, bytesDone: number, bytesTotal: number) => void;
  signal?: AbortSignal;
  /** The web origin that asked for these signatures (the PIN dialog names it); absent: the user's own. */
  origin?: string;
  /** Document names for the PIN dialog (default: the inputs' file names). */
  documentNames?: string[];
}

export type SignResult =
  | {
      ok: true;
      input: string;
      outputPath: string;
      format: DocumentFormat;
      signer: string;
      timestamp?: string;
      /** The baseline level reached (B, T, LT, LTA). */
      level?: SignatureLevel;
      warnings?: string[];
      /** PAdES: the field signed (new "SignatureN" or the chosen one). */
      field?: string;
      /** PAdES: the file claims PDF/A (part and conformance) and stays PDF/A. */
      pdfa?: { part: number; conformance?: string };
      /** ASiC-E: the signature file written and the data files it covers (the same for every input of the container). */
      container?: { signatureFile: string; files: string[] };
    }
  | { ok: false; input: string; error: ErrorInfo };

/** signFiles' options: the signer may still be on its way (read-ahead.ts). */
export type SignFilesOptions = Omit<SignOptions, 'signer'> & { signer: DocumentSigner | Promise<DocumentSigner> };
