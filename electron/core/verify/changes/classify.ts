/**
 * What changed after a signature, and whether it is permitted (issue 14, "honest verify"):
 * every object an incremental update added, changed or removed (revision-diff.ts) is given the
 * role it plays in the signed revision — catalog, form, field, widget, page, annotation,
 * signature dictionary, DSS, metadata — and each difference is classified:
 *
 *   form-fill      a field's /V, /AS or appearance            DocMDP P ≥ 2, unless FieldMDP-locked
 *   signature      a further signature field, widget, /V      P ≥ 2 (ISO 32000-1 §12.8.2.2, Table 254)
 *   annotation     comments added, changed or removed          P = 3, or no certification
 *   dss            Document Security Store                     always (ISO 32000-2 §12.8.2.2.2;
 *   doc-timestamp  ETSI.RFC3161 signature field                         ETSI EN 319 142-1 §5.4)
 *   metadata       /Info, XMP                                  always (shows nothing on a page)
 *   page-content   pages, their content, resources, boxes      never
 *   other          anything else, or what cannot be classified never
 *
 * Without a certification (approval signatures only) the permitted set is that of P=3, as Adobe
 * Acrobat reports it. New objects take the kind of the change that references them (a new
 * annotation's appearance stream is part of the annotation); new objects nothing references
 * cannot change what is shown and are not reported. Anything Signet cannot place is "other" and
 * not permitted: verify never calls a changed document valid by default.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { readDocument, type PdfDocumentInfo } from '../../formats/pades/document';
import { readPages } from '../../formats/pades/page-tree';
import type { PdfReader } from '../../formats/pades/pdf-reader';
import { locks, type DocMdpPermission, type FieldLock } from '../../formats/pades/permissions';
import type { PdfChange, PdfChangeKind, PdfChangeRule } from '../types';
import { diffRevisions, equal, type ObjectChange } from './revision-diff';

export interface Constraints {
  /** The certification's P when it applies to these changes (certification at or before the signature). */
  docMdp?: DocMdpPermission;
  /** FieldMDP locks of this signature and the signatures before it. */
  locks: FieldLock[];
}

interface Finding {
  kind: PdfChangeKind;
  description: string;
  objects: Set<number>;
  page?: number;
  field?: string;
}

interface Where {
  page?: number;
  field?: string;
}

type Role =
  | { role: 'catalog' }
  | { role: 'acroform' }
  | { role: 'fields-array' }
  | { role: 'field' | 'widget'; name: string }
  | { role: 'page'; index: number }
  | { role: 'annots'; index: number }
  | { role: 'annotation'; index: number }
  | { role: 'pages-node' }
  | { role: 'sigdict'; name: string }
  | { role: 'metadata' }
  | { role: 'dss' }
  | { role: 'perms' };

export async function changesAfter(before: PdfReader, after: PdfReader, afterDoc: PdfDocumentInfo, c: Constraints): Promise<PdfChange[]> {
  const diff = await diffRevisions(before, after);
  if (diff.length === 0) return [];
  const beforeDoc = await readDocument(before);
  const analysis = new Analysis(before, after, beforeDoc, afterDoc, diff);
  await analysis.run();
  return analysis.findings().map((f) => judge(f, c));
}

function judge(f: Finding, c: Constraints): PdfChange {
  const base = { kind: f.kind, objects: [...f.objects].sort((a, b) => a - b), ...(f.page !== undefined ? { page: f.page } : {}), ...(f.field !== undefined ? { field: f.field } : {}), description: f.description };
  const level: PdfChangeRule = c.docMdp === 1 ? 'docmdp-p1' : c.docMdp === 2 ? 'docmdp-p2' : c.docMdp === 3 ? 'docmdp-p3' : 'approval';
  const p = c.docMdp ?? 3;
  const verdict = (permitted: boolean, rule: PdfChangeRule): PdfChange => ({ ...base, permitted, rule });
  switch (f.kind) {
    case 'dss':
    case 'doc-timestamp':
    case 'metadata':
      return verdict(true, 'ltv');
    case 'signature':
      return verdict(p >= 2, level);
    case 'form-fill':
      if (f.field !== undefined && c.locks.some((l) => locks(l, f.field!))) return verdict(false, 'fieldmdp-lock');
      return verdict(p >= 2, level);
    case 'annotation':
      return verdict(p >= 3, level);
    case 'page-content':
    case 'other':
      return verdict(false, 'never');
  }
}

