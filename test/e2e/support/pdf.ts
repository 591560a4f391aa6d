/** Small test documents: PDFs made with pdf-lib (a real PDF writer), plain files. */
import { writeFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function writePdf(file: string, title: string, pages = 1): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title} — page ${i + 1}`, { x: 72, y: 760, size: 18, font });
    page.drawText('Signet end-to-end test document.', { x: 72, y: 730, size: 12, font });
  }
  writeFileSync(file, await doc.save({ useObjectStreams: false }));
  return file;
}
