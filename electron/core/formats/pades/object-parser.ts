/**
 * Parsing one indirect object `n g obj … endobj` (ISO 32000-1 §7.3.10) at a known offset, with
 * pdf-lib's object parser for the syntax (numbers, strings, names, arrays, dictionaries) and our
 * own handling of stream extents (§7.3.8): the data ends at /Length when `endstream` follows it,
 * else at the next `endstream` found by a native search — never a byte-by-byte scan of the rest
 * of the file — so a huge, negative or wrong /Length costs nothing. Deeply nested arrays or
 * dictionaries (which would overflow the parser's stack) are refused with the object number, and
 * so is an array or dictionary longer than MAX_OBJECT_BYTES: pdf-lib's parser reads about 1–5 MB
 * per second, and one object is parsed in one go, so its size bounds how long Ctrl-C waits.
 */
import { type PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, type PDFContext, type PDFObject } from 'pdf-lib';
import { objectLabel, pdfProblem } from './problems';

export interface ParsedIndirect {
  num: number;
  gen: number;
  obj: PDFObject;
}

/** The largest array or dictionary Signet parses (≈ a flat /Kids of 90,000 pages). */
export const MAX_OBJECT_BYTES = 1024 * 1024;

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

export function skipWs(bytes: Uint8Array, pos: number): number {
  while (pos < bytes.length) {
    const b = bytes[pos]!;
    if (WS.has(b)) pos++;
    else if (b === 0x25 /* % comment */) {
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
    } else break;
  }
  return pos;
}

const HEADER = /^(\d{1,10})\s+(\d{1,5})\s+obj(?=[\s<[/(%]|$)/;

/** `n g obj` at `pos` (after optional whitespace): the numbers and where the body starts. */
export function readObjectHeader(bytes: Buffer, pos: number): { num: number; gen: number; bodyStart: number } | undefined {
  const p = skipWs(bytes, pos);
  const m = HEADER.exec(bytes.subarray(p, p + 40).toString('latin1'));
  if (!m) return undefined;
  return { num: Number(m[1]), gen: Number(m[2]), bodyStart: p + m[0].length };
}

export interface ParseOptions {
  fileName: string;
  /** "object 12 0" for messages. */
  what: string;
  /** The value of an indirect /Length, when it can be found. */
  lengthOf?: (o: PDFObject) => number | undefined;
}

/** Parse the object whose body starts at `start` (after `n g obj`, or inside a decoded object stream). */
export function parseObjectAt(bytes: Uint8Array, start: number, context: PDFContext, o: ParseOptions): PDFObject {
  const pos = skipWs(bytes, start);
  const cut = Math.min(bytes.length, pos + MAX_OBJECT_BYTES);
  try {
    if (bytes[pos] === 0x3c && bytes[pos + 1] === 0x3c) {
      const parser = PDFObjectParser.forBytes(bytes.subarray(pos, cut), context) as unknown as { parseDict(): PDFDict; bytes: { offset(): number } };
      const dict = parser.parseDict();
      const after = pos + parser.bytes.offset();
      const stream = streamExtent(bytes, after, dict, o);
      if (!stream) return dict;
      return PDFRawStream.of(dict, bytes.subarray(stream.start, stream.end));
    }
    return PDFObjectParser.forBytes(bytes.subarray(pos, cut), context).parseObject();
  } catch (e) {
    if (isSignetProblem(e)) throw e;
    const end = indexOf(bytes, 'endobj', pos);
    if (cut < bytes.length && !(e instanceof RangeError) && (end < 0 || end > cut)) {
      throw pdfProblem('pdf-too-complex', `${o.fileName}: ${o.what} is larger than Signet reads (${MAX_OBJECT_BYTES / 1024 / 1024} MiB)`, { what: o.what, limit: MAX_OBJECT_BYTES });
    }
    if (e instanceof RangeError) {
      throw pdfProblem('pdf-damaged', `${o.fileName} is damaged: ${o.what} is nested too deeply to be read`, { what: o.what });
    }
    throw pdfProblem('pdf-damaged', `${o.fileName} is damaged: ${o.what} cannot be read`, { what: o.what }, e);
  }
}

function isSignetProblem(e: unknown): boolean {
  return e instanceof Error && e.name === 'SignetError';
}

/** §7.3.8.1: `stream` EOL data EOL? `endstream`. Undefined when no stream follows the dictionary. */
function streamExtent(bytes: Uint8Array, after: number, dict: PDFDict, o: ParseOptions): { start: number; end: number } | undefined {
  const p = skipWs(bytes, after);
  if (!startsWith(bytes, p, 'stream')) return undefined;
  let start = p + 6;
  if (bytes[start] === 0x0d && bytes[start + 1] === 0x0a) start += 2;
  else if (bytes[start] === 0x0a || bytes[start] === 0x0d) start += 1;
  const lengthObj = dict.get(PDFName.of('Length'));
  const length = lengthObj instanceof PDFNumber ? lengthObj.asNumber() : lengthObj && o.lengthOf ? o.lengthOf(lengthObj) : undefined;
  if (length !== undefined && Number.isInteger(length) && length >= 0 && start + length <= bytes.length) {
    const q = skipWs(bytes, start + length);
    if (startsWith(bytes, q, 'endstream')) return { start, end: start + length };
  }
  const e = indexOf(bytes, 'endstream', start);
  if (e < 0) throw pdfProblem('pdf-damaged', `${o.fileName} is damaged: ${o.what} is a stream without an end (endstream)`, { what: o.what });
  let end = e;
  if (end > start && bytes[end - 1] === 0x0a) end--;
  if (end > start && bytes[end - 1] === 0x0d) end--;
  return { start, end };
}

function startsWith(bytes: Uint8Array, pos: number, word: string): boolean {
  if (pos + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[pos + i] !== word.charCodeAt(i)) return false;
  return true;
}

export function indexOf(bytes: Uint8Array, word: string, from: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(word, from, 'latin1');
}

export { objectLabel };