class Analysis {
  private readonly roles = new Map<string, Role>();
  private readonly byNum = new Map<number, ObjectChange>();
  private readonly out: Finding[] = [];
  /** New objects already attributed to a finding. */
  private readonly claimed = new Set<number>();

  constructor(
    private readonly before: PdfReader,
    private readonly after: PdfReader,
    private readonly beforeDoc: PdfDocumentInfo,
    private readonly afterDoc: PdfDocumentInfo,
    private readonly diff: ObjectChange[],
  ) {
    for (const d of diff) this.byNum.set(d.num, d);
  }

  findings(): Finding[] {
    // One finding per kind and place (field or page); a placeless detail of the same kind (the
    // form's /SigFlags, its /Fields array) joins the placed one it belongs to.
    const merged = new Map<string, Finding>();
    for (const f of this.out) {
      const key = `${f.kind}|${f.field ?? ''}|${f.page ?? ''}`;
      const m = merged.get(key);
      if (m) for (const o of f.objects) m.objects.add(o);
      else merged.set(key, { ...f, objects: new Set(f.objects) });
    }
    const all = [...merged.values()];
    for (const f of all.filter((x) => x.field === undefined && x.page === undefined)) {
      const home = all.find((x) => x !== f && x.kind === f.kind && (x.field !== undefined || x.page !== undefined));
      if (!home) continue;
      for (const o of f.objects) home.objects.add(o);
      all.splice(all.indexOf(f), 1);
    }
    return all;
  }

  async run(): Promise<void> {
    await this.assignRoles();
    if (this.before.rootRef !== this.after.rootRef) {
      this.add('other', 'the document catalog was replaced (trailer /Root)', [this.after.rootRef.objectNumber]);
    }
    const unknown: ObjectChange[] = [];
    for (const d of this.diff) {
      await this.after.work.step();
      if (!d.before) continue; // new objects are placed through what refers to them
      const role = this.roles.get(d.beforeRef!.tag);
      if (!role) {
        unknown.push(d);
        continue;
      }
      this.changed(d, role);
    }
    if (unknown.length > 0) await this.placeUnknown(unknown);
  }

  // ---------------------------------------------------------------------------------------------
  // Roles in the signed revision

  private async assignRoles(): Promise<void> {
    const b = this.before;
    const set = (o: PDFObject | undefined, role: Role) => {
      if (o instanceof PDFRef && !this.roles.has(o.tag)) this.roles.set(o.tag, role);
    };
    set(b.rootRef, { role: 'catalog' });
    const catalog = b.catalog();
    set(catalog.get(PDFName.of('AcroForm')), { role: 'acroform' });
    set(this.beforeDoc.form.acroForm?.get(PDFName.of('Fields')), { role: 'fields-array' });
    for (const [tag, r] of this.beforeDoc.form.refs) if (!this.roles.has(tag)) this.roles.set(tag, { role: r.role, name: r.name });
    for (const f of this.beforeDoc.form.fields) if (f.type === 'Sig' && f.valueRef) set(f.valueRef, { role: 'sigdict', name: f.name });
    for (const p of this.beforeDoc.pages) {
      set(p.ref, { role: 'page', index: p.index });
      const annots = p.dict.get(PDFName.of('Annots'));
      set(annots, { role: 'annots', index: p.index });
      for (const a of b.array(annots)?.asArray() ?? []) set(a, { role: 'annotation', index: p.index });
      await b.work.step();
    }
    const nodes = new Set<string>();
    await readPages(b, nodes);
    for (const tag of nodes) if (!this.roles.has(tag)) this.roles.set(tag, { role: 'pages-node' });
    set(b.trailer.get(PDFName.of('Info')), { role: 'metadata' });
    set(catalog.get(PDFName.of('Metadata')), { role: 'metadata' });
    set(catalog.get(PDFName.of('Perms')), { role: 'perms' });
    // Everything reachable from the DSS (its arrays, VRI dictionaries, certificate/OCSP/CRL streams).
    for (const tag of await this.reachable(b, [catalog.get(PDFName.of('DSS'))])) if (!this.roles.has(tag)) this.roles.set(tag, { role: 'dss' });
  }

