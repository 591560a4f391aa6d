/**
 * Bookkeeping for an incremental update: which indirect objects are new or changed, so that the
 * writer serialises exactly those (ISO 32000-1 §7.5.6) and nothing else of the original file.
 */
import { type PDFRef, type PDFContext, type PDFObject } from 'pdf-lib';

export class Changes {
  private readonly refs = new Map<string, PDFRef>();
  constructor(readonly context: PDFContext) {}

  /** Register a new indirect object. */
  add(obj: PDFObject): PDFRef {
    const ref = this.context.register(obj);
    this.refs.set(ref.tag, ref);
    return ref;
  }

  /** An existing indirect object was modified in place. */
  touch(ref: PDFRef): void {
    this.refs.set(ref.tag, ref);
  }

  objects(): Array<[PDFRef, PDFObject]> {
    return [...this.refs.values()].map((r) => {
      const obj = this.context.lookup(r);
      if (!obj) throw new Error(`changed object ${r.tag} is missing`);
      return [r, obj];
    });
  }
}
