/**
 * A document time-stamp (ISO 32000-2 §12.8.5, ETSI EN 319 142-1 §5.4.3 PAdES B-LTA) in its own
 * incremental update:
 *
 *   << /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161
 *      /ByteRange [...] /Contents <TimeStampToken> >>
 *
 * in a new invisible signature field; /Contents is an RFC 3161 TimeStampToken whose message
 * imprint is the digest of the byte ranges — the whole file except /Contents, DSS included.
 * Renewing the archive is adding another one (after a fresh DSS).
 */
import { PDFName } from 'pdf-lib';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import { hashBytes } from '../../hashing';
import type { TimestampInfo } from '../tsp/verify-token';
import { emptyAppearance } from './appearance';
import { Changes } from './changes';
import { readDocument } from './document';
import { PdfReader } from './pdf-reader';
import { ByteRangePlaceholder, ContentsPlaceholder } from './placeholders';
import { DEFAULT_TIMESTAMP_RESERVE } from './sign';
import { addNewField } from './signature-field';
import { checkUpdate } from './update-check';

export type ImprintTimestampFn = (imprint: Uint8Array, hash: HashAlg, signal?: AbortSignal) => Promise<TimestampInfo>;

export async function buildDocTimestampUpdate(
  pdf: Buffer,
  o: { timestamp: ImprintTimestampFn; hash?: HashAlg; reserve?: number; name?: string; signal?: AbortSignal },
): Promise<{ update: Buffer; timestamp: TimestampInfo }> {
  const reader = await PdfReader.open(pdf, { ...(o.name ? { name: o.name } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const doc = await readDocument(reader);
  const changes = new Changes(reader);
  const ctx = changes.context;
  const reserve = o.reserve ?? DEFAULT_TIMESTAMP_RESERVE;
  const byteRange = new ByteRangePlaceholder();
  const contents = new ContentsPlaceholder(reserve);
  const sig = ctx.obj({ Type: 'DocTimeStamp', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.RFC3161' });
  sig.set(PDFName.of('ByteRange'), byteRange);
  sig.set(PDFName.of('Contents'), contents);
  const sigRef = changes.add(sig);
  addNewField(changes, doc.form, { page: doc.pages[0]!, rect: [0, 0, 0, 0], appearance: emptyAppearance(ctx), sig: sigRef });
  const written = changes.write(pdf);
  const update = written.bytes;
  const cOff = contents.offset;
  const cLen = contents.sizeInBytes();
  if (cOff < 0 || byteRange.offset < 0) throw new SignetError('INTERNAL', 'Document time-stamp placeholders were not written');
  const start = pdf.length + cOff;
  const end = start + cLen;
  ByteRangePlaceholder.fill(update, byteRange.offset, [0, start, end, pdf.length + update.length - end]);
  checkUpdate(reader, pdf, update, { numbers: written.numbers, sigNumber: sigRef.objectNumber });
  const hash = o.hash ?? 'sha256';
  const imprint = hashBytes(hash, pdf, update.subarray(0, cOff), update.subarray(cOff + cLen));
  const ts = await o.timestamp(imprint, hash, o.signal);
  if (ts.token.length > reserve) throw new SignetError('INTERNAL', `The time-stamp token (${ts.token.length} bytes) does not fit the space reserved in the PDF (${reserve} bytes)`);
  ContentsPlaceholder.fill(update, cOff, reserve, ts.token);
  return { update, timestamp: ts };
}
