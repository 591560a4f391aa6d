/**
 * PAdES / PDF signature verification (ISO 32000-1 §12.8.1, ETSI EN 319 142-1): for each
 * signature dictionary, the CMS in /Contents <hex> signs the bytes named by
 * /ByteRange [a b c d] — everything but the /Contents hex string. The last signature must cover
 * the whole file (nothing appended after signing).
 *
 * A plain scan of the file, enough for the PDFs Signet writes and most signers produce
 * (uncompressed signature dictionaries); a production back end would use a PDF library.
 */
import type { X509Certificate } from 'node:crypto';
import { verifyDetachedCms, type SignatureVerdict } from './cms';

export interface PdfSignatureVerdict extends SignatureVerdict {
  byteRange: [number, number, number, number];
  /** This signature's byte range ends at the end of the file. */
  coversWholeFile: boolean;
  subFilter?: string;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

export function verifyPdf(pdf: Uint8Array, anchors: readonly X509Certificate[], at?: Date): { valid: boolean; signatures: PdfSignatureVerdict[]; errors: string[] } {
  const buf = Buffer.from(pdf);
  const text = buf.toString('latin1');
  const signatures: PdfSignatureVerdict[] = [];
  for (const m of text.matchAll(BYTE_RANGE)) {
    const [a, b, c, d] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    const errors: string[] = [];
    if (a !== 0 || b <= 0 || c <= b || c + d > buf.length) {
      signatures.push({ valid: false, integrity: false, chain: { trusted: false, path: [], errors: [] }, errors: ['malformed /ByteRange'], byteRange: [a, b, c, d], coversWholeFile: false });
      continue;
    }
    // The gap must be exactly one hex string: "<...>".
    const gap = text.slice(b, c);
    if (!/^<[0-9A-Fa-f\s]*>$/.test(gap)) errors.push('the unsigned gap is not only the /Contents string');
    const cms = Buffer.from(gap.replace(/[<>\s]/g, ''), 'hex');
    const der = cms.subarray(0, derTotalLength(cms));
    // The dictionary around this ByteRange (for /SubFilter).
    const dictStart = text.lastIndexOf('<<', m.index);
    const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(text.slice(dictStart, c + 200))?.[1];
    const verdict = verifyDetachedCms(der, [buf.subarray(a, a + b), buf.subarray(c, c + d)], anchors, at);
    const coversWholeFile = c + d === buf.length;
    signatures.push({ ...verdict, errors: [...errors, ...verdict.errors], valid: verdict.valid && errors.length === 0, byteRange: [a, b, c, d], coversWholeFile, ...(subFilter ? { subFilter } : {}) });
  }
  const errors: string[] = [];
  if (signatures.length === 0) errors.push('the PDF has no signature');
  const last = signatures[signatures.length - 1];
  if (last !== undefined && !last.coversWholeFile) errors.push('the file was changed after the last signature');
  return { valid: errors.length === 0 && signatures.every((s) => s.valid), signatures, errors };
}

/** Length of the DER element at the start of `b` (the /Contents string is zero-padded). */
function derTotalLength(b: Buffer): number {
  if (b.length < 2) return b.length;
  const first = b[1] as number;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (b[2 + i] as number);
  return Math.min(b.length, 2 + n + len);
}
