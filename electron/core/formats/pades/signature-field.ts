/**
 * The objects a PDF signature needs (ISO 32000-1 §12.7.4.5 signature fields, §12.8.1 signature
 * dictionaries, §12.5.6.19 widget annotations; ETSI EN 319 142-1 §5.5 / §6.3 for PAdES):
 *
 *   signature dictionary  << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached
 *                            /ByteRange [...] /Contents <...> /M (D:...) [/Reason /Location /Name]
 *                            [/Reference [FieldMDP from the field's /Lock, §12.8.2.4]] >>
 *   new field + widget    << /Type /Annot /Subtype /Widget /FT /Sig /T (SignatureN) /V sig
 *     (merged)               /P page /Rect [...] /F 132 /AP << /N appearance >> >>
 *   or an existing empty signature field: /V sig, and its widget's /AP /N
 *   AcroForm              /Fields [... field] /SigFlags 3 (SignaturesExist | AppendOnly, §12.7.2)
 *   page                  /Annots [... widget]
 *
 * PAdES baseline puts the signing time in /M, not in the CMS (EN 319 142-1 §5.4.3).
 * Existing objects are edited as copies through `Changes`, so only they are rewritten.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import type { Changes } from './changes';
import type { FieldInfo, FormInfo, WidgetInfo } from './form-fields';
import type { Box, PageInfo } from './page-tree';
import { lockOf } from './permissions';
import { ByteRangePlaceholder, ContentsPlaceholder } from './placeholders';
import { damaged } from './xref';

export interface SigDictInput {
  reservedContentsBytes: number;
  signingTime: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Name of the signer for /Name (informational; the certificate is what counts). */
  signerName?: string;
  /** The field's /Lock: becomes a FieldMDP reference (§12.7.4.5, Table 233). */
  lock?: PDFObject;
  /** A certification signature with this DocMDP level (§12.8.2.2): /Reference DocMDP, catalog /Perms. */
  certify?: 1 | 2 | 3;
}

export interface SigDict {
  ref: PDFRef;
  byteRange: ByteRangePlaceholder;
  contents: ContentsPlaceholder;
}

