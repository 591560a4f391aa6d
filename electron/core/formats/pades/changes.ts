/**
 * Bookkeeping for an incremental update (ISO 32000-1 §7.5.6): the objects to write are the new
 * ones (registered in the reader's context, which holds nothing else) and edited copies of
 * existing ones. Existing objects are cloned before they are changed, so what was read stays as
 * it is in the file. New object numbers start above everything the file uses or claims and must
 * stay within ISO 32000-1 Annex C's limit.
 */
import { PDFArray, PDFDict, PDFRawStream, type PDFContext, type PDFObject, type PDFRef } from 'pdf-lib';
import { writeIncrementalUpdate, type WrittenUpdate } from './incremental-writer';
import type { PdfReader } from './pdf-reader';
import { pdfProblem } from './problems';
import { damaged } from './xref';

export class Changes {
  private readonly edited = new Map<string, [PDFRef, PDFObject]>();
  /** Trailer /Size before the update. */
  readonly size: number;

  constructor(readonly reader: PdfReader) {
    this.size = reader.nextObjectNumber();
    reader.context.largestObjectNumber = this.size - 1;
  }

  get context(): PDFContext {
    return this.reader.context;
  }

  /** Register a new indirect object. */
  add(obj: PDFObject): PDFRef {
    return this.context.register(obj);
  }

  /** An editable copy of existing dictionary `ref` (the same copy on every call). */
  editDict(ref: PDFRef): PDFDict {
    const e = this.edited.get(ref.tag);
    if (e) return e[1] as PDFDict;
    const obj = this.reader.resolve(ref);
    if (!(obj instanceof PDFDict)) throw damaged(this.reader, `object ${ref.objectNumber} should be a dictionary`, { object: ref.objectNumber });
    const copy = this.clone(obj) as PDFDict;
    this.edited.set(ref.tag, [ref, copy]);
    return copy;
  }

  /** An editable copy of existing array `ref`. */
  editArray(ref: PDFRef): PDFArray {
    const e = this.edited.get(ref.tag);
    if (e) return e[1] as PDFArray;
    const obj = this.reader.resolve(ref);
    if (!(obj instanceof PDFArray)) throw damaged(this.reader, `object ${ref.objectNumber} should be an array`, { object: ref.objectNumber });
    const copy = this.clone(obj) as PDFArray;
    this.edited.set(ref.tag, [ref, copy]);
    return copy;
  }

  /** Every object of the update, by number. */
  /** The update, serialised to be appended after `pdf` — the bytes this reader read. */
  write(pdf: Uint8Array): WrittenUpdate {
    const last = pdf[pdf.length - 1];
    return writeIncrementalUpdate({
      context: this.context,
      baseOffset: pdf.length,
      baseEndsWithEol: last === 0x0a || last === 0x0d,
      objects: this.objects(),
      xrefKind: this.reader.xrefKind,
      prevXref: this.reader.lastXrefOffset,
      size: this.size,
      previousTrailer: this.reader.trailer,
    });
  }

  objects(): Array<[PDFRef, PDFObject]> {
    const all = [...this.edited.values(), ...this.context.enumerateIndirectObjects()];
    const limit = this.reader.work.limits.maxObjectNumber;
    const over = all.find(([r]) => r.objectNumber > limit);
    if (over) {
      throw pdfProblem('pdf-object-number-limit', `${this.reader.fileName}: a new object would need number ${over[0].objectNumber}, beyond the ${limit.toLocaleString('en')} a PDF may use (ISO 32000-1 Annex C)`, {
        objectNumber: over[0].objectNumber,
        limit,
      });
    }
    return all.sort((a, b) => a[0].objectNumber - b[0].objectNumber);
  }

  /** Copy direct dictionaries and arrays (references and streams are shared: never edited here). */
  private clone(o: PDFObject): PDFObject {
    this.reader.work.count(1);
    if (o instanceof PDFRawStream) return o;
    if (o instanceof PDFDict) {
      const d = this.context.obj({});
      for (const [k, v] of o.entries()) d.set(k, this.clone(v));
      return d;
    }
    if (o instanceof PDFArray) {
      const a = this.context.obj([]);
      for (const v of o.asArray()) a.push(this.clone(v));
      return a;
    }
    return o;
  }
}