  // ---------------------------------------------------------------------------------------------
  // Existing objects that changed

  private changed(d: ObjectChange, role: Role): void {
    const num = d.num;
    switch (role.role) {
      case 'catalog':
        return this.catalogChanged(d);
      case 'acroform':
        return this.acroFormChanged(dictOf(this.before, d.before), dictOf(this.after, d.after), num);
      case 'fields-array':
        return this.fieldsChanged(this.before.array(d.before), this.after.array(d.after), num);
      case 'field':
        return this.fieldChanged(role.name, d);
      case 'widget':
        return this.widgetChanged(role.name, d);
      case 'page':
        return this.pageChanged(role.index, d);
      case 'annots':
        return this.annotsChanged(role.index, this.before.array(d.before), this.after.array(d.after), num);
      case 'annotation':
        return this.annotationChanged(role.index, d);
      case 'pages-node':
        return this.add('page-content', 'pages were added, removed or reordered (page tree)', [num]);
      case 'sigdict':
        return this.add('other', `the signature dictionary of "${role.name}" was modified`, [num], { field: role.name });
      case 'metadata':
        this.add('metadata', 'document information (metadata) updated', [num]);
        return this.claimFrom(d.after, 'metadata', 'document information (metadata) updated');
      case 'dss':
        this.add('dss', 'validation data (DSS) updated', [num]);
        return this.claimFrom(d.after, 'dss', 'validation data (DSS) updated');
      case 'perms':
        return this.add('other', 'the document permissions (/Perms) were changed', [num]);
    }
  }

  private catalogChanged(d: ObjectChange): void {
    const b = dictOf(this.before, d.before);
    const a = dictOf(this.after, d.after);
    if (!b || !a) return this.add('other', 'the document catalog was removed or replaced', [d.num]);
    for (const key of keysChanged(b, a, this.after)) {
      const ov = b.get(PDFName.of(key));
      const nv = a.get(PDFName.of(key));
      switch (key) {
        case 'AcroForm':
          if (nv instanceof PDFRef && ov instanceof PDFRef && nv === ov) break;
          if (nv instanceof PDFRef && !(ov instanceof PDFDict) && this.isNew(nv)) {
            // A form created by this update (e.g. the first signature field).
            // Its fields are judged one by one (a new text field is not a signature).
            this.claimed.add(nv.objectNumber);
            this.fieldsChanged(undefined, this.after.array(this.after.dict(nv)?.get(PDFName.of('Fields'))), nv.objectNumber);
            break;
          }
          this.acroFormChanged(this.before.dict(ov), this.after.dict(nv), d.num);
          break;
        case 'DSS':
        case 'Extensions':
          // ETSI EN 319 142-1 §5.4: the DSS, and the ESIC extension level that declares it.
          this.add('dss', 'validation data (DSS) added or updated', [d.num]);
          this.claimFrom(nv, 'dss', 'validation data (DSS) added or updated');
          break;
        case 'Metadata':
        case 'Version':
          this.add('metadata', 'document information (metadata) updated', [d.num]);
          this.claimFrom(nv, 'metadata', 'document information (metadata) updated');
          break;
        case 'Pages':
          this.add('page-content', 'the page tree was replaced', [d.num]);
          break;
        default:
          this.add('other', `the document catalog's /${key} was changed`, [d.num]);
          this.claimFrom(nv, 'other', `the document catalog's /${key} was changed`);
      }
    }
  }

  private acroFormChanged(b: PDFDict | undefined, a: PDFDict | undefined, num: number): void {
    if (!b || !a) return this.add('other', 'the interactive form (/AcroForm) was removed or replaced', [num]);
    for (const key of keysChanged(b, a, this.after)) {
      const ov = b.get(PDFName.of(key));
      const nv = a.get(PDFName.of(key));
      switch (key) {
        case 'Fields':
          if (nv instanceof PDFRef && nv === ov) break; // the array object itself is compared on its own
          this.fieldsChanged(this.before.array(ov), this.after.array(nv), num);
          break;
        case 'SigFlags':
          this.add('signature', 'signature flags set (/SigFlags)', [num]);
          break;
        case 'DR':
        case 'DA':
        case 'NeedAppearances':
          this.add('form-fill', 'form appearance settings updated', [num]);
          this.claimFrom(nv, 'form-fill', 'form appearance settings updated');
          break;
        default:
          this.add('other', `the interactive form's /${key} was changed`, [num]);
      }
    }
  }

