/**
 * The objects a PDF signature needs (ISO 32000-1 §12.7.4.5 signature fields, §12.8.1 signature
 * dictionaries, §12.5.6.19 widget annotations; ETSI EN 319 142-1 §5.5 / §6.3 for PAdES):
 *
 *   signature dictionary  << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached
 *                            /ByteRange [...] /Contents <...> /M (D:...) [/Reason /Location /ContactInfo] >>
 *   field + widget (merged) << /Type /Annot /Subtype /Widget /FT /Sig /T (SignatureN) /V sigdict
 *                            /P page /Rect [...] /F 132 [/AP << /N appearance >>] >>
 *   AcroForm              /Fields [... field] /SigFlags 3 (SignaturesExist | AppendOnly, §12.7.2)
 *   page                  /Annots [... widget]
 *
 * PAdES baseline puts the signing time in /M, not in the CMS (EN 319 142-1 §5.4.3).
 * Existing objects are modified in memory and recorded in `Changes`, so only they are rewritten.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject, type PDFPage } from 'pdf-lib';
import type { Changes } from './changes';
import { ByteRangePlaceholder, ContentsPlaceholder } from './placeholders';
import type { PdfFile } from './pdf-file';

export interface SignatureFieldInput {
  reservedContentsBytes: number;
  signingTime: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Name of the signer for /Name (informational; the certificate is what counts). */
  signerName?: string;
  /** Visible signature: the page and the rectangle in default user space, and the appearance. */
  visible?: { page: PDFPage; rect: [number, number, number, number]; appearance: PDFRef };
  /** Invisible: the widget goes on this page with an empty rectangle. */
  page: PDFPage;
}

export interface SignatureField {
  fieldName: string;
  sigDict: PDFDict;
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
   
  return /^[\x20-\x7e]*$/.test(s) ? PDFString.of(escapeLiteral(s)) : PDFHexString.fromText(s);
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

export function addSignatureField(file: PdfFile, changes: Changes, input: SignatureFieldInput): SignatureField {
  const { context } = file.doc;
  const byteRange = new ByteRangePlaceholder();
  const contents = new ContentsPlaceholder(input.reservedContentsBytes);

  const sigDict = context.obj({});
  sigDict.set(PDFName.of('Type'), PDFName.of('Sig'));
  sigDict.set(PDFName.of('Filter'), PDFName.of('Adobe.PPKLite'));
  sigDict.set(PDFName.of('SubFilter'), PDFName.of('ETSI.CAdES.detached'));
  sigDict.set(PDFName.of('ByteRange'), byteRange);
  sigDict.set(PDFName.of('Contents'), contents);
  sigDict.set(PDFName.of('M'), PDFString.of(pdfDate(input.signingTime)));
  if (input.signerName) sigDict.set(PDFName.of('Name'), pdfText(input.signerName));
  if (input.reason) sigDict.set(PDFName.of('Reason'), pdfText(input.reason));
  if (input.location) sigDict.set(PDFName.of('Location'), pdfText(input.location));
  if (input.contactInfo) sigDict.set(PDFName.of('ContactInfo'), pdfText(input.contactInfo));
  const sigRef = changes.add(sigDict);

  const catalogRef = file.trailer.get(PDFName.of('Root')) as PDFRef;
  const catalog = context.lookup(catalogRef, PDFDict);
  const { acroForm, owner: acroOwner } = acroFormOf(file, changes, catalog, catalogRef);
  const fieldName = freeFieldName(file, acroForm);

  const page = input.visible?.page ?? input.page;
  const widget = context.obj({});
  widget.set(PDFName.of('Type'), PDFName.of('Annot'));
  widget.set(PDFName.of('Subtype'), PDFName.of('Widget'));
  widget.set(PDFName.of('FT'), PDFName.of('Sig'));
  widget.set(PDFName.of('T'), pdfText(fieldName));
  widget.set(PDFName.of('V'), sigRef);
  widget.set(PDFName.of('P'), page.ref);
  // Print (4) + Locked (128), §12.5.3: shown when printed, not movable by the user.
  widget.set(PDFName.of('F'), PDFNumber.of(132));
  const rect = input.visible?.rect ?? [0, 0, 0, 0];
  widget.set(PDFName.of('Rect'), context.obj(rect));
  if (input.visible) widget.set(PDFName.of('AP'), context.obj({ N: input.visible.appearance }));
  const widgetRef = changes.add(widget);

  // AcroForm /Fields (the array may be indirect) and /SigFlags 3.
  const fieldsObj = acroForm.get(PDFName.of('Fields'));
  if (fieldsObj instanceof PDFRef) {
    context.lookup(fieldsObj, PDFArray).push(widgetRef);
    changes.touch(fieldsObj);
  } else if (fieldsObj instanceof PDFArray) {
    fieldsObj.push(widgetRef);
    changes.touch(acroOwner);
  } else {
    acroForm.set(PDFName.of('Fields'), context.obj([widgetRef]));
    changes.touch(acroOwner);
  }
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  changes.touch(acroOwner);

  // Page /Annots (the array may be indirect).
  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    context.lookup(annots, PDFArray).push(widgetRef);
    changes.touch(annots);
  } else if (annots instanceof PDFArray) {
    annots.push(widgetRef);
    changes.touch(page.ref);
  } else {
    page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
    changes.touch(page.ref);
  }
  return { fieldName, sigDict, byteRange, contents };
}

/** The AcroForm dictionary and the indirect object that holds it (itself, or the catalog). */
function acroFormOf(file: PdfFile, changes: Changes, catalog: PDFDict, catalogRef: PDFRef): { acroForm: PDFDict; owner: PDFRef } {
  const { context } = file.doc;
  const af = catalog.get(PDFName.of('AcroForm'));
  if (af instanceof PDFRef) {
    const dict = context.lookup(af);
    if (dict instanceof PDFDict) return { acroForm: dict, owner: af };
  } else if (af instanceof PDFDict) {
    return { acroForm: af, owner: catalogRef };
  }
  const acroForm = context.obj({ Fields: [] });
  const ref = changes.add(acroForm);
  catalog.set(PDFName.of('AcroForm'), ref);
  changes.touch(catalogRef);
  return { acroForm, owner: ref };
}

/** "Signature1", "Signature2", … not used by any existing field (§12.7.3.2: names must be unique). */
function freeFieldName(file: PdfFile, acroForm: PDFDict): string {
  const { context } = file.doc;
  const names = new Set<string>();
  const visit = (obj: PDFObject | undefined, depth: number) => {
    if (depth > 32) return;
    const arr = obj instanceof PDFRef ? context.lookup(obj) : obj;
    if (!(arr instanceof PDFArray)) return;
    for (const item of arr.asArray()) {
      const f = item instanceof PDFRef ? context.lookup(item) : item;
      if (!(f instanceof PDFDict)) continue;
      const t = f.get(PDFName.of('T'));
      if (t instanceof PDFString || t instanceof PDFHexString) names.add(t.decodeText());
      visit(f.get(PDFName.of('Kids')), depth + 1);
    }
  };
  visit(acroForm.get(PDFName.of('Fields')), 0);
  for (let n = 1; ; n++) if (!names.has(`Signature${n}`)) return `Signature${n}`;
}
