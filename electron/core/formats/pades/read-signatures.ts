/**
 * Finding the signatures in a PDF (ISO 32000-1 §12.7.4.5, §12.8.1): every field of type /Sig in
 * the AcroForm (Kids included, read with the bounded form walk) whose /V is a signature
 * dictionary, with its /ByteRange, /Contents, /SubFilter and claimed data, the DocMDP / FieldMDP
 * references it carries (§12.8.2), in signing order.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PdfDocumentInfo } from './document';
import type { PdfReader } from './pdf-reader';
import { docMdpPermissionOf, fieldLocksOf, lockOf, type DocMdpPermission, type FieldLock } from './permissions';

export interface PdfSignature {
  fieldName: string;
  /** The signature dictionary's object number (0 when direct). */
  objectNumber: number;
  /** /Type: 'Sig', or 'DocTimeStamp' for a document time-stamp (ISO 32000-2 §12.8.5). */
  type: string;
  subFilter: string;
  byteRange: number[];
  /** /Contents bytes (the CMS, usually followed by zero padding). */
  contents: Uint8Array;
  /** /M, as written. */
  m?: string;
  reason?: string;
  location?: string;
  name?: string;
  /** The certification's P when this is the certification signature (DocMDP). */
  docMdp?: DocMdpPermission;
  /** FieldMDP locks: from the signature's /Reference and its field's /Lock. */
  locks: FieldLock[];
  /** adbe.x509.rsa_sha1: the signer certificate from /Cert (§12.8.3.2), DER. */
  certificate?: Uint8Array;
}

export function readPdfSignatures(reader: PdfReader, doc: PdfDocumentInfo): PdfSignature[] {
  const out: PdfSignature[] = [];
  const certRef = doc.docMdp?.sigDictRef;
  for (const f of doc.form.fields) {
    if (f.type !== 'Sig' || !(f.value instanceof PDFDict)) continue;
    const v = f.value;
    const br = reader.array(v.get(PDFName.of('ByteRange')));
    const byteRange = br ? br.asArray().slice(0, 8).map((n) => reader.number(n) ?? NaN) : [];
    const contents = reader.lookup(v.get(PDFName.of('Contents')));
    const bytes = contents instanceof PDFHexString || contents instanceof PDFString ? contents.asBytes() : new Uint8Array(0);
    const docMdp = docMdpPermissionOf(reader, v) ?? (certRef && f.valueRef === certRef ? doc.docMdp!.permission : undefined);
    const fieldLock = f.lock === undefined ? undefined : lockOf(reader, f.lock);
    const sig: PdfSignature = {
      fieldName: f.name,
      objectNumber: f.valueRef instanceof PDFRef ? f.valueRef.objectNumber : 0,
      type: reader.name(v.get(PDFName.of('Type'))) ?? 'Sig',
      subFilter: reader.name(v.get(PDFName.of('SubFilter'))) ?? '',
      byteRange,
      contents: bytes,
      ...(docMdp ? { docMdp } : {}),
      locks: [...fieldLocksOf(reader, v), ...(fieldLock ? [fieldLock] : [])],
    };
    const m = reader.text(v.get(PDFName.of('M')));
    if (m) sig.m = m;
    const reason = reader.text(v.get(PDFName.of('Reason')));
    if (reason) sig.reason = reason;
    const location = reader.text(v.get(PDFName.of('Location')));
    if (location) sig.location = location;
    const n = reader.text(v.get(PDFName.of('Name')));
    if (n) sig.name = n;
    const certObj = reader.lookup(v.get(PDFName.of('Cert')));
    const cert = certObj instanceof PDFArray ? reader.lookup(certObj.get(0)) : certObj;
    if (cert instanceof PDFString || cert instanceof PDFHexString) sig.certificate = cert.asBytes();
    out.push(sig);
  }
  // Order of signing: by where the signed range ends.
  return out.sort((a, b) => signedEnd(a) - signedEnd(b));
}

export function signedEnd(s: Pick<PdfSignature, 'byteRange'>): number {
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