  /** /Fields (or a field's /Kids): fields added or removed. */
  private fieldsChanged(b: PDFArray | undefined, a: PDFArray | undefined, num: number, parent = ''): void {
    const oldItems = new Set((b?.asArray() ?? []).filter((x): x is PDFRef => x instanceof PDFRef).map((x) => x.tag));
    const newItems = (a?.asArray() ?? []).filter((x): x is PDFRef => x instanceof PDFRef);
    for (const tag of oldItems) {
      if (!newItems.some((x) => x.tag === tag)) this.add('other', 'a form field was removed', [num]);
    }
    for (const ref of newItems) {
      if (oldItems.has(ref.tag)) continue;
      const field = this.after.dict(ref);
      const name = [parent, this.after.text(field?.get(PDFName.of('T'))) ?? ''].filter(Boolean).join('.');
      const kind = this.sigKind(field);
      if (kind) {
        const what = kind === 'doc-timestamp' ? 'document time-stamp added' : `signature field "${name}" added`;
        this.add(kind, what, [num], { field: name });
        this.claimNew(ref, kind, what, num, { field: name });
      } else {
        this.add('other', `form field "${name}" added`, [num, ref.objectNumber], { field: name });
      }
    }
  }

  /** 'signature' / 'doc-timestamp' for a signature field (or widget of one), else undefined. */
  private sigKind(field: PDFDict | undefined): 'signature' | 'doc-timestamp' | undefined {
    let d = field;
    for (let i = 0; d && i < 32; i++) {
      const ft = this.after.name(d.get(PDFName.of('FT')));
      if (ft) {
        if (ft !== 'Sig') return undefined;
        const v = this.after.dict(field?.get(PDFName.of('V')));
        const t = this.after.name(v?.get(PDFName.of('Type')));
        const sf = this.after.name(v?.get(PDFName.of('SubFilter')));
        return t === 'DocTimeStamp' || sf === 'ETSI.RFC3161' ? 'doc-timestamp' : 'signature';
      }
      d = this.after.dict(d.get(PDFName.of('Parent')));
    }
    return undefined;
  }

  private fieldChanged(name: string, d: ObjectChange): void {
    const b = dictOf(this.before, d.before);
    const a = dictOf(this.after, d.after);
    if (!b || !a) return this.add('other', `form field "${name}" was removed or replaced`, [d.num], { field: name });
    const info = this.beforeDoc.form.fields.find((f) => f.ref?.tag === d.beforeRef!.tag);
    const isSig = info ? info.type === 'Sig' : this.before.name(b.get(PDFName.of('FT'))) === 'Sig';
    for (const key of keysChanged(b, a, this.after)) {
      const nv = a.get(PDFName.of(key));
      if (isSig && (key === 'V' || key === 'AP') && (key !== 'V' || !b.has(PDFName.of('V')))) {
        const kind = this.sigKind(a) ?? 'signature';
        const what = kind === 'doc-timestamp' ? 'document time-stamp added' : `signature field "${name}" signed`;
        this.add(kind, what, [d.num], { field: name });
        this.claimFrom(nv, kind, what, { field: name });
      } else if (!isSig && (key === 'V' || key === 'AS' || key === 'AP')) {
        this.add('form-fill', `field "${name}" filled in`, [d.num], { field: name });
        this.claimFrom(nv, 'form-fill', `field "${name}" filled in`, { field: name });
      } else if (key === 'Kids') {
        this.fieldsChanged(this.before.array(b.get(PDFName.of('Kids'))), this.after.array(nv), d.num, name);
      } else {
        this.add('other', isSig && key === 'V' ? `the signature in "${name}" was replaced` : `form field "${name}": /${key} was changed`, [d.num], { field: name });
      }
    }
  }

