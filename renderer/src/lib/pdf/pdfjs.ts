/**
 * pdf.js (pdfjs-dist, Mozilla's kept PDF renderer) set up for Signet's sandboxed renderer:
 *
 * - the worker is a file of the app's own origin (`?url`), so the CSP's default-src 'self'
 *   covers it; nothing is loaded from anywhere else;
 * - `isEvalSupported: false`: pdf.js compiles PostScript functions to JavaScript with `new
 *   Function` unless told not to; the CSP has no 'unsafe-eval', and we keep it that way;
 * - `useWasm: false`: the JPEG 2000 / JBIG2 / colour decoders fall back to plain JavaScript, so
 *   the CSP needs no 'wasm-unsafe-eval' either;
 * - `enableXfa: false`, no scripting: a PDF's JavaScript never runs (we render, never interact);
 * - bytes come by ranges through IPC (PDFDataRangeTransport + `files.read`), with auto-fetch
 *   and streaming off: a large PDF shows its first page after reading only what that page needs,
 *   and further pages are read when they scroll into view.
 */
import { getDocument, GlobalWorkerOptions, PDFDataRangeTransport, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { ByteSource } from './byte-source';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Small files are read in one go; larger ones by ranges. */
const WHOLE_FILE_LIMIT = 1024 * 1024;
const RANGE_CHUNK = 256 * 1024;

const dataUrl = (dir: string): string => new URL(`./pdfjs/${dir}/`, document.baseURI).href;

class IpcRangeTransport extends PDFDataRangeTransport {
  constructor(
    private readonly source: ByteSource,
    initial: Uint8Array,
  ) {
    super(source.size, initial);
  }

  override requestDataRange(begin: number, end: number): void {
    this.source.read(begin, end - begin).then(
      (chunk) => this.onDataRange(begin, chunk),
      () => this.onDataRange(begin, null),
    );
  }
}

export async function openPdfDocument(source: ByteSource): Promise<PDFDocumentProxy> {
  const common = {
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    cMapUrl: dataUrl('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: dataUrl('standard_fonts'),
    wasmUrl: dataUrl('wasm'),
    iccUrl: dataUrl('iccs'),
    rangeChunkSize: RANGE_CHUNK,
    verbosity: 0,
  };
  if (source.size <= WHOLE_FILE_LIMIT) {
    const data = await source.read(0, source.size);
    return getDocument({ ...common, data }).promise;
  }
  const initial = await source.read(0, RANGE_CHUNK);
  return getDocument({ ...common, range: new IpcRangeTransport(source, initial) }).promise;
}

export type { PDFDocumentProxy };
