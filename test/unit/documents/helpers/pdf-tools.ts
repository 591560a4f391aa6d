/**
 * Independent PDF tools for tests: pdfsig (poppler, NSS), qpdf --check, pdftoppm; a small NSS db
 * that trusts a given CA (certutil), and test PDFs made with pdf-lib (classic xref table or
 * cross-reference stream with object streams, optional existing AcroForm).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export function makeNssDb(dir: string, caPemPath: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-n', 'signet-test-ca', '-t', 'CT,C,C', '-i', caPemPath, '-d', `sql:${dir}`]);
  return dir;
}

export interface ToolResult {
  status: number | null;
  out: string;
}

export function pdfsig(nssDir: string, file: string): ToolResult {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

export function qpdfCheck(file: string): ToolResult {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Parse pdfsig output into one entry per signature. */
export function pdfsigSignatures(out: string): { validity: string; trust: string; wholeFile: boolean; signer: string; field: string }[] {
  return out
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      validity: /Signature Validation: (.*)/.exec(block)?.[1]?.trim() ?? '',
      trust: /Certificate Validation: (.*)/.exec(block)?.[1]?.trim() ?? '',
      wholeFile: /Total document signed/.test(block),
      signer: /Signer Certificate Common Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
      field: /Signature Field Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
    }));
}

export interface TestPdfOptions {
  pages?: number;
  /** pdf-lib's default: object streams + cross-reference stream. false: classic table. */
  objectStreams?: boolean;
  /** Add an AcroForm with a text field. */
  withForm?: boolean;
  title?: string;
}

export async function makeTestPdf(o: TestPdfOptions = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (o.pages ?? 2); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${o.title ?? 'Signet test document'} — page ${i + 1}`, { x: 50, y: 780, size: 18, font });
  }
  if (o.withForm) {
    const form = doc.getForm();
    const tf = form.createTextField('applicant.name');
    tf.setText('Jane Doe');
    tf.addToPage(doc.getPage(0), { x: 50, y: 700, width: 200, height: 24 });
  }
  return Buffer.from(await doc.save({ useObjectStreams: o.objectStreams ?? true }));
}

export function pdftoppm(file: string, page: number, outPrefix: string): string {
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(page), '-l', String(page), '-singlefile', file, outPrefix]);
  return `${outPrefix}.png`;
}

export function qpdfObjectStreams(input: string, output: string): void {
  execFileSync('qpdf', ['--object-streams=generate', input, output]);
}

export function dirOf(p: string): string {
  return path.dirname(p);
}

/** Run a mupdf JavaScript file with `mutool run` (an independent PDF writer for incremental updates). */
export function mutoolRun(script: string, args: string[]): void {
  execFileSync('mutool', ['run', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