/** ISO 32000-1 §7.9.4 date: D:YYYYMMDDHHmmSS+00'00' (we always write UTC). */
export function pdfDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+00'00'`;
}

/** A PDF text string (§7.9.2.2): PDFDocEncoding-safe ASCII as a literal, anything else UTF-16BE. */
export function pdfText(s: string): PDFObject {
  return /^[\x20-\x7e]*$/.test(s) ? PDFString.of(s.replace(/[\\()]/g, (c) => `\\${c}`)) : PDFHexString.fromText(s);
}

export function addSigDict(changes: Changes, input: SigDictInput): SigDict {
  const { context, reader } = changes;
  const byteRange = new ByteRangePlaceholder();
  const contents = new ContentsPlaceholder(input.reservedContentsBytes);
  const d = context.obj({});
  d.set(PDFName.of('Type'), PDFName.of('Sig'));
  d.set(PDFName.of('Filter'), PDFName.of('Adobe.PPKLite'));
  d.set(PDFName.of('SubFilter'), PDFName.of('ETSI.CAdES.detached'));
  d.set(PDFName.of('ByteRange'), byteRange);
  d.set(PDFName.of('Contents'), contents);
  d.set(PDFName.of('M'), PDFString.of(pdfDate(input.signingTime)));
  if (input.signerName) d.set(PDFName.of('Name'), pdfText(input.signerName));
  if (input.reason) d.set(PDFName.of('Reason'), pdfText(input.reason));
  if (input.location) d.set(PDFName.of('Location'), pdfText(input.location));
  if (input.contactInfo) d.set(PDFName.of('ContactInfo'), pdfText(input.contactInfo));
  const lock = input.lock === undefined ? undefined : lockOf(reader, input.lock);
  const refs = context.obj([]);
  if (input.certify) {
    // §12.8.2.2: DocMDP transform parameters (Table 254), /V /1.2.
    refs.push(context.obj({ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: input.certify, V: PDFName.of('1.2') } }));
  }
  if (lock) {
    // §12.8.2.4: FieldMDP, /Data the catalog (Table 253).
    refs.push(
      context.obj([
        {
          Type: 'SigRef',
          TransformMethod: 'FieldMDP',
          TransformParams: { Type: 'TransformParams', Action: lock.action, ...(lock.action === 'All' ? {} : { Fields: lock.fields.map((f) => pdfText(f)) }), V: PDFName.of('1.2') },
          Data: reader.rootRef,
        },
      ]).get(0),
    );
  }
  if (refs.size() > 0) d.set(PDFName.of('Reference'), refs);
  const ref = changes.add(d);
  if (input.certify) {
    // §12.8.4.1 Table 258: the catalog's /Perms /DocMDP names the certification signature.
    const catalog = changes.editDict(reader.rootRef);
    catalog.set(PDFName.of('Perms'), context.obj({ DocMDP: ref }));
  }
  return { ref, byteRange, contents };
}

/** A new signature field merged with its widget, on `page` at `rect` (user space). Returns its name. */
export function addNewField(changes: Changes, form: FormInfo, o: { page: PageInfo; rect: Box; appearance: PDFRef; sig: PDFRef }): string {
  const { context } = changes;
  const fieldName = freeFieldName(form);
  const widget = context.obj({});
  widget.set(PDFName.of('Type'), PDFName.of('Annot'));
  widget.set(PDFName.of('Subtype'), PDFName.of('Widget'));
  widget.set(PDFName.of('FT'), PDFName.of('Sig'));
  widget.set(PDFName.of('T'), pdfText(fieldName));
  widget.set(PDFName.of('V'), o.sig);
  widget.set(PDFName.of('P'), o.page.ref);
  // Print (4) + Locked (128), §12.5.3: shown when printed, not movable by the user.
  widget.set(PDFName.of('F'), PDFNumber.of(132));
  widget.set(PDFName.of('Rect'), context.obj(o.rect));
  widget.set(PDFName.of('AP'), context.obj({ N: o.appearance }));
  const widgetRef = changes.add(widget);
  pushField(changes, form, widgetRef);
  addAnnot(changes, o.page, widgetRef);
  return fieldName;
}

/** Sign into an existing empty signature field: /V, and the appearance on its widget. */
export function fillField(changes: Changes, form: FormInfo, field: FieldInfo, widget: WidgetInfo | undefined, o: { appearance: PDFRef; sig: PDFRef }): void {
  if (!field.ref) throw damaged(changes.reader, `the signature field ${field.name} is not an indirect object`);
  const f = changes.editDict(field.ref);
  f.set(PDFName.of('V'), o.sig);
  if (widget) {
    const w = widget.ref && widget.ref !== field.ref ? changes.editDict(widget.ref) : f;
    w.set(PDFName.of('AP'), changes.context.obj({ N: o.appearance }));
  }
  setSigFlags(changes, form);
}

function setSigFlags(changes: Changes, form: FormInfo): void {
  const af = acroFormForEdit(changes, form);
  af.set(PDFName.of('SigFlags'), PDFNumber.of(3));
}

function acroFormForEdit(changes: Changes, form: FormInfo): PDFDict {
  const { reader } = changes;
  if (form.acroFormRef) return changes.editDict(form.acroFormRef);
  const catalog = changes.editDict(reader.rootRef);
  const direct = catalog.get(PDFName.of('AcroForm'));
  if (direct instanceof PDFDict) return direct;
  const ref = changes.add(changes.context.obj({ Fields: [] }));
  catalog.set(PDFName.of('AcroForm'), ref);
  form.acroFormRef = ref;
  return changes.context.lookup(ref, PDFDict);
}

function pushField(changes: Changes, form: FormInfo, widgetRef: PDFRef): void {
  const af = acroFormForEdit(changes, form);
  const fields = af.get(PDFName.of('Fields'));
  if (fields instanceof PDFRef && changes.reader.array(fields)) changes.editArray(fields).push(widgetRef);
  else if (fields instanceof PDFArray) fields.push(widgetRef);
  else af.set(PDFName.of('Fields'), changes.context.obj([widgetRef]));
  af.set(PDFName.of('SigFlags'), PDFNumber.of(3));
}

function addAnnot(changes: Changes, page: PageInfo, widgetRef: PDFRef): void {
  const annots = page.dict.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef && changes.reader.array(annots)) {
    changes.editArray(annots).push(widgetRef);
    return;
  }
  const p = changes.editDict(page.ref);
  const a = p.get(PDFName.of('Annots'));
  if (a instanceof PDFArray) a.push(widgetRef);
  else p.set(PDFName.of('Annots'), changes.context.obj([widgetRef]));
}

/** "Signature1", "Signature2", … not used by any field (§12.7.3.2: names must be unique). */
function freeFieldName(form: FormInfo): string {
  for (let n = 1; ; n++) if (!form.names.has(`Signature${n}`)) return `Signature${n}`;
}
