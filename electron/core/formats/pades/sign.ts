/**
 * PAdES baseline B/T signing (ETSI EN 319 142-1 §5–6, SubFilter ETSI.CAdES.detached) by
 * incremental update (ISO 32000-1 §7.5.6, §12.8):
 *
 *  1. read the PDF with the bounded reader (pdf-reader.ts; the file stays one Buffer, never
 *     rewritten) and refuse what must not be signed, before any card is touched: encrypted,
 *     certified with DocMDP P=1, a page or field that does not exist, a rectangle off the page;
 *  2. add the signature dictionary and either a new field/widget or the chosen empty signature
 *     field, with the appearance (an embedded-font stamp, upright as the page is displayed),
 *     /Contents reserved at the exact upper bound of the CMS this key produces (+ a time-stamp
 *     reserve when one is requested) — computed before signing, never fixed by re-signing;
 *  3. serialise the update, fill /ByteRange = everything but the /Contents hex string, and check
 *     the update as a reader would (update-check.ts);
 *  4. hash original + update over those ranges, have the card sign (CMS signed attributes
 *     content-type, message-digest, signing-certificate-v2; no signing-time, the time is /M);
 *  5. time-stamp the signature value if asked (PAdES-T, unsigned attribute in the CMS);
 *  6. hex the CMS into /Contents. Output = original bytes + update bytes.
 */
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import type { DocumentSigner } from '../../document-signer';
import { hashBytes } from '../../hashing';
import { cmsSizeUpperBound, signCms, type TimestampFn } from '../cms/sign';
import type { TimestampInfo } from '../tsp/verify-token';
import { assertStampFits, buildStamp, emptyAppearance } from './appearance';
import { Changes } from './changes';
import { emptySignatureFields, readDocument, signedFields, type PdfDocumentInfo } from './document';
import type { FieldInfo, WidgetInfo } from './form-fields';
import { assertOnPage, displayedToUser, type DisplayedRect } from './geometry';
import { encryptedProblem, signingProblems } from './inspect';
import { pageAt, type Box, type PageInfo } from './page-tree';
import { PdfReader } from './pdf-reader';
import type { DocMdpPermission } from './permissions';
import type { PdfAClaim } from './pdfa';
import { ByteRangePlaceholder, ContentsPlaceholder } from './placeholders';
import { pdfProblem } from './problems';
import { addNewField, addSigDict, fillField } from './signature-field';
import type { StampLocale } from './stamp-text';
import { checkUpdate } from './update-check';

/** Room for a time-stamp token (TSTInfo + the TSA's signature and certificates). */
export const DEFAULT_TIMESTAMP_RESERVE = 16 * 1024;

export interface PadesVisible {
  /** 1-based; 0 = last page. */
  page: number;
  /** As displayed (geometry.ts): points from the lower-left corner of the page as shown. */
  rect: DisplayedRect;
}

export interface PadesInput {
  pdf: Buffer;
  /** For messages. */
  name?: string;
  signer: DocumentSigner;
  hash: HashAlg;
  chain: readonly Uint8Array[];
  signingTime: Date;
  /** Shown in a visible signature and written to /Name. */
  signerName: string;
  reason?: string;
  location?: string;
  visible?: PadesVisible;
  /** Sign into this existing empty signature field (fully qualified name) instead of a new one. */
  field?: string;
  /** Language of the stamp's labels (default English). */
  locale?: StampLocale;
  /** Make a certification signature with this DocMDP level (ISO 32000-1 §12.8.2.2); only on an unsigned document. */
  certify?: DocMdpPermission;
  timestamp?: TimestampFn;
  timestampReserve?: number;
  signal?: AbortSignal;
  onPhase?: (phase: 'signing' | 'timestamping') => void;
}

export interface PadesOutput {
  /** The input, untouched: write it first… */
  original: Buffer;
  /** …then the update. */
  update: Buffer;
  fieldName: string;
  timestamp?: TimestampInfo;
  /** The file claims PDF/A and was kept so (embedded fonts, DeviceGray, appearances). */
  pdfa?: PdfAClaim;
  /** Certified (DocMDP P=2 or 3): signing is a permitted change. */
  certified?: DocMdpPermission;
  warnings: string[];
}

/** Everything up to the card: the checks, and the prepared update. Exported for the pre-checks. */
export async function preparePdf(input: Omit<PadesInput, 'signer' | 'hash' | 'chain' | 'timestamp' | 'onPhase'> & { reservedContentsBytes?: number }) {
  const name = input.name ?? 'The PDF';
  const reader = await PdfReader.open(input.pdf, { name, ...(input.signal ? { signal: input.signal } : {}) });
  if (reader.encrypted) throw encryptedProblem(name);
  const doc = await readDocument(reader);
  const problem = signingProblems(reader, doc)[0];
  if (problem) throw problem;
  const target = chooseTarget(doc, input, name);
  if (input.certify !== undefined && signedFields(doc).length > 0) {
    throw pdfProblem('certify-signed', `${name} is already signed; a certification must be the document's first signature (ISO 32000-1 §12.8.2.2)`);
  }
  return { reader, doc, target, name };
}

