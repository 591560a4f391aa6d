/**
 * The cross-reference chain (ISO 32000-1 §7.5.4 tables, §7.5.8 streams, §7.5.8.4 hybrid files,
 * §7.5.6 incremental updates): from the last `startxref` through each section's /Prev, with a
 * visited set (a circular /Prev is damage, not an endless loop) and a bound on the number of
 * sections. Sections are indexed, not expanded: a classic table is looked up in place (entries
 * are fixed-width), a cross-reference stream is decoded once (its exact size is known from /W and
 * /Index, so it is the inflate bound) and read by row. Memory stays proportional to the file, not
 * to the object count a hostile trailer claims.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFContext, type PDFObject } from 'pdf-lib';
import type { Work } from './limits';
import { indexOf, parseObjectAt, readObjectHeader, skipWs } from './object-parser';
import { pdfProblem } from './problems';
import { quietly } from './quiet';
import { decodeStream } from './stream-decode';

export type XrefEntry =
  | { type: 'free' }
  /** In use at a byte offset (type 1). */
  | { type: 'offset'; offset: number; gen: number; section: number }
  /** In object stream `stream` at `index` (type 2; generation 0). */
  | { type: 'compressed'; stream: number; index: number; section: number };

export type XrefKind = 'table' | 'stream';

export interface XrefSection {
  /** Offset of the section (`xref` keyword or the stream's `n g obj`). */
  offset: number;
  kind: XrefKind;
  /** The trailer (classic) or the stream's dictionary. */
  trailer: PDFDict;
  prev?: number;
  lookup(num: number): XrefEntry | undefined;
  /** Every object number this section gives an entry for, ascending within ranges. */
  numbers(): Iterable<number>;
  /** The highest object number covered (-1 when empty). */
  maxNumber: number;
  /** Entries in this section (for budgets). */
  count: number;
}

interface ReadCtx {
  bytes: Buffer;
  context: PDFContext;
  work: Work;
  /** Offsets are relative to `bytes` minus this (an appended update checked on its own). */
  base?: number;
  lookup(o: PDFObject | undefined): PDFObject | undefined;
}

