/**
 * What signing and inspection need to know about a PDF, read once with the bounded reader:
 * pages (displayed geometry), the form's fields, the certification (DocMDP) and a PDF/A claim.
 */
import type { FormInfo } from './form-fields';
import { readForm } from './form-fields';
import type { PageInfo } from './page-tree';
import { readPages } from './page-tree';
import type { PdfReader } from './pdf-reader';
import { readDocMdp, type DocMdp } from './permissions';
import { readPdfA, type PdfAClaim } from './pdfa';

export interface PdfDocumentInfo {
  pages: PageInfo[];
  form: FormInfo;
  docMdp?: DocMdp;
  pdfa?: PdfAClaim;
}

export async function readDocument(reader: PdfReader): Promise<PdfDocumentInfo> {
  const pages = await readPages(reader);
  const form = await readForm(reader, pages);
  await reader.work.checkpoint();
  const docMdp = readDocMdp(reader);
  const pdfa = readPdfA(reader);
  return { pages, form, ...(docMdp ? { docMdp } : {}), ...(pdfa ? { pdfa } : {}) };
}

/** Signature fields that hold a signature (/V present). */
export function signedFields(info: PdfDocumentInfo) {
  return info.form.fields.filter((f) => f.type === 'Sig' && f.hasValue);
}

/** Signature fields waiting for a signature (/FT /Sig, no /V). */
export function emptySignatureFields(info: PdfDocumentInfo) {
  return info.form.fields.filter((f) => f.type === 'Sig' && !f.hasValue);
}