export async function signPdf(input: PadesInput): Promise<PadesOutput> {
  const { reader, doc, target, name } = await preparePdf(input);
  const warnings: string[] = [];
  if (doc.docMdp && !input.field) {
    warnings.push(
      `${name} is certified (DocMDP P=${doc.docMdp.permission}): signing is a permitted change, but some programs (Adobe Acrobat) accept only signatures in the document's existing signature fields; ${emptySignatureFields(doc).length > 0 ? 'choose one with --field' : 'it has none'}.`,
    );
  }
  const changes = new Changes(reader);
  const reserve = input.timestamp ? (input.timestampReserve ?? DEFAULT_TIMESTAMP_RESERVE) : 0;
  const reserved = cmsSizeUpperBound(input.signer, input.hash, input.chain, reserve);

  const sig = addSigDict(changes, {
    reservedContentsBytes: reserved,
    signingTime: input.signingTime,
    signerName: input.signerName,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.location ? { location: input.location } : {}),
    ...(target.kind === 'field' && target.field.lock !== undefined ? { lock: target.field.lock } : {}),
    ...(input.certify !== undefined ? { certify: input.certify } : {}),
  });
  const appearance =
    target.display.width > 0 && target.display.height > 0
      ? await buildStamp(changes.context, {
          width: target.display.width,
          height: target.display.height,
          rotate: target.page.rotate,
          text: {
            signerName: input.signerName,
            signingTime: input.signingTime,
            ...(input.reason ? { reason: input.reason } : {}),
            ...(input.location ? { location: input.location } : {}),
          },
          locale: input.locale ?? 'en',
          pdfa: doc.pdfa !== undefined,
        })
      : emptyAppearance(changes.context);
  input.signal?.throwIfAborted();

  let fieldName: string;
  if (target.kind === 'field') {
    fillField(changes, doc.form, target.field, target.widget, { appearance, sig: sig.ref });
    fieldName = target.field.name;
  } else {
    fieldName = addNewField(changes, doc.form, { page: target.page, rect: target.rect, appearance, sig: sig.ref });
  }

  const pdf = input.pdf;
  const written = changes.write(pdf);
  const update = written.bytes;

  // ISO 32000-1 §12.8.1: the byte range covers the whole file except the /Contents value,
  // angle brackets included.
  const cOff = sig.contents.offset;
  const cLen = sig.contents.sizeInBytes();
  if (cOff < 0 || sig.byteRange.offset < 0) throw new SignetError('INTERNAL', 'Signature placeholders were not written');
  const total = pdf.length + update.length;
  const start = pdf.length + cOff;
  const end = start + cLen;
  ByteRangePlaceholder.fill(update, sig.byteRange.offset, [0, start, end, total - end]);
  checkUpdate(reader, pdf, update, { numbers: written.numbers, sigNumber: sig.ref.objectNumber });
  const digest = hashBytes(input.hash, pdf, update.subarray(0, cOff), update.subarray(cOff + cLen));

  const cms = await signCms({
    signer: input.signer,
    hash: input.hash,
    contentDigest: digest,
    chain: input.chain,
    ...(input.timestamp ? { timestamp: input.timestamp } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onPhase ? { onPhase: input.onPhase } : {}),
  });
  if (cms.der.length > reserved) {
    // Cannot happen for the signature itself (the bound is exact); a time-stamp token larger than
    // the reserve can. Fail clearly rather than re-sign.
    throw new SignetError('INTERNAL', `The signature (${cms.der.length} bytes) does not fit the space reserved in the PDF (${reserved} bytes); the time-stamp token is unusually large`);
  }
  ContentsPlaceholder.fill(update, cOff, reserved, cms.der);
  return {
    original: pdf,
    update,
    fieldName,
    ...(cms.timestamp ? { timestamp: cms.timestamp } : {}),
    ...(doc.pdfa ? { pdfa: doc.pdfa } : {}),
    ...(doc.docMdp ? { certified: doc.docMdp.permission } : {}),
    warnings,
  };
}

type Target =
  | { kind: 'new'; page: PageInfo; rect: Box; display: { width: number; height: number } }
  | { kind: 'field'; page: PageInfo; field: FieldInfo; widget?: WidgetInfo; display: { width: number; height: number } };

function chooseTarget(doc: PdfDocumentInfo, input: { field?: string; visible?: PadesVisible }, name: string): Target {
  if (input.field !== undefined) {
    if (input.visible) throw pdfProblem('field-and-rect', 'A signature goes either into an existing field or into a rectangle, not both', { field: input.field });
    const field = doc.form.fields.find((f) => f.name === input.field);
    if (!field) {
      const empty = emptySignatureFields(doc).map((f) => f.name);
      throw pdfProblem('field-not-found', `${name} has no field named "${input.field}"${empty.length ? ` (empty signature fields: ${empty.join(', ')})` : ' and no empty signature field'}`, {
        field: input.field,
      });
    }
    if (field.type !== 'Sig') throw pdfProblem('field-not-signature', `The field "${field.name}" in ${name} is not a signature field`, { field: field.name });
    if (field.hasValue) throw pdfProblem('field-already-signed', `The signature field "${field.name}" in ${name} is already signed`, { field: field.name });
    const widget = field.widgets.find((w) => w.pageIndex !== undefined);
    const page = doc.pages[widget?.pageIndex ?? 0]!;
    const w = widget ? widget.rect[2] - widget.rect[0] : 0;
    const h = widget ? widget.rect[3] - widget.rect[1] : 0;
    const display = page.rotate === 90 || page.rotate === 270 ? { width: h, height: w } : { width: w, height: h };
    return { kind: 'field', page, field, ...(widget ? { widget } : {}), display };
  }
  if (!input.visible) return { kind: 'new', page: doc.pages[0]!, rect: [0, 0, 0, 0], display: { width: 0, height: 0 } };
  const page = pageAt(doc.pages, input.visible.page, name);
  const pageNumber = page.index + 1;
  const r = input.visible.rect;
  assertOnPage(page, r, pageNumber, name);
  assertStampFits(r.width, r.height, name);
  return { kind: 'new', page, rect: displayedToUser(page, r), display: { width: r.width, height: r.height } };
}