  private widgetChanged(name: string, d: ObjectChange): void {
    const b = dictOf(this.before, d.before);
    const a = dictOf(this.after, d.after);
    if (!b || !a) return this.add('other', `a widget of field "${name}" was removed or replaced`, [d.num], { field: name });
    const field = this.beforeDoc.form.fields.find((f) => f.name === name);
    const isSig = field?.type === 'Sig';
    for (const key of keysChanged(b, a, this.after)) {
      const nv = a.get(PDFName.of(key));
      if (key === 'AP' || key === 'AS') {
        const kind: PdfChangeKind = isSig ? (this.sigKind(this.after.dict(PDFRef.of(field!.ref?.objectNumber ?? 0, field!.ref?.generationNumber ?? 0))) ?? 'signature') : 'form-fill';
        const what = isSig ? `signature field "${name}" signed` : `field "${name}" filled in`;
        this.add(kind, what, [d.num], { field: name });
        this.claimFrom(nv, kind, what, { field: name });
      } else {
        this.add('other', `a widget of field "${name}": /${key} was changed`, [d.num], { field: name });
      }
    }
  }

  private pageChanged(index: number, d: ObjectChange): void {
    const b = dictOf(this.before, d.before);
    const a = dictOf(this.after, d.after);
    const page = index + 1;
    if (!b || !a) return this.add('page-content', `page ${page} was removed or replaced`, [d.num], { page });
    for (const key of keysChanged(b, a, this.after)) {
      const ov = b.get(PDFName.of(key));
      const nv = a.get(PDFName.of(key));
      if (key === 'Annots') {
        if (nv instanceof PDFRef && nv === ov) continue;
        this.annotsChanged(index, this.before.array(ov), this.after.array(nv), d.num);
      } else {
        const what = key === 'Contents' || key === 'Resources' ? `page ${page}'s content was changed` : `page ${page}: /${key} was changed`;
        this.add('page-content', what, [d.num], { page });
        this.claimFrom(nv, 'page-content', what, { page });
      }
    }
  }

  private annotsChanged(index: number, b: PDFArray | undefined, a: PDFArray | undefined, num: number): void {
    const page = index + 1;
    const oldTags = new Set((b?.asArray() ?? []).map((x) => (x instanceof PDFRef ? x.tag : '')));
    const newItems = a?.asArray() ?? [];
    const newTags = new Set(newItems.map((x) => (x instanceof PDFRef ? x.tag : '')));
    for (const x of b?.asArray() ?? []) {
      if (!(x instanceof PDFRef) || newTags.has(x.tag)) continue;
      const role = this.roles.get(x.tag);
      if (role?.role === 'widget' || role?.role === 'field') this.add('other', `a form field's widget was removed from page ${page}`, [num], { page });
      else this.add('annotation', `an annotation was removed from page ${page}`, [num, x.objectNumber], { page });
    }
    for (const x of newItems) {
      if (!(x instanceof PDFRef)) {
        this.add('annotation', `an annotation was added on page ${page}`, [num], { page });
        continue;
      }
      if (oldTags.has(x.tag)) continue;
      const annot = this.after.dict(x);
      const subtype = this.after.name(annot?.get(PDFName.of('Subtype')));
      if (subtype === 'Widget') {
        const kind = this.sigKind(annot);
        if (kind) {
          const what = kind === 'doc-timestamp' ? 'document time-stamp added' : 'signature added';
          this.add(kind, what, [num], { page });
          this.claimNew(x, kind, what, num, { page });
        } else {
          this.add('other', `a form field widget was added on page ${page}`, [num, x.objectNumber], { page });
        }
      } else {
        const what = `${subtype ? `a ${subtype} annotation` : 'an annotation'} was added on page ${page}`;
        this.add('annotation', what, [num], { page });
        this.claimNew(x, 'annotation', what, num, { page });
      }
    }
  }

  private annotationChanged(index: number, d: ObjectChange): void {
    const page = index + 1;
    const a = dictOf(this.after, d.after);
    const subtype = this.after.name(a?.get(PDFName.of('Subtype'))) ?? this.before.name(dictOf(this.before, d.before)?.get(PDFName.of('Subtype')));
    if (subtype === 'Widget') return this.add('other', `a form widget on page ${page} was changed`, [d.num], { page });
    const what = a ? `an annotation on page ${page} was changed` : `an annotation on page ${page} was removed`;
    this.add('annotation', what, [d.num], { page });
    this.claimFrom(d.after, 'annotation', what, { page });
  }

