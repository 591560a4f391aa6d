/**
 * Modification detection and prevention (ISO 32000-1 §12.8.2): a certification signature's
 * DocMDP permissions (§12.8.2.2, Table 254 /P: 1 no changes; 2 form filling, page templates and
 * signing; 3 also annotations), and FieldMDP locks (§12.8.2.4; a signature field's /Lock,
 * §12.7.4.5 Table 233) naming the form fields a signature freezes.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import type { PdfReader } from './pdf-reader';

export type DocMdpPermission = 1 | 2 | 3;

export interface DocMdp {
  permission: DocMdpPermission;
  /** The certification signature's dictionary (catalog /Perms /DocMDP). */
  sigDictRef?: PDFRef;
}

export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude';
  fields: string[];
}

/** The document's certification, from the catalog's /Perms /DocMDP (§12.8.4.1, Table 258). */
export function readDocMdp(reader: PdfReader): DocMdp | undefined {
  const perms = reader.dict(reader.catalog().get(PDFName.of('Perms')));
  const ref = perms?.get(PDFName.of('DocMDP'));
  const sig = reader.dict(ref);
  if (!sig) return undefined;
  return { permission: docMdpPermissionOf(reader, sig) ?? 2, ...(ref instanceof PDFRef ? { sigDictRef: ref } : {}) };
}

/** /P of a signature dictionary's DocMDP reference, if it has one (default 2, Table 254). */
export function docMdpPermissionOf(reader: PdfReader, sigDict: PDFDict): DocMdpPermission | undefined {
  for (const r of references(reader, sigDict)) {
    if (reader.name(r.get(PDFName.of('TransformMethod'))) !== 'DocMDP') continue;
    const p = reader.number(reader.dict(r.get(PDFName.of('TransformParams')))?.get(PDFName.of('P')));
    return p === 1 || p === 3 ? p : 2;
  }
  return undefined;
}

/** FieldMDP locks declared in a signature dictionary's /Reference. */
export function fieldLocksOf(reader: PdfReader, sigDict: PDFDict): FieldLock[] {
  const out: FieldLock[] = [];
  for (const r of references(reader, sigDict)) {
    if (reader.name(r.get(PDFName.of('TransformMethod'))) !== 'FieldMDP') continue;
    const lock = lockOf(reader, r.get(PDFName.of('TransformParams')));
    if (lock) out.push(lock);
  }
  return out;
}

/** A lock dictionary (TransformParams of FieldMDP, or a field's /Lock): /Action and /Fields. */
export function lockOf(reader: PdfReader, o: PDFObject | undefined): FieldLock | undefined {
  const d = reader.dict(o);
  if (!d) return undefined;
  const action = reader.name(d.get(PDFName.of('Action')));
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return undefined;
  const fields = (reader.array(d.get(PDFName.of('Fields')))?.asArray() ?? []).slice(0, 10_000).map((f) => reader.text(f)).filter((f): f is string => f !== undefined);
  return { action, fields };
}

/** Whether `lock` freezes the field named `name` (a lock on "a" covers "a.b", §12.7.3.2). */
export function locks(lock: FieldLock, name: string): boolean {
  const listed = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
  switch (lock.action) {
    case 'All':
      return true;
    case 'Include':
      return listed;
    case 'Exclude':
      return !listed;
  }
}

function references(reader: PdfReader, sigDict: PDFDict): PDFDict[] {
  const refs = reader.lookup(sigDict.get(PDFName.of('Reference')));
  const items = refs instanceof PDFArray ? refs.asArray().slice(0, 64) : refs instanceof PDFDict ? [refs] : [];
  return items.map((x) => reader.dict(x)).filter((d): d is PDFDict => d !== undefined);
}
