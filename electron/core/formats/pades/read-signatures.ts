/**
 * Finding the signatures in a PDF (ISO 32000-1 §12.7.4.5, §12.8.1): every field of type /Sig in
 * the AcroForm (Kids included) whose /V is a signature dictionary, with its /ByteRange,
 * /Contents, /SubFilter and claimed data, plus where each signed revision ends (the file's
 * %%EOF markers, §7.5.5) so a verifier can tell whether later updates followed.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import type { PdfFile } from './pdf-file';

export interface PdfSignature {
  fieldName: string;
  subFilter: string;
  byteRange: number[];
  /** /Contents bytes (the CMS, usually followed by zero padding). */
  contents: Uint8Array;
  /** /M, as written. */
  m?: string;
  reason?: string;
  location?: string;
  name?: string;
}

export function readPdfSignatures(file: PdfFile): PdfSignature[] {
  const { context } = file.doc;
  const root = context.lookup(file.trailer.get(PDFName.of('Root')));
  if (!(root instanceof PDFDict)) return [];
  const af = deref(root.get(PDFName.of('AcroForm')));
  if (!(af instanceof PDFDict)) return [];
  const out: PdfSignature[] = [];
  const seen = new Set<PDFObject>();
  const walk = (fields: PDFObject | undefined, parentName: string, inheritedFt: PDFObject | undefined, depth: number) => {
    const arr = deref(fields);
    if (!(arr instanceof PDFArray) || depth > 32) return;
    for (const item of arr.asArray()) {
      const f = deref(item);
      if (!(f instanceof PDFDict) || seen.has(f)) continue;
      seen.add(f);
      const t = text(f.get(PDFName.of('T')));
      const name = t === undefined ? parentName : parentName ? `${parentName}.${t}` : t;
      const ft = f.get(PDFName.of('FT')) ?? inheritedFt;
      const v = deref(f.get(PDFName.of('V')));
      if (ft === PDFName.of('Sig') && v instanceof PDFDict) {
        const sig = readSigDict(v, name);
        if (sig) out.push(sig);
      }
      walk(f.get(PDFName.of('Kids')), name, ft, depth + 1);
    }
  };
  walk(af.get(PDFName.of('Fields')), '', undefined, 0);
  // Order of signing: by where the signed range ends.
  return out.sort((a, b) => end(a) - end(b));

  function deref(o: PDFObject | undefined): PDFObject | undefined {
    return o instanceof PDFRef ? context.lookup(o) : o;
  }
  function readSigDict(v: PDFDict, fieldName: string): PdfSignature | undefined {
    const br = deref(v.get(PDFName.of('ByteRange')));
    const contents = deref(v.get(PDFName.of('Contents')));
    const sub = deref(v.get(PDFName.of('SubFilter')));
    const byteRange = br instanceof PDFArray ? br.asArray().map((n) => (deref(n) instanceof PDFNumber ? (deref(n) as PDFNumber).asNumber() : NaN)) : [];
    let bytes: Uint8Array = new Uint8Array(0);
    if (contents instanceof PDFHexString) bytes = contents.asBytes();
    else if (contents instanceof PDFString) bytes = contents.asBytes();
    const sig: PdfSignature = { fieldName, subFilter: sub instanceof PDFName ? sub.decodeText() : '', byteRange, contents: bytes };
    const m = text(v.get(PDFName.of('M')));
    if (m) sig.m = m;
    const reason = text(v.get(PDFName.of('Reason')));
    if (reason) sig.reason = reason;
    const location = text(v.get(PDFName.of('Location')));
    if (location) sig.location = location;
    const n = text(v.get(PDFName.of('Name')));
    if (n) sig.name = n;
    return sig;
  }
  function text(o: PDFObject | undefined): string | undefined {
    const d = deref(o);
    return d instanceof PDFString || d instanceof PDFHexString ? d.decodeText() : undefined;
  }
}

function end(s: PdfSignature): number {
  const [, , c = 0, d = 0] = s.byteRange;
  return c + d;
}

/** Offsets just past each %%EOF marker (ends of revisions), ascending. */
export function revisionEnds(bytes: Buffer): number[] {
  const ends: number[] = [];
  let i = bytes.indexOf('%%EOF');
  while (i >= 0) {
    let e = i + 5;
    while (e < bytes.length && (bytes[e] === 0x0d || bytes[e] === 0x0a || bytes[e] === 0x20)) e++;
    ends.push(e);
    i = bytes.indexOf('%%EOF', i + 5);
  }
  return ends;
}

/** ISO 32000-1 §7.9.4 date → ISO 8601 (undefined when unparsable). */
export function parsePdfDate(s: string): string | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  const offset = !tz || tz === 'Z' || tz === 'z' ? 'Z' : `${tz}${th}:${tm}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
