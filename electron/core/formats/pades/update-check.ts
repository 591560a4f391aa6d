/**
 * Check before writing (issue 14): the appended update is read back with the same parser a
 * verifier would use — its cross-reference section at `startxref`, /Prev to the original's last
 * section, every entry pointing at a well-formed `n g obj` of the expected number, object numbers
 * within ISO 32000-1 Annex C, /Size above them, /Root carried over — and the signature
 * dictionary's /ByteRange must leave out exactly its /Contents hex string and end at the end of
 * the file. A file that fails this is never written (INTERNAL: it would be Signet's bug).
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { SignetError } from '../../../../native/errors';
import { parseObjectAt, readObjectHeader } from './object-parser';
import type { PdfReader } from './pdf-reader';
import { findStartXref, readXrefSection } from './xref';

export interface UpdateExpectations {
  /** Object numbers written (including a cross-reference stream's own). */
  numbers: ReadonlySet<number>;
  sigNumber: number;
}

export function checkUpdate(reader: PdfReader, original: Buffer, update: Buffer, exp: UpdateExpectations): void {
  const fail = (why: string): never => {
    throw new SignetError('INTERNAL', `The signed file failed Signet's own check before writing (${why}); nothing was written`);
  };
  const base = original.length;
  const { offset } = findStartXref(update, 'the update', update.length, base);
  if (offset < base) fail('startxref points into the original file');
  const ctx = { bytes: update, base, context: reader.context, work: reader.work, lookup: (o: unknown) => (o instanceof PDFRef ? undefined : (o as never)) };
  const section = readXrefSection(ctx, offset);
  if (section.prev !== reader.lastXrefOffset) fail(`/Prev is ${section.prev}, not ${reader.lastXrefOffset}`);
  const root = section.trailer.get(PDFName.of('Root'));
  if (!(root instanceof PDFRef) || root !== reader.rootRef) fail('/Root was not carried over');
  const size = section.trailer.get(PDFName.of('Size'));
  const seen = new Set<number>();
  let sig: PDFDict | undefined;
  for (const num of section.numbers()) {
    const e = section.lookup(num);
    if (e?.type === 'free' && num === 0) continue; // the head of the free list, as writers add it
    if (!e || e.type !== 'offset') fail(`object ${num} has no offset`);
    const entry = e as { offset: number };
    const local = entry.offset - base;
    const head = readObjectHeader(update, local);
    if (!head || head.num !== num) fail(`the entry of object ${num} does not point at it`);
    if (num > reader.work.limits.maxObjectNumber) fail(`object number ${num} is beyond the PDF limit`);
    const obj = parseObjectAt(update, head!.bodyStart, reader.context, { fileName: 'the update', what: `object ${num}` });
    if (num === exp.sigNumber) sig = obj instanceof PDFDict ? obj : undefined;
    seen.add(num);
  }
  if (seen.size !== exp.numbers.size || [...exp.numbers].some((n) => !seen.has(n))) fail('the cross-reference section does not list exactly the objects written');
  if (!(size instanceof PDFNumber) || size.asNumber() <= Math.max(...seen)) fail('/Size is not above the highest object number');
  if (!sig) fail('the signature dictionary is missing');
  const br = sig!.get(PDFName.of('ByteRange'));
  const v = br instanceof PDFArray ? br.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : NaN)) : [];
  const total = base + update.length;
  const [a, b, c, d] = v as [number, number, number, number];
  if (v.length !== 4 || a !== 0 || !(b < c) || c + d !== total) fail('/ByteRange does not cover the file');
  const at = (i: number) => (i < base ? original[i] : update[i - base]);
  if (at(b) !== 0x3c || at(c - 1) !== 0x3e) fail('/ByteRange does not leave out exactly /Contents');
}
