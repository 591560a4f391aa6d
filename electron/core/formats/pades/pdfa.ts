/**
 * A PDF/A claim (ISO 19005-1/2/3 §6.6 / §6.7): the catalog's XMP metadata stream with the
 * pdfaid:part and pdfaid:conformance properties. Signet keeps such a file PDF/A when it signs it
 * (embedded fonts, DeviceGray, an appearance for every widget) and says so; it does not validate
 * the file's own conformance.
 */
import { PDFName, PDFRawStream } from 'pdf-lib';
import type { PdfReader } from './pdf-reader';

export interface PdfAClaim {
  part: number;
  /** 'A', 'B', 'U' (or as written). */
  conformance?: string;
}

const MAX_XMP = 4 * 1024 * 1024;

export function readPdfA(reader: PdfReader): PdfAClaim | undefined {
  const md = reader.lookup(reader.catalog().get(PDFName.of('Metadata')));
  if (!(md instanceof PDFRawStream) || md.contents.length > MAX_XMP) return undefined;
  let xmp: string;
  try {
    xmp = reader.decode(md, 'the XMP metadata').subarray(0, MAX_XMP).toString('utf8');
  } catch {
    return undefined;
  }
  const prop = (name: string): string | undefined => {
    const attr = new RegExp(`pdfaid:${name}\\s*=\\s*["']([^"']{1,8})["']`).exec(xmp);
    const elem = new RegExp(`<pdfaid:${name}>\\s*([^<]{1,8}?)\\s*</pdfaid:${name}>`).exec(xmp);
    return (attr ?? elem)?.[1]?.trim();
  };
  const part = Number(prop('part'));
  if (!Number.isInteger(part) || part < 1 || part > 4) return undefined;
  const conformance = prop('conformance');
  return { part, ...(conformance ? { conformance: conformance.toUpperCase() } : {}) };
}
