/**
 * PAdES baseline B/T signing (ETSI EN 319 142-1 §5–6, SubFilter ETSI.CAdES.detached) by
 * incremental update (ISO 32000-1 §7.5.6, §12.8):
 *
 *  1. open the PDF (kept in one Buffer, never rewritten);
 *  2. add the signature dictionary, field/widget (and appearance for a visible signature), with
 *     /Contents reserved at the exact upper bound of the CMS this key produces (+ a time-stamp
 *     reserve when one is requested) — computed before signing, never fixed by re-signing;
 *  3. serialise the update, fill /ByteRange = everything but the /Contents hex string;
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
import { buildAppearance } from './appearance';
import { Changes } from './changes';
import { writeIncrementalUpdate } from './incremental-writer';
import { openPdf } from './pdf-file';
import { ByteRangePlaceholder, ContentsPlaceholder } from './placeholders';
import { addSignatureField } from './signature-field';

/** Room for a time-stamp token (TSTInfo + the TSA's signature and certificates). */
export const DEFAULT_TIMESTAMP_RESERVE = 16 * 1024;

export interface PadesVisible {
  /** 1-based; 0 = last page. */
  page: number;
  rect: { x: number; y: number; width: number; height: number };
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
}

export async function signPdf(input: PadesInput): Promise<PadesOutput> {
  const name = input.name ?? 'The PDF';
  const file = await openPdf(input.pdf, name);
  const { doc } = file;
  const changes = new Changes(doc.context);

  const pages = doc.getPages();
  const pageNo = input.visible ? (input.visible.page === 0 ? pages.length : input.visible.page) : 1;
  const page = pages[pageNo - 1];
  if (!page) throw new SignetError('INVALID_INPUT', `${name} has ${pages.length} page(s); page ${pageNo} does not exist`);

  const reserve = input.timestamp ? (input.timestampReserve ?? DEFAULT_TIMESTAMP_RESERVE) : 0;
  const reserved = cmsSizeUpperBound(input.signer, input.hash, input.chain, reserve);

  let visible: { page: typeof page; rect: [number, number, number, number]; appearance: ReturnType<typeof buildAppearance> } | undefined;
  if (input.visible) {
    const { x, y, width, height } = input.visible.rect;
    if (!(width > 0 && height > 0) || ![x, y, width, height].every(Number.isFinite)) {
      throw new SignetError('INVALID_INPUT', 'The visible signature needs a rectangle with a positive width and height');
    }
    const box = page.getCropBox();
    const x0 = box.x + x;
    const y0 = box.y + y;
    const appearance = buildAppearance(changes, width, height, {
      signerName: input.signerName,
      signingTime: input.signingTime,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.location ? { location: input.location } : {}),
    });
    visible = { page, rect: [x0, y0, x0 + width, y0 + height], appearance };
  }

  const field = addSignatureField(file, changes, {
    reservedContentsBytes: reserved,
    signingTime: input.signingTime,
    signerName: input.signerName,
    page,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.location ? { location: input.location } : {}),
    ...(visible ? { visible } : {}),
  });

  const pdf = input.pdf;
  const lastByte = pdf[pdf.length - 1];
  const update = writeIncrementalUpdate({
    context: doc.context,
    baseOffset: pdf.length,
    baseEndsWithEol: lastByte === 0x0a || lastByte === 0x0d,
    objects: changes.objects(),
    xrefKind: file.xrefKind,
    prevXref: file.lastXrefOffset,
    size: file.size,
    previousTrailer: file.trailer,
  });

  // ISO 32000-1 §12.8.1: the byte range covers the whole file except the /Contents value,
  // angle brackets included.
  const cOff = field.contents.offset;
  const cLen = field.contents.sizeInBytes();
  if (cOff < 0 || field.byteRange.offset < 0) throw new SignetError('INTERNAL', 'Signature placeholders were not written');
  const total = pdf.length + update.length;
  const start = pdf.length + cOff;
  const end = start + cLen;
  ByteRangePlaceholder.fill(update, field.byteRange.offset, [0, start, end, total - end]);
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
  return cms.timestamp ? { original: pdf, update, fieldName: field.fieldName, timestamp: cms.timestamp } : { original: pdf, update, fieldName: field.fieldName };
}
