/**
 * PDFs for the PAdES benchmarks, made with pdf-lib: scan-like large files (pages that each show a
 * large image XObject) and small one-page text documents.
 */
import { randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

/** A PDF of about `sizeMb` MB: one 2 MB image XObject per page (opaque DCT bytes, never decoded). */
export async function makeLargePdf(p: string, sizeMb: number): Promise<void> {
  const doc = await PDFDocument.create();
  const perImage = 2 * 1000 * 1000;
  const pages = Math.max(1, Math.round((sizeMb * 1000 * 1000) / perImage));
  const data = Buffer.allocUnsafe(perImage);
  for (let i = 0; i < pages; i++) {
    randomFillSync(data);
    const img = doc.context.stream(new Uint8Array(data), { Type: 'XObject', Subtype: 'Image', Width: 1000, Height: 1000, ColorSpace: 'DeviceGray', BitsPerComponent: 8, Filter: 'DCTDecode' });
    const ref = doc.context.register(img);
    const page = doc.addPage([595, 842]);
    page.node.setXObject(PDFName.of('Im0'), ref);
    const content = doc.context.stream('q 595 0 0 842 0 0 cm /Im0 Do Q');
    page.node.addContentStream(doc.context.register(content));
  }
  writeFileSync(p, await doc.save({ useObjectStreams: false }));
}

/** `count` one-page A4 text documents named doc-0001.pdf … in `dir`; returns their paths. */
export async function makeSmallPdfs(dir: string, count: number): Promise<string[]> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Signet benchmark document', { x: 72, y: 760, size: 18, font });
  for (let l = 0; l < 30; l++) page.drawText(`Line ${l + 1}: the quick brown fox jumps over the lazy dog.`, { x: 72, y: 720 - l * 20, size: 11, font });
  const bytes = await doc.save({ useObjectStreams: false });
  const out: string[] = [];
  for (let i = 1; i <= count; i++) {
    const p = `${dir}/doc-${String(i).padStart(4, '0')}.pdf`;
    writeFileSync(p, bytes);
    out.push(p);
  }
  return out;
}
