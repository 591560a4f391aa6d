/**
 * PAdES long-term additions for the change-classification tests (ETSI EN 319 142-1 §5.4, ISO
 * 32000-2 §12.8.4–5): an incremental update adding a Document Security Store with certificates
 * (and the ESIC extension declaring it), then one adding a document time-stamp — a
 * /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161 signature whose /Contents is a real RFC 3161
 * token from the rig's TSA over the /ByteRange. Built with core's incremental writer, as a
 * PAdES-LTA tool would append them.
 */
import { PDFName, PDFNumber } from 'pdf-lib';
import { emptyAppearance } from '../../../../electron/core/formats/pades/appearance';
import { Changes } from '../../../../electron/core/formats/pades/changes';
import { readDocument } from '../../../../electron/core/formats/pades/document';
import { PdfReader } from '../../../../electron/core/formats/pades/pdf-reader';
import { ByteRangePlaceholder, ContentsPlaceholder } from '../../../../electron/core/formats/pades/placeholders';
import { addNewField } from '../../../../electron/core/formats/pades/signature-field';
import { timestampImprint } from '../../../../electron/core/formats/tsp/client';
import { hashBytes } from '../../../../electron/core/hashing';

export async function appendDss(pdf: Buffer, certificates: Uint8Array[]): Promise<Buffer> {
  const reader = await PdfReader.open(pdf);
  const changes = new Changes(reader);
  const ctx = changes.context;
  const certs = certificates.map((c) => changes.add(ctx.flateStream(c)));
  const dss = changes.add(ctx.obj({ Type: 'DSS', Certs: certs }));
  const catalog = changes.editDict(reader.rootRef);
  catalog.set(PDFName.of('DSS'), dss);
  catalog.set(PDFName.of('Extensions'), ctx.obj({ ESIC: { BaseVersion: PDFName.of('1.7'), ExtensionLevel: PDFNumber.of(2) } }));
  return Buffer.concat([pdf, changes.write(pdf).bytes]);
}

export async function appendDocTimestamp(pdf: Buffer, tsaUrl: string): Promise<Buffer> {
  const reader = await PdfReader.open(pdf);
  const doc = await readDocument(reader);
  const changes = new Changes(reader);
  const ctx = changes.context;
  const byteRange = new ByteRangePlaceholder();
  const contents = new ContentsPlaceholder(12 * 1024);
  const sig = changes.add(
    ctx.obj({ Type: 'DocTimeStamp', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.RFC3161', ByteRange: byteRange, Contents: contents }),
  );
  addNewField(changes, doc.form, { page: doc.pages[0]!, rect: [0, 0, 0, 0], appearance: emptyAppearance(ctx), sig });
  const update = changes.write(pdf).bytes;
  const start = pdf.length + contents.offset;
  const end = start + contents.sizeInBytes();
  const total = pdf.length + update.length;
  ByteRangePlaceholder.fill(update, byteRange.offset, [0, start, end, total - end]);
  const imprint = hashBytes('sha256', pdf, update.subarray(0, contents.offset), update.subarray(contents.offset + contents.sizeInBytes()));
  const ts = await timestampImprint(imprint, 'sha256', { url: tsaUrl });
  ContentsPlaceholder.fill(update, contents.offset, 12 * 1024, ts.token);
  return Buffer.concat([pdf, update]);
}
