/**
 * Honest verify (issue 14): for a signature that does not cover the whole file, what changed
 * after it (changes/classify.ts) and whether every change is permitted — the certification's
 * DocMDP level when the certification is this signature or an earlier one (ISO 32000-1
 * §12.8.2.2), the FieldMDP locks of this and earlier signatures (§12.8.2.4), the PAdES rules for
 * validation data and document time-stamps. A later revision Signet cannot read or classify is
 * a change that is not permitted.
 */
import type { PdfDocumentInfo } from '../formats/pades/document';
import type { PdfReader } from '../formats/pades/pdf-reader';
import { signedEnd, type PdfSignature } from '../formats/pades/read-signatures';
import { changesAfter } from './changes/classify';
import type { PdfChange } from './types';

export async function changesAfterSignature(reader: PdfReader, doc: PdfDocumentInfo, sig: PdfSignature, all: readonly PdfSignature[]): Promise<PdfChange[]> {
  const end = signedEnd(sig);
  if (end >= reader.bytes.length) return [];
  const earlier = all.filter((s) => signedEnd(s) <= end);
  const cert = earlier.find((s) => s.docMdp !== undefined);
  const constraints = { ...(cert?.docMdp ? { docMdp: cert.docMdp } : {}), locks: earlier.flatMap((s) => s.locks) };
  try {
    const before = await reader.revision(end);
    if (reader.sectionsSince(before).length === 0) {
      return [unclassifiable(`${reader.bytes.length - end} bytes follow the signed revision without being a document update`)];
    }
    return await changesAfter(before, reader, doc, constraints);
  } catch (e) {
    if (reader.work.signal?.aborted) throw e;
    return [unclassifiable(`the changes after this signature cannot be analysed (${(e as Error).message})`)];
  }
}

function unclassifiable(description: string): PdfChange {
  return { kind: 'other', objects: [], permitted: false, rule: 'never', description };
}

/** One line per change for errors and warnings. */
export function describeChange(c: PdfChange): string {
  const objs = c.objects.length > 0 ? ` (object${c.objects.length === 1 ? '' : 's'} ${c.objects.slice(0, 8).join(', ')}${c.objects.length > 8 ? ', …' : ''})` : '';
  return `${c.description}${objs}`;
}
