/**
 * Serialising an incremental update (ISO 32000-1 §7.5.6): only the new and changed objects,
 * each as `n g obj … endobj` written with pdf-lib's object serialisers, then a cross-reference
 * section of the same kind as the file's last one — a classic table (§7.5.4) with a trailer, or a
 * cross-reference stream (§7.5.8) — with /Prev pointing at the previous section, then
 * `startxref` and `%%EOF`. The original bytes are never touched: the update is appended.
 */
import { PDFCrossRefSection, PDFCrossRefStream, type PDFDict, PDFName, PDFNumber, PDFRef, PDFTrailer, PDFTrailerDict, type PDFContext, type PDFObject } from 'pdf-lib';
import type { XrefKind } from './xref';

export interface UpdateInput {
  context: PDFContext;
  /** Length of the original file: offsets in the update start here. */
  baseOffset: number;
  /** The original ends with an end-of-line (else the update starts with one). */
  baseEndsWithEol: boolean;
  objects: ReadonlyArray<[PDFRef, PDFObject]>;
  xrefKind: XrefKind;
  prevXref: number;
  /** Trailer /Size before this update. */
  size: number;
  /** The previous trailer: /Root, /Info and /ID are carried over. */
  previousTrailer: PDFDict;
}

export interface WrittenUpdate {
  /** The update's bytes (to append after the original). */
  bytes: Buffer;
  /** Every object number in its cross-reference section (a cross-reference stream's own too). */
  numbers: Set<number>;
}

export function writeIncrementalUpdate(u: UpdateInput): WrittenUpdate {
  const objects = [...u.objects].sort((a, b) => a[0].objectNumber - b[0].objectNumber);
  const lead = u.baseEndsWithEol ? '' : '\n';
  const heads = objects.map(([ref]) => `${ref.objectNumber} ${ref.generationNumber} obj\n`);
  const tail = '\nendobj\n';

  let size = lead.length;
  const offsets: number[] = [];
  objects.forEach(([, obj], i) => {
    offsets.push(u.baseOffset + size);
    size += heads[i]!.length + obj.sizeInBytes() + tail.length;
  });
  const xrefOffset = u.baseOffset + size;

  let newSize = Math.max(u.size, ...objects.map(([r]) => r.objectNumber + 1));
  const trailerEntries: Record<string, PDFObject> = {};
  for (const key of ['Root', 'Info', 'ID']) {
    const v = u.previousTrailer.get(PDFName.of(key));
    if (v) trailerEntries[key] = v;
  }

  let xrefPart: { obj?: [PDFRef, PDFObject]; bytes?: Uint8Array };
  if (u.xrefKind === 'table') {
    const section = PDFCrossRefSection.createEmpty();
    objects.forEach(([ref], i) => section.addEntry(ref, offsets[i]!));
    const dict = u.context.obj({ Size: newSize, Prev: u.prevXref, ...trailerEntries });
    const trailerDict = PDFTrailerDict.of(dict);
    const t = PDFTrailer.forLastCrossRefSectionOffset(xrefOffset);
    const bytes = new Uint8Array(section.sizeInBytes() + trailerDict.sizeInBytes() + 1 + t.sizeInBytes() + 1);
    let o = section.copyBytesInto(bytes, 0);
    o += trailerDict.copyBytesInto(bytes, o);
    bytes[o++] = 0x0a;
    o += t.copyBytesInto(bytes, o);
    bytes[o++] = 0x0a;
    xrefPart = { bytes };
  } else {
    const xrefRef = PDFRef.of(newSize);
    newSize += 1;
    const dict = u.context.obj({ Size: newSize, Prev: u.prevXref, ...trailerEntries });
    const stream = PDFCrossRefStream.create(dict as PDFDict, true);
    const all: Array<[PDFRef, number]> = objects.map(([ref], i) => [ref, offsets[i]!]);
    all.push([xrefRef, xrefOffset]);
    for (const [ref, off] of all) stream.addUncompressedEntry(ref, off);
    dict.set(PDFName.of('Size'), PDFNumber.of(newSize));
    xrefPart = { obj: [xrefRef, stream] };
  }

  let total = size;
  let xrefObjHead = '';
  let startxref: PDFTrailer | undefined;
  if (xrefPart.bytes) total += xrefPart.bytes.length;
  else {
    const [ref, obj] = xrefPart.obj!;
    xrefObjHead = `${ref.objectNumber} ${ref.generationNumber} obj\n`;
    startxref = PDFTrailer.forLastCrossRefSectionOffset(xrefOffset);
    total += xrefObjHead.length + obj.sizeInBytes() + tail.length + startxref.sizeInBytes() + 1;
  }

  const out = Buffer.alloc(total);
  let o = out.write(lead, 0, 'latin1');
  objects.forEach(([, obj], i) => {
    o += out.write(heads[i]!, o, 'latin1');
    o += obj.copyBytesInto(out, o);
    o += out.write(tail, o, 'latin1');
  });
  if (xrefPart.bytes) {
    out.set(xrefPart.bytes, o);
    o += xrefPart.bytes.length;
  } else {
    o += out.write(xrefObjHead, o, 'latin1');
    o += xrefPart.obj![1].copyBytesInto(out, o);
    o += out.write(tail, o, 'latin1');
    o += startxref!.copyBytesInto(out, o);
    out[o++] = 0x0a;
  }
  if (o !== total) throw new Error(`incremental update size mismatch (${o} != ${total})`);
  const numbers = new Set(objects.map(([r]) => r.objectNumber));
  if (xrefPart.obj) numbers.add(xrefPart.obj[0].objectNumber);
  return { bytes: out, numbers };
}