export function damaged(ctx: { work: Work }, why: string, details: Record<string, string | number | boolean> = {}): Error {
  return pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${why}`, details);
}

/** Read the section at `offset` (absolute file offset). */
export function readXrefSection(ctx: ReadCtx, offset: number): XrefSection {
  const base = ctx.base ?? 0;
  const local = offset - base;
  if (!Number.isInteger(local) || local < 0 || local >= ctx.bytes.length) throw damaged(ctx, `a cross-reference offset (${offset}) points outside the file`, { offset });
  const p = skipWs(ctx.bytes, local);
  if (ctx.bytes.toString('latin1', p, p + 4) === 'xref') return readTable(ctx, offset, p + 4);
  const head = readObjectHeader(ctx.bytes, p);
  if (!head) throw damaged(ctx, `startxref or /Prev (${offset}) does not point at a cross-reference section`, { offset });
  return readStreamSection(ctx, offset, head.num, head.bodyStart);
}

function readTable(ctx: ReadCtx, offset: number, from: number): XrefSection {
  const { bytes } = ctx;
  const subs: { first: number; count: number; data: number; size: number }[] = [];
  let pos = from;
  let total = 0;
  for (;;) {
    pos = skipWs(bytes, pos);
    if (bytes.toString('latin1', pos, pos + 7) === 'trailer') {
      pos += 7;
      break;
    }
    const m = /^(\d{1,10})[ \t]+(\d{1,10})[ \t]*(\r\n|\r|\n| \r| \n)?/.exec(bytes.toString('latin1', pos, pos + 32));
    if (!m) throw damaged(ctx, `the cross-reference table at ${offset} is malformed`, { offset });
    let first = Number(m[1]);
    const count = Number(m[2]);
    const data = skipWs(bytes, pos + m[0].length);
    if (count > (bytes.length - data) / 18) throw damaged(ctx, `the cross-reference table at ${offset} claims ${count} entries, more than the file holds`, { offset });
    if (first + count - 1 > ctx.work.limits.maxObjectNumber) {
      throw pdfProblem('pdf-object-number-limit', `${ctx.work.fileName} uses object numbers up to ${first + count - 1}; PDF allows at most ${ctx.work.limits.maxObjectNumber.toLocaleString('en')} (ISO 32000-1 Annex C)`, {
        objectNumber: first + count - 1,
        limit: ctx.work.limits.maxObjectNumber,
      });
    }
    const size = count === 0 ? 20 : entrySize(bytes, data, count);
    if (size === 0) throw damaged(ctx, `the cross-reference table at ${offset} has entries of the wrong size`, { offset });
    // A frequent writer bug: "1 n" before an entry that is object 0's (§7.5.4 requires "0 n").
    if (first === 1 && count > 0 && /^0{10} 65535 f/.test(bytes.toString('latin1', data, data + 18))) first = 0;
    subs.push({ first, count, data, size });
    total += count;
    ctx.work.count(1);
    pos = data + count * size;
  }
  const trailerEnd = indexOf(bytes, 'startxref', pos);
  const slice = bytes.subarray(0, trailerEnd < 0 ? Math.min(bytes.length, pos + 1024 * 1024) : trailerEnd);
  const trailer = quietly(() => parseObjectAt(slice, pos, ctx.context, { fileName: ctx.work.fileName, what: `the trailer at ${offset}` }));
  if (!(trailer instanceof PDFDict)) throw damaged(ctx, `the trailer after the cross-reference table at ${offset} is not a dictionary`, { offset });
  const section = offset;
  let maxNumber = -1;
  for (const s of subs) if (s.count > 0) maxNumber = Math.max(maxNumber, s.first + s.count - 1);
  const prev = numberIn(ctx, trailer, 'Prev');
  return {
    offset,
    kind: 'table',
    trailer,
    ...(prev !== undefined ? { prev } : {}),
    maxNumber,
    count: total,
    lookup(num) {
      for (const s of subs) {
        if (num < s.first || num >= s.first + s.count) continue;
        const at = s.data + (num - s.first) * s.size;
        const m = /^(\d{10}) (\d{5}) ([nf])/.exec(bytes.toString('latin1', at, at + 18));
        if (!m) throw damaged(ctx, `the cross-reference entry of object ${num} is malformed`, { object: num });
        if (m[3] === 'f' || num === 0) return { type: 'free' };
        return { type: 'offset', offset: Number(m[1]), gen: Number(m[2]), section };
      }
      return undefined;
    },
    *numbers() {
      for (const s of subs) for (let i = 0; i < s.count; i++) yield s.first + i;
    },
  };
}

/** §7.5.4: 20 bytes per entry; files in the wild also use 19 or 21. The one that lands on the next subsection or `trailer`. */
function entrySize(bytes: Buffer, data: number, count: number): number {
  for (const size of [20, 19, 21]) {
    const end = data + count * size;
    if (end > bytes.length) continue;
    const lastOk = /^\d{10} \d{5} [nf]/.test(bytes.toString('latin1', data + (count - 1) * size, data + (count - 1) * size + 18));
    if (!lastOk) continue;
    const q = skipWs(bytes, end);
    const next = bytes.toString('latin1', q, q + 7);
    if (next === 'trailer' || /^\d/.test(next)) return size;
  }
  return 0;
}

function readStreamSection(ctx: ReadCtx, offset: number, num: number, bodyStart: number): XrefSection {
  const what = `the cross-reference stream (object ${num})`;
  const obj = quietly(() => parseObjectAt(ctx.bytes, bodyStart, ctx.context, { fileName: ctx.work.fileName, what }));
  if (!(obj instanceof PDFRawStream) || ctx.lookup(obj.dict.get(PDFName.of('Type'))) !== PDFName.of('XRef')) {
    throw damaged(ctx, `startxref or /Prev (${offset}) does not point at a cross-reference section`, { offset });
  }
  const dict = obj.dict;
  const w = arrayOfNumbers(ctx, dict.get(PDFName.of('W')));
  if (w.length !== 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8) || w[1] === 0) throw damaged(ctx, `${what} has an invalid /W`, { object: num });
  const size = numberIn(ctx, dict, 'Size') ?? 0;
  const idx = dict.has(PDFName.of('Index')) ? arrayOfNumbers(ctx, dict.get(PDFName.of('Index'))) : [0, size];
  if (idx.length % 2 !== 0 || idx.some((x) => !Number.isInteger(x) || x < 0)) throw damaged(ctx, `${what} has an invalid /Index`, { object: num });
  const ranges: { first: number; count: number; row: number }[] = [];
  let rows = 0;
  let maxNumber = -1;
  for (let i = 0; i < idx.length; i += 2) {
    const first = idx[i]!;
    const count = idx[i + 1]!;
    if (count === 0) continue;
    if (first + count - 1 > ctx.work.limits.maxObjectNumber) {
      throw pdfProblem('pdf-object-number-limit', `${ctx.work.fileName} uses object numbers up to ${first + count - 1}; PDF allows at most ${ctx.work.limits.maxObjectNumber.toLocaleString('en')} (ISO 32000-1 Annex C)`, {
        objectNumber: first + count - 1,
        limit: ctx.work.limits.maxObjectNumber,
      });
    }
    ranges.push({ first, count, row: rows });
    rows += count;
    maxNumber = Math.max(maxNumber, first + count - 1);
  }
  const rowLen = w[0]! + w[1]! + w[2]!;
  const data = decodeStream(obj, { work: ctx.work, lookup: (o) => ctx.lookup(o), what, expectedSize: rows * rowLen });
  const field = (row: number, start: number, len: number): number => {
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + data[row * rowLen + start + i]!;
    return v;
  };
  const section = offset;
  const prev = numberIn(ctx, dict, 'Prev');
  return {
    offset,
    kind: 'stream',
    trailer: dict,
    ...(prev !== undefined ? { prev } : {}),
    maxNumber,
    count: rows,
    lookup(n) {
      for (const r of ranges) {
        if (n < r.first || n >= r.first + r.count) continue;
        const row = r.row + (n - r.first);
        if ((row + 1) * rowLen > data.length) return undefined;
        const type = w[0] === 0 ? 1 : field(row, 0, w[0]!);
        const f2 = field(row, w[0]!, w[1]!);
        const f3 = field(row, w[0]! + w[1]!, w[2]!);
        if (type === 1) return n === 0 ? { type: 'free' } : { type: 'offset', offset: f2, gen: f3, section };
        if (type === 2) return { type: 'compressed', stream: f2, index: f3, section };
        return { type: 'free' };
      }
      return undefined;
    },
    *numbers() {
      for (const r of ranges) for (let i = 0; i < r.count; i++) yield r.first + i;
    },
  };
}

function numberIn(ctx: ReadCtx, dict: PDFDict, key: string): number | undefined {
  const v = ctx.lookup(dict.get(PDFName.of(key)));
  return v instanceof PDFNumber ? v.asNumber() : undefined;
}

function arrayOfNumbers(ctx: ReadCtx, o: PDFObject | undefined): number[] {
  const a = ctx.lookup(o);
  if (!(a instanceof PDFArray)) return [];
  if (a.size() > 100_000) throw damaged(ctx, 'a cross-reference stream has an oversized /Index');
  return a.asArray().map((x) => {
    const v = ctx.lookup(x);
    return v instanceof PDFNumber ? v.asNumber() : NaN;
  });
}

/** §7.5.5: the last `startxref` in (the first `end` bytes of) the file, and its offset. */
/** `base`: where `bytes` starts in the file (an update checked on its own). */
export function findStartXref(bytes: Buffer, fileName: string, end = bytes.length, base = 0): { offset: number; at: number } {
  const at = bytes.lastIndexOf('startxref', end - 9, 'latin1');
  if (at < 0 || (end > 4096 && at < end - 4096)) throw pdfProblem('pdf-damaged', `${fileName} is damaged: no startxref near the end of the file`);
  const m = /^startxref\s+(\d+)/.exec(bytes.toString('latin1', at, at + 40));
  if (!m) throw pdfProblem('pdf-damaged', `${fileName} is damaged: startxref without an offset`);
  const offset = Number(m[1]);
  if (offset - base < 0 || offset - base >= end || offset === 0) throw pdfProblem('pdf-damaged', `${fileName} is damaged: startxref points outside the file`, { offset });
  return { offset, at };
}
