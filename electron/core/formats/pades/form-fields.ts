/**
 * Interactive form fields (ISO 32000-1 §12.7.3): the field tree under /AcroForm /Fields with
 * fully qualified names (§12.7.3.2), inherited /FT and /Ff, each terminal field's widgets
 * (§12.5.6.19; a field and its only widget may be one merged dictionary) and their pages. The
 * walk keeps a visited set: a field that lists itself (or an ancestor) in /Kids is damage, refused
 * with its object number — the /Kids cycle that once kept `signet sign` busy for ten minutes.
 */
import { type PDFDict, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import type { Box, PageInfo } from './page-tree';
import type { PdfReader } from './pdf-reader';
import { damaged } from './xref';

export interface WidgetInfo {
  ref?: PDFRef;
  dict: PDFDict;
  rect: Box;
  /** 0-based page index, when known (/P, or found in a page's /Annots). */
  pageIndex?: number;
}

export interface FieldInfo {
  /** Fully qualified name, e.g. "applicant.signature". */
  name: string;
  /** The terminal field dictionary (undefined ref: a direct object, which §12.7.3.1 does not allow). */
  ref?: PDFRef;
  dict: PDFDict;
  /** Inherited field type: 'Sig', 'Tx', 'Btn', 'Ch'. */
  type?: string;
  /** Inherited /Ff. */
  flags: number;
  /** /V is present (a signature field with /V is signed). */
  hasValue: boolean;
  /** /V (dereferenced once): the signature dictionary of a signed signature field. */
  value?: PDFObject;
  valueRef?: PDFRef;
  /** A signature field's /Lock (FieldMDP to apply when it is signed, §12.7.4.5). */
  lock?: PDFObject;
  widgets: WidgetInfo[];
}

export interface FormInfo {
  /** The AcroForm dictionary and the indirect object that holds it (itself, or the catalog). */
  acroForm?: PDFDict;
  acroFormRef?: PDFRef;
  fields: FieldInfo[];
  /** Every fully qualified name in use (terminal or not). */
  names: Set<string>;
  /** Every indirect field-tree node and widget, by reference tag: its field's name and role. */
  refs: Map<string, { name: string; role: 'field' | 'widget' }>;
}

export async function readForm(reader: PdfReader, pages: readonly PageInfo[]): Promise<FormInfo> {
  const catalog = reader.catalog();
  const afObj = catalog.get(PDFName.of('AcroForm'));
  const acroForm = reader.dict(afObj);
  const names = new Set<string>();
  const refs = new Map<string, { name: string; role: 'field' | 'widget' }>();
  if (!acroForm) return { fields: [], names, refs };
  const out: FormInfo = { acroForm, ...(afObj instanceof PDFRef ? { acroFormRef: afObj } : {}), fields: [], names, refs };
  const byPage = new Map(pages.map((p) => [p.ref.tag, p.index]));
  let annotPages: Map<string, number> | undefined;
  const pageOfWidget = async (ref: PDFRef | undefined, dict: PDFDict): Promise<number | undefined> => {
    const p = dict.get(PDFName.of('P'));
    if (p instanceof PDFRef && byPage.has(p.tag)) return byPage.get(p.tag);
    if (!ref) return undefined;
    annotPages ??= await annotationPages(reader, pages);
    return annotPages.get(ref.tag);
  };

  const visited = new Set<string>();
  interface Frame {
    item: PDFObject;
    parentName: string;
    ft?: string;
    ff: number;
    depth: number;
  }
  const fieldsArr = reader.array(acroForm.get(PDFName.of('Fields')));
  const stack: Frame[] = (fieldsArr?.asArray() ?? []).map((item) => ({ item, parentName: '', ff: 0, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { item, parentName, ft: inheritedFt, ff: inheritedFf, depth } = stack.pop()!;
    await reader.work.step();
    const ref = item instanceof PDFRef ? item : undefined;
    if (ref) {
      if (visited.has(ref.tag)) throw damaged(reader, `form field ${ref.objectNumber} is listed twice or is its own descendant (/Kids)`, { object: ref.objectNumber });
      visited.add(ref.tag);
    }
    if (depth > 64) throw damaged(reader, 'the form field tree is nested more than 64 levels deep');
    const dict = reader.dict(item);
    if (!dict) continue;
    const t = reader.text(dict.get(PDFName.of('T')));
    const name = t === undefined ? parentName : parentName ? `${parentName}.${t}` : t;
    if (name) names.add(name);
    if (ref) refs.set(ref.tag, { name, role: 'field' });
    const ft = reader.name(dict.get(PDFName.of('FT'))) ?? inheritedFt;
    const ff = reader.number(dict.get(PDFName.of('Ff'))) ?? inheritedFf;
    const kids = reader.array(dict.get(PDFName.of('Kids')));
    const kidItems = kids?.asArray() ?? [];
    // Kids that are fields (have /T) make this a non-terminal field; kids without /T are its widgets.
    const kidDicts = kidItems.map((k) => ({ k, d: reader.dict(k) }));
    const childFields = kidDicts.filter((x) => x.d && x.d.has(PDFName.of('T')));
    if (childFields.length > 0) {
      for (let i = kidItems.length - 1; i >= 0; i--) stack.push({ item: kidItems[i]!, parentName: name, ...(ft ? { ft } : {}), ff, depth: depth + 1 });
      continue;
    }
    const widgets: WidgetInfo[] = [];
    const widgetSources = kidItems.length > 0 ? kidDicts : [{ k: item, d: dict }];
    for (const { k, d } of widgetSources) {
      if (!d) continue;
      const wref = k instanceof PDFRef ? k : undefined;
      if (wref && wref !== ref) {
        if (visited.has(wref.tag)) throw damaged(reader, `widget ${wref.objectNumber} belongs to two form fields`, { object: wref.objectNumber });
        visited.add(wref.tag);
        refs.set(wref.tag, { name, role: 'widget' });
      }
      reader.work.count(1);
      const rect = rectOf(reader, d.get(PDFName.of('Rect')));
      if (!rect) continue;
      const pageIndex = await pageOfWidget(wref, d);
      widgets.push({ ...(wref ? { ref: wref } : {}), dict: d, rect, ...(pageIndex !== undefined ? { pageIndex } : {}) });
    }
    const vObj = dict.get(PDFName.of('V'));
    const value = reader.lookup(vObj);
    const lock = dict.get(PDFName.of('Lock'));
    out.fields.push({
      name,
      ...(ref ? { ref } : {}),
      dict,
      ...(ft ? { type: ft } : {}),
      flags: ff,
      hasValue: value !== undefined && !(value instanceof PDFName && value.decodeText() === ''),
      ...(value !== undefined ? { value } : {}),
      ...(vObj instanceof PDFRef ? { valueRef: vObj } : {}),
      ...(lock !== undefined ? { lock } : {}),
      widgets,
    });
  }
  return out;
}

/** Annotation reference → page index, from every page's /Annots (for widgets without /P). */
export async function annotationPages(reader: PdfReader, pages: readonly PageInfo[]): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (const p of pages) {
    const annots = reader.array(p.dict.get(PDFName.of('Annots')));
    if (!annots) continue;
    await reader.work.step(annots.size());
    for (const a of annots.asArray()) if (a instanceof PDFRef && !map.has(a.tag)) map.set(a.tag, p.index);
  }
  return map;
}

export function rectOf(reader: PdfReader, o: PDFObject | undefined): Box | undefined {
  const a = reader.array(o);
  if (!a || a.size() !== 4) return undefined;
  const v = a.asArray().map((x) => reader.number(x));
  if (v.some((x) => x === undefined || !Number.isFinite(x))) return undefined;
  const [x1, y1, x2, y2] = v as number[];
  return [Math.min(x1!, x2!), Math.min(y1!, y2!), Math.max(x1!, x2!), Math.max(y1!, y2!)];
}
