/**
 * Opening a PDF for an incremental update (ISO 32000-1 §7.5.6) or for reading its signatures.
 *
 * The file stays in one Node Buffer. pdf-lib parses it; its ByteStream.slice() calls
 * `bytes.slice()`, which on a Buffer is a view, so stream contents are not copied and memory
 * stays near 1× the file (checked in test/unit/documents/pdf-file.test.ts and bench/pades).
 * We never use pdf-lib's save(): the output is the original bytes plus an appended update.
 *
 * The last cross-reference section is read here, at the `startxref` offset (§7.5.5): its kind
 * (classic table, or a cross-reference stream §7.5.8) decides the kind of the section we append,
 * and its trailer gives /Size, /Root, /Info, /ID and /Encrypt for the new trailer.
 */
import { PDFContext, PDFDocument, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { SignetError } from '../../../../native/errors';

export type XrefKind = 'table' | 'stream';

export interface PdfFile {
  bytes: Buffer;
  doc: PDFDocument;
  /** Offset of the last cross-reference section (the file's final `startxref` value). */
  lastXrefOffset: number;
  xrefKind: XrefKind;
  /** The last trailer (or cross-reference stream dictionary). */
  trailer: PDFDict;
  /** Trailer /Size: one greater than the highest object number used. */
  size: number;
}

const TAIL = 4096;

export async function openPdf(bytes: Buffer, name = 'The file'): Promise<PdfFile> {
  if (!bytes.subarray(0, 1024).includes('%PDF-')) throw invalid(`${name} is not a PDF (no %PDF- header)`);
  const { offset: lastXrefOffset } = findStartXref(bytes, name);
  const { kind, trailer } = readLastTrailer(bytes, lastXrefOffset, name);
  if (trailer.get(PDFName.of('Encrypt'))) {
    throw invalid(`${name} is encrypted (password-protected or with permissions). Signet cannot add a signature to an encrypted PDF; remove the encryption first.`);
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false, parseSpeed: 1000 });
  } catch (e) {
    throw invalid(`${name} is damaged and cannot be read as a PDF (${(e as Error).message})`, e);
  }
  if (doc.isEncrypted) throw invalid(`${name} is encrypted; remove the encryption first.`);
  try {
    if (!(doc.context.lookup(trailer.get(PDFName.of('Root'))) instanceof PDFDict)) throw new Error('no document catalog');
    if (doc.getPageCount() < 1) throw new Error('no pages');
  } catch (e) {
    throw invalid(`${name} is damaged: ${(e as Error).message}`, e);
  }
  const sizeObj = trailer.get(PDFName.of('Size'));
  const size = Math.max(sizeObj instanceof PDFNumber ? sizeObj.asNumber() : 0, doc.context.largestObjectNumber + 1);
  // New objects get numbers from /Size on, never reusing a number an earlier revision used.
  doc.context.largestObjectNumber = size - 1;
  return { bytes, doc, lastXrefOffset, xrefKind: kind, trailer, size };
}

/** ISO 32000-1 §7.5.5: the last `startxref` in the file, followed by the byte offset. */
export function findStartXref(bytes: Buffer, name = 'The file'): { offset: number; at: number } {
  const tailStart = Math.max(0, bytes.length - TAIL);
  const at = bytes.lastIndexOf('startxref', bytes.length);
  if (at < tailStart && bytes.length > TAIL) throw invalid(`${name} is damaged: no startxref near the end of the file`);
  if (at < 0) throw invalid(`${name} is damaged: no startxref`);
  const m = /^startxref\s+(\d+)/.exec(bytes.subarray(at, at + 40).toString('latin1'));
  if (!m) throw invalid(`${name} is damaged: startxref without an offset`);
  const offset = Number(m[1]);
  if (offset <= 0 || offset >= bytes.length) throw invalid(`${name} is damaged: startxref points outside the file`);
  return { offset, at };
}

function readLastTrailer(bytes: Buffer, offset: number, name: string): { kind: XrefKind; trailer: PDFDict } {
  const head = bytes.subarray(offset, offset + 32).toString('latin1');
  const parseAt = (pos: number): PDFObject => PDFObjectParser.forBytes(bytes.subarray(pos), PDFContext.create()).parseObject();
  try {
    if (head.startsWith('xref')) {
      const t = bytes.indexOf('trailer', offset);
      if (t < 0) throw new Error('no trailer after the cross-reference table');
      const obj = parseAt(t + 'trailer'.length);
      if (!(obj instanceof PDFDict)) throw new Error('the trailer is not a dictionary');
      return { kind: 'table', trailer: obj };
    }
    const m = /^(\d+)\s+(\d+)\s+obj/.exec(head);
    if (!m) throw new Error('startxref does not point at a cross-reference section');
    const obj = parseAt(offset + m[0].length);
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) {
      throw new Error('startxref does not point at a cross-reference stream');
    }
    return { kind: 'stream', trailer: obj.dict };
  } catch (e) {
    throw invalid(`${name} is damaged: ${(e as Error).message}`, e);
  }
}

export function refOf(obj: PDFObject | undefined): PDFRef | undefined {
  return obj instanceof PDFRef ? obj : undefined;
}

function invalid(message: string, cause?: unknown): SignetError {
  return new SignetError('INVALID_INPUT', message, cause === undefined ? {} : { cause });
}
