/**
 * Why a PDF cannot be signed (or read) as typed values: every refusal is a SignetError with code
 * INVALID_INPUT (or FILE_UNREADABLE for the file system) whose `details.reason` is one of
 * `PdfProblemReason`, plus the parameters a translated message needs (object number, page,
 * limits). The renderer localises by reason; the English message is for the CLI and logs.
 */
import { SignetError } from '../../../../native/errors';

export type PdfProblemReason =
  /** No %PDF- header in the first 1024 bytes (ISO 32000-1 §7.5.2). */
  | 'not-a-pdf'
  /** The trailer has /Encrypt (§7.6): Signet does not sign encrypted PDFs. */
  | 'pdf-encrypted'
  /** The file's structure cannot be read (xref, trailer, catalog, page tree, an object). */
  | 'pdf-damaged'
  /** More objects, sections or tree nodes than Signet reads (a bound against hostile files). */
  | 'pdf-too-complex'
  /** A compressed stream Signet needs expands beyond the per-stream or per-file budget. */
  | 'pdf-inflate-limit'
  /** An object number beyond ISO 32000-1 Annex C's 8,388,607 (or a trailer /Size claiming it). */
  | 'pdf-object-number-limit'
  /** A stream Signet must read uses a filter it does not decode. */
  | 'pdf-unsupported-filter'
  /** Certified with DocMDP P=1: no change, not even a signature, is permitted (§12.8.2.2). */
  | 'docmdp-no-changes'
  /** The page asked for does not exist. */
  | 'page-not-found'
  /** The visible signature's rectangle is not inside the page as displayed. */
  | 'rect-off-page'
  /** The rectangle cannot hold the signer's name at the smallest type size (6 pt). */
  | 'rect-too-small'
  /** No signature field with that name. */
  | 'field-not-found'
  /** The named field is a signature field that already holds a signature. */
  | 'field-already-signed'
  /** The named field is not a signature field (/FT is not /Sig). */
  | 'field-not-signature'
  /** A rectangle was given together with an existing field (the field has its own). */
  | 'field-and-rect'
  /** A certification signature was asked for on a document that is already signed. */
  | 'certify-signed'
  /** Verify: the PDF holds no signature. */
  | 'no-signature'
  /** The file is larger than one Buffer can hold (PAdES needs it in memory). */
  | 'file-too-large';

export type PdfProblemDetails = Record<string, string | number | boolean>;

/** INVALID_INPUT with `details.reason` (and `details.file` when the file is named). */
export function pdfProblem(reason: PdfProblemReason, message: string, details: PdfProblemDetails = {}, cause?: unknown): SignetError {
  return new SignetError('INVALID_INPUT', message, { details: { reason, ...details }, ...(cause === undefined ? {} : { cause }), retriable: false });
}

/** The reason of a PDF problem, if `e` is one. */
export function pdfProblemReason(e: unknown): PdfProblemReason | undefined {
  if (!(e instanceof SignetError)) return undefined;
  const r = e.details?.reason;
  return typeof r === 'string' ? (r as PdfProblemReason) : undefined;
}

/** "12 0" for messages (object number and generation, as PDF tools print them). */
export function objectLabel(num: number, gen = 0): string {
  return `${num} ${gen}`;
}
