/**
 * Looking at a PDF before it is signed (issue 12 §6, for the app's file rows, the stamp
 * placement and the CLI's pre-checks), bounded like every PDF read: page count and each page's
 * size and rotation as displayed, encryption, the signatures already there (and a DocMDP
 * certification with its P), a PDF/A claim, empty signature fields (name, page, rectangle as
 * displayed), and the problems that would stop signing — typed errors (INVALID_INPUT with
 * `details.reason`, a PdfProblemReason) that the renderer localises.
 */
import { constants } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SignetError, type ErrorInfo } from '../../../../native/errors';
import { fileError } from '../../hashing';
import { readDocument, emptySignatureFields, signedFields, type PdfDocumentInfo } from './document';
import { displayedSize, userToDisplayed, type DisplayedRect } from './geometry';
import { readPages, type Rotation } from './page-tree';
import { PdfReader } from './pdf-reader';
import type { DocMdpPermission } from './permissions';
import type { PdfAClaim } from './pdfa';
import { pdfProblem, type PdfProblemReason } from './problems';

export type { PdfProblemReason, DocMdpPermission, PdfAClaim, DisplayedRect };

export interface PdfPageView {
  /** Points, as displayed (CropBox turned by /Rotate). */
  width: number;
  height: number;
  rotate: Rotation;
}

export interface PdfSignatureFieldView {
  name: string;
  /** 1-based. */
  page: number;
  /** As displayed: points from the lower-left corner of the page as shown, x right, y up. */
  rect: DisplayedRect;
}

export interface PdfInspection {
  /** 0 when the file could not be read. */
  pageCount: number;
  pages: PdfPageView[];
  encrypted: boolean;
  /** Signed signature fields already in the file. */
  signatureCount: number;
  /** A certification signature (DocMDP) and its permission level (ISO 32000-1 §12.8.2.2). */
  certified?: { permission: DocMdpPermission };
  pdfa?: PdfAClaim;
  emptySignatureFields: PdfSignatureFieldView[];
  /** Why it cannot be signed (empty when it can): code + message + details.reason. */
  problems: ErrorInfo[];
}

export interface InspectOptions {
  /** For messages. */
  name?: string;
  signal?: AbortSignal;
}

export async function inspectPdf(bytes: Buffer, opts: InspectOptions = {}): Promise<PdfInspection> {
  const name = opts.name ?? 'The PDF';
  const result: PdfInspection = { pageCount: 0, pages: [], encrypted: false, signatureCount: 0, emptySignatureFields: [], problems: [] };
  let reader: PdfReader;
  let info: PdfDocumentInfo;
  try {
    reader = await PdfReader.open(bytes, { name, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (reader.encrypted) {
      // Strings (field names) are encrypted too: report the pages when readable, and the refusal.
      result.encrypted = true;
      result.problems.push(encryptedProblem(name).toInfo());
      const pages = await readPages(reader).catch((e: unknown) => {
        if (opts.signal?.aborted) throw e;
        return [];
      });
      result.pageCount = pages.length;
      result.pages = pages.map((p) => ({ ...displayedSize(p), rotate: p.rotate }));
      return result;
    }
    info = await readDocument(reader);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    result.problems.push(asProblem(e, name));
    return result;
  }
  result.pageCount = info.pages.length;
  result.pages = info.pages.map((p) => ({ ...displayedSize(p), rotate: p.rotate }));
  result.signatureCount = signedFields(info).length;
  if (info.docMdp) result.certified = { permission: info.docMdp.permission };
  if (info.pdfa) result.pdfa = info.pdfa;
  for (const f of emptySignatureFields(info)) {
    const w = f.widgets.find((x) => x.pageIndex !== undefined);
    if (!w) continue;
    const page = info.pages[w.pageIndex!]!;
    result.emptySignatureFields.push({ name: f.name, page: page.index + 1, rect: userToDisplayed(page, w.rect) });
  }
  result.problems.push(...signingProblems(reader, info).map((e) => e.toInfo()));
  return result;
}

/** What stops a readable PDF from being signed (before any PIN): encryption, DocMDP P=1. */
export function signingProblems(reader: PdfReader, info: PdfDocumentInfo): SignetError[] {
  const out: SignetError[] = [];
  if (reader.encrypted) out.push(encryptedProblem(reader.fileName));
  if (info.docMdp?.permission === 1) out.push(docMdpNoChanges(reader.fileName));
  return out;
}

export function encryptedProblem(name: string): SignetError {
  return pdfProblem('pdf-encrypted', `${name} is encrypted (password-protected or with permissions). Signet cannot add a signature to an encrypted PDF; remove the encryption first.`);
}

export function docMdpNoChanges(name: string): SignetError {
  return pdfProblem(
    'docmdp-no-changes',
    `${name} is certified with "no changes allowed" (DocMDP P=1, ISO 32000-1 §12.8.2.2): any new signature would invalidate its certification, so Signet does not sign it.`,
    { permission: 1 },
  );
}

function asProblem(e: unknown, name: string): ErrorInfo {
  if (e instanceof SignetError) return e.toInfo();
  // Anything else escaping the reader is a parser failure on damaged input: say so in user
  // terms, never with a library's class names.
  return pdfProblem('pdf-damaged', `${name} is damaged and cannot be read as a PDF`, {}, e).toInfo();
}

/** inspectPdf on a file; an unreadable file is a FILE_UNREADABLE problem in the result. */
export async function inspectPdfFile(file: string, opts: InspectOptions = {}): Promise<PdfInspection> {
  const name = opts.name ?? path.basename(file);
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if (st.size > constants.MAX_LENGTH) {
      throw new SignetError('INVALID_INPUT', `${name} is too large to be signed as a PDF here (${st.size} bytes); sign it as CAdES (.p7s) instead`, { details: { file, reason: 'file-too-large' } });
    }
    bytes = await readFile(file, opts.signal ? { signal: opts.signal } : {});
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return { pageCount: 0, pages: [], encrypted: false, signatureCount: 0, emptySignatureFields: [], problems: [fileError(file, e).toInfo()] };
  }
  return inspectPdf(bytes, { ...opts, name });
}
