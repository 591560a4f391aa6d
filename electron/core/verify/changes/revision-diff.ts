/**
 * Which objects differ between the revision a signature covers and the document as it is now
 * (ISO 32000-1 §7.5.6: an incremental update redefines objects by number). Only the
 * cross-reference sections added after the signed revision are looked at; each object they list
 * is compared with its signed version, structurally (a rewrite of identical content is no
 * change). Object and cross-reference streams are containers, not content. Bounded by the
 * reader's budget.
 */
import { PDFArray, PDFBool, PDFDict, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import type { PdfReader } from '../../formats/pades/pdf-reader';

export interface ObjectChange {
  num: number;
  /** undefined: the object is new. */
  before?: PDFObject;
  beforeRef?: PDFRef;
  /** undefined: the object was removed (freed). */
  after?: PDFObject;
  afterRef?: PDFRef;
}

export async function diffRevisions(before: PdfReader, after: PdfReader): Promise<ObjectChange[]> {
  const numbers = new Set<number>();
  for (const s of after.sectionsSince(before)) {
    for (const n of s.numbers()) {
      numbers.add(n);
      after.work.count(1);
    }
    const stm = after.hybridOf(s);
    if (stm) for (const n of stm.numbers()) numbers.add(n);
  }
  const out: ObjectChange[] = [];
  for (const num of [...numbers].sort((a, b) => a - b)) {
    await after.work.step();
    if (num === 0) continue;
    const beforeRef = refOf(before, num);
    const afterRef = refOf(after, num);
    const b = beforeRef ? before.resolve(beforeRef) : undefined;
    const a = afterRef ? after.resolve(afterRef) : undefined;
    if (a === undefined && b === undefined) continue;
    if (a instanceof PDFRawStream && isContainer(after, a)) continue;
    if (a !== undefined && b !== undefined && beforeRef === afterRef && equal(a, b, after)) continue;
    out.push({ num, ...(b !== undefined ? { before: b, beforeRef: beforeRef! } : {}), ...(a !== undefined ? { after: a, afterRef: afterRef! } : {}) });
  }
  return out;
}

function refOf(r: PdfReader, num: number): PDFRef | undefined {
  const e = r.entry(num);
  if (!e || e.type === 'free') return undefined;
  return PDFRef.of(num, e.type === 'offset' ? e.gen : 0);
}

function isContainer(r: PdfReader, s: PDFRawStream): boolean {
  const t = r.name(s.dict.get(PDFName.of('Type')));
  return t === 'XRef' || t === 'ObjStm';
}

/** Structural equality of two direct objects (references compared by number and generation). */
export function equal(a: PDFObject, b: PDFObject, r: PdfReader): boolean {
  r.work.count(1);
  if (a === b) return true;
  if (a instanceof PDFRawStream && b instanceof PDFRawStream) return equal(a.dict, b.dict, r) && Buffer.compare(Buffer.from(a.contents), Buffer.from(b.contents)) === 0;
  if (a instanceof PDFDict && b instanceof PDFDict) {
    const ea = a.entries();
    if (ea.length !== b.entries().length) return false;
    return ea.every(([k, v]) => {
      const w = b.get(k);
      return w !== undefined && equal(v, w, r);
    });
  }
  if (a instanceof PDFArray && b instanceof PDFArray) return a.size() === b.size() && a.asArray().every((v, i) => equal(v, b.get(i), r));
  if (a instanceof PDFNumber && b instanceof PDFNumber) return a.asNumber() === b.asNumber();
  if ((a instanceof PDFString || a instanceof PDFHexString) && (b instanceof PDFString || b instanceof PDFHexString)) return Buffer.compare(Buffer.from(a.asBytes()), Buffer.from(b.asBytes())) === 0;
  if (a instanceof PDFBool && b instanceof PDFBool) return a.asBoolean() === b.asBoolean();
  if (a === PDFNull || b === PDFNull) return a === b;
  return a instanceof PDFName && b instanceof PDFName ? a === b : false;
}
