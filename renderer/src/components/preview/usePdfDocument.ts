/** Load a PDF with pdf.js (imported on first use, so the app starts without it) and destroy it when done. */
import { useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { ByteSource } from '../../lib/pdf/byte-source';

export type PdfState = { status: 'loading' } | { status: 'ready'; doc: PDFDocumentProxy } | { status: 'failed'; message: string };

export function usePdfDocument(source: ByteSource): PdfState {
  const [state, setState] = useState<PdfState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    let doc: PDFDocumentProxy | null = null;
    setState({ status: 'loading' });
    void (async () => {
      try {
        const { openPdfDocument } = await import('../../lib/pdf/pdfjs');
        doc = await openPdfDocument(source);
        if (live) setState({ status: 'ready', doc });
        else void doc.destroy();
      } catch (e) {
        if (live) setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
      if (doc) void doc.destroy();
    };
    // The source is identified by its key (a new object for the same file must not reload it).
  }, [source.key]);
  return state;
}
