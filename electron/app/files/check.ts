/**
 * Checking a file when it is added (issue 12 §6), so every problem shows on that file's row before
 * the confirm step instead of after "Sign" (or after the PIN): readable, not empty, a PDF that
 * parses (core's bounded inspectPdf), is not encrypted nor certified against changes, how many
 * signatures it already has, its pages as displayed and its empty signature fields. Problems are
 * coded errors with `details.reason` and parameters; the renderer words them in the UI language.
 * Non-PDF files are signed as CAdES and only need to be readable.
 */
import { constants } from 'node:buffer';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { SignetError, toErrorInfo, type ErrorInfo } from '../../../native/errors';
import type { FileCheck, FileKind, FileNotice } from '../../api';
import { inspectPdfFile } from '../../core/formats/pades/inspect';

/** A PDF is read whole to be signed (PAdES needs random access): larger ones cannot be. */
export const MAX_PDF_BYTES = constants.MAX_LENGTH;

const SIGNATURE_EXTENSIONS = new Set(['.p7s', '.p7m', '.pkcs7']);

export async function checkFile(fileId: string, filePath: string): Promise<FileCheck> {
  const name = path.basename(filePath);
  const check = (kind: FileKind, problems: ErrorInfo[] = [], notices: FileNotice[] = []): FileCheck => ({ fileId, kind, problems, notices });
  let size: number;
  let head: Buffer;
  try {
    size = (await stat(filePath)).size;
    head = await readHead(filePath, 1024);
  } catch (e) {
    return check('other', [problem('FILE_UNREADABLE', `${name} cannot be read.`, name, 'unreadable', e)]);
  }
  const ext = path.extname(name).toLowerCase();
  const hasPdfHeader = head.includes('%PDF-');
  if (size === 0) return check(ext === '.pdf' ? 'pdf' : 'other', [problem('INVALID_INPUT', `${name} is empty.`, name, 'empty-file')]);
  if (SIGNATURE_EXTENSIONS.has(ext) || /-----BEGIN (PKCS7|CMS)-----/.test(head.toString('latin1'))) return check('signature', [], [{ kind: 'signature-file' }]);
  if (!hasPdfHeader) {
    if (ext === '.pdf') return check('pdf', [problem('INVALID_INPUT', `${name} is named like a PDF but is not one (no %PDF- header).`, name, 'not-a-pdf')]);
    return check(looksLikeText(head) ? 'text' : 'other');
  }
  if (size > MAX_PDF_BYTES) return check('pdf', [problem('INVALID_INPUT', `${name} is too large to be signed as a PDF here.`, name, 'file-too-large', undefined, { size, limitBytes: MAX_PDF_BYTES })]);
  return { ...check('pdf'), ...(await checkPdf(filePath, name)) };
}

async function checkPdf(filePath: string, name: string): Promise<Pick<FileCheck, 'problems' | 'notices' | 'pdf'>> {
  const inspection = await inspectPdfFile(filePath, { name });
  const notices: FileNotice[] = [];
  if (inspection.signatureCount > 0) notices.push({ kind: 'already-signed', count: inspection.signatureCount });
  const p = inspection.certified?.permission;
  if (p === 2 || p === 3) notices.push({ kind: 'certified', permissions: p });
  if (inspection.pdfa) notices.push({ kind: 'pdfa', conformance: `PDF/A-${inspection.pdfa.part}${(inspection.pdfa.conformance ?? '').toLowerCase()}` });
  return {
    problems: inspection.problems.map((e) => named(e, name)),
    notices,
    ...(inspection.pageCount > 0
      ? {
          pdf: {
            pageCount: inspection.pageCount,
            pages: inspection.pages.map((pg) => ({ width: pg.width, height: pg.height, rotate: pg.rotate })),
            signatureCount: inspection.signatureCount,
            emptyFields: inspection.emptySignatureFields.map((f) => ({ name: f.name, page: f.page, rect: f.rect })),
          },
        }
      : {}),
  };
}

/** Problems name the file by its name (for the message) and never carry its path to the renderer. */
function named(e: ErrorInfo, name: string): ErrorInfo {
  const { file: _file, ...details } = e.details ?? {};
  return { ...e, details: { ...details, name } };
}

function problem(code: ErrorInfo['code'], message: string, name: string, reason: string, cause?: unknown, extra: Record<string, string | number> = {}): ErrorInfo {
  const info = toErrorInfo(new SignetError(code, message, { ...(cause === undefined ? {} : { cause }), details: { name, reason, ...extra } }));
  return info;
}

async function readHead(filePath: string, n: number): Promise<Buffer> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** UTF-8 text without control characters other than tab, CR, LF, FF (what the preview can show as text). */
export function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  // A multi-byte character cut at the end of the head is not a reason to call it binary.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, Math.max(0, head.length - 3)));
  return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) && !text.includes('\uFFFD');
}