  /** Changed objects with no role: part of a page's content (fonts, images, streams), else other. */
  private async placeUnknown(unknown: ObjectChange[]): Promise<void> {
    const pageOf = new Map<string, number>();
    for (const p of this.beforeDoc.pages) {
      const roots = [p.dict.get(PDFName.of('Contents')), p.dict.get(PDFName.of('Resources'))];
      for (const tag of await this.reachable(this.before, roots)) if (!pageOf.has(tag)) pageOf.set(tag, p.index);
    }
    for (const d of unknown) {
      const index = pageOf.get(d.beforeRef!.tag);
      if (index !== undefined) {
        const what = `page ${index + 1}'s content was changed`;
        this.add('page-content', what, [d.num], { page: index + 1 });
        this.claimFrom(d.after, 'page-content', what, { page: index + 1 });
      } else {
        const t = d.before instanceof PDFRawStream ? 'a stream' : d.before instanceof PDFDict ? 'a dictionary' : 'an object';
        this.add('other', `object ${d.num} (${t} of the signed document) was ${d.after === undefined ? 'removed' : 'changed'}`, [d.num]);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // New objects

  private isNew(ref: PDFRef): boolean {
    const d = this.byNum.get(ref.objectNumber);
    return d !== undefined && d.before === undefined;
  }

  /** Attribute the new object `ref` and the new objects it references to a finding. */
  private claimNew(ref: PDFRef, kind: PdfChangeKind, description: string, via: number, where: Where = {}): void {
    this.claimFrom(ref, kind, description, where, via);
  }

  private claimFrom(o: PDFObject | undefined, kind: PdfChangeKind, description: string, where: Where = {}, via?: number): void {
    const objects: number[] = via !== undefined ? [via] : [];
    const stack: PDFObject[] = o === undefined ? [] : [o];
    while (stack.length > 0) {
      const x = stack.pop()!;
      this.after.work.count(1);
      if (x instanceof PDFRef) {
        if (!this.isNew(x) || this.claimed.has(x.objectNumber)) continue;
        this.claimed.add(x.objectNumber);
        objects.push(x.objectNumber);
        const v = this.after.resolve(x);
        if (v !== undefined) stack.push(v);
      } else if (x instanceof PDFRawStream) stack.push(x.dict);
      else if (x instanceof PDFDict) {
        // Up-links (/Parent, /P) lead back into the document, not into what this change added.
        for (const [k, v] of x.entries()) if (k !== PDFName.of('Parent') && k !== PDFName.of('P')) stack.push(v);
      }
      else if (x instanceof PDFArray) stack.push(...x.asArray());
    }
    if (objects.length > 0) this.add(kind, description, objects, where);
  }

  private add(kind: PdfChangeKind, description: string, objects: number[], where: Where = {}): void {
    this.out.push({ kind, description, objects: new Set(objects), ...where });
  }

  /** Indirect objects reachable from `roots` in `r` (bounded by the budget). */
  private async reachable(r: PdfReader, roots: (PDFObject | undefined)[]): Promise<Set<string>> {
    const seen = new Set<string>();
    const stack = roots.filter((x): x is PDFObject => x !== undefined);
    while (stack.length > 0) {
      const x = stack.pop()!;
      await r.work.step();
      if (x instanceof PDFRef) {
        if (seen.has(x.tag)) continue;
        seen.add(x.tag);
        const v = r.resolve(x);
        if (v !== undefined) stack.push(v);
      } else if (x instanceof PDFRawStream) stack.push(x.dict);
      else if (x instanceof PDFDict) {
        // Up-links (/Parent, /P) lead back into the document, not into what this change added.
        for (const [k, v] of x.entries()) if (k !== PDFName.of('Parent') && k !== PDFName.of('P')) stack.push(v);
      }
      else if (x instanceof PDFArray) stack.push(...x.asArray());
    }
    return seen;
  }
}

function dictOf(r: PdfReader, o: PDFObject | undefined): PDFDict | undefined {
  return o instanceof PDFDict ? o : o instanceof PDFRawStream ? o.dict : r.dict(o);
}

/** Keys whose values differ (structurally) between two dictionaries. */
function keysChanged(b: PDFDict, a: PDFDict, r: PdfReader): string[] {
  const keys = new Set([...b.keys(), ...a.keys()].map((k) => k.decodeText()));
  return [...keys].filter((k) => {
    const x = b.get(PDFName.of(k));
    const y = a.get(PDFName.of(k));
    return x === undefined || y === undefined || !equal(x, y, r);
  });
}
