/**
 * Verifying every signature in a PDF (ISO 32000-1 §12.8, ETSI EN 319 142-1): for each signature
 * field, the /ByteRange must start at 0 and leave out exactly the /Contents hex string; the CMS
 * in /Contents is checked over those ranges (SubFilter ETSI.CAdES.detached or
 * adbe.pkcs7.detached); and when later incremental updates followed, what they changed and
 * whether the signature permits it (pades-changes.ts): a signature is valid only when every
 * change after it is permitted.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { parseSignedData } from '../formats/cms/parse';
import { displayNameOf } from '../pki/names';
import { readDocument } from '../formats/pades/document';
import { PdfReader } from '../formats/pades/pdf-reader';
import { pdfProblem } from '../formats/pades/problems';
import { readDss } from '../formats/pades/dss';
import { parsePdfDate, readPdfSignatures, revisionEnds, signedEnd, type PdfSignature } from '../formats/pades/read-signatures';
import { fileError, hashBytes } from '../hashing';
import { changesAfterSignature, describeChange } from './pades-changes';
import type { EmbeddedMaterial } from './revocation';
import { anchorsOf, reportSigner, timestampReport } from './signer-report';
import type { PdfChange, SignatureReport, VerifyOptions, VerifyReport } from './types';

const SUPPORTED = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);
/** ISO 32000-2 §12.8.5: a document time-stamp's /SubFilter. */
const DOC_TIMESTAMP = 'ETSI.RFC3161';

export async function verifyPades(pdfPath: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(pdfPath);
  } catch (e) {
    throw fileError(pdfPath, e);
  }
  return verifyPadesBytes(bytes, pdfPath, opts);
}

export async function verifyPadesBytes(bytes: Buffer, name: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const reader = await PdfReader.open(bytes, { name: path.basename(name), ...(opts.signal ? { signal: opts.signal } : {}) });
  if (reader.encrypted) throw pdfProblem('pdf-encrypted', `${path.basename(name)} is encrypted; Signet does not verify encrypted PDFs`);
  const doc = await readDocument(reader);
  const sigs = readPdfSignatures(reader, doc);
  if (sigs.length === 0) throw pdfProblem('no-signature', `${path.basename(name)} contains no signature`);
  const ends = revisionEnds(bytes);
  // Validation material of the Document Security Store (ISO 32000-2 §12.8.4.3), as last updated.
  const material = readDss(reader);
  const signatures: SignatureReport[] = [];
  for (const [i, sig] of sigs.entries()) {
    const report = await verifyOne(bytes, sig, i + 1, ends, { ...opts, material });
    // What changed after it matters only for a signature that holds over what it signed.
    if (report.integrity) await judgeChanges(report, await changesAfterSignature(reader, doc, sig, sigs));
    if (sig.docMdp && report.pdf) report.pdf.certification = { permission: sig.docMdp };
    if (sig.docMdp && sigs.indexOf(sig) > 0) {
      report.errors.push('A certification signature (DocMDP) must be the first signature of the document (ISO 32000-1 §12.8.2.2)');
      report.valid = false;
    }
    signatures.push(report);
  }
  markArchived(signatures, sigs);
  return { valid: signatures.every((s) => s.valid), format: 'pades', file: name, signatures };
}

async function verifyOne(bytes: Buffer, sig: PdfSignature, index: number, ends: number[], opts: VerifyOptions & { material: EmbeddedMaterial }): Promise<SignatureReport> {
  const claimed = sig.m ? parsePdfDate(sig.m) : undefined;
  const base = (errors: string[]): SignatureReport => ({
    index,
    format: 'pades',
    signer: sig.name ?? '(unknown)',
    ...(claimed ? { signingTime: claimed } : {}),
    integrity: false,
    chain: { trusted: false, certificates: [], problems: [] },
    purposes: [],
    pdf: { field: sig.fieldName, subFilter: sig.subFilter, coversWholeDocument: false, laterRevisions: 0 },
    valid: false,
    errors,
    warnings: [],
  });
  if (sig.subFilter === 'adbe.x509.rsa_sha1') {
    // ISO 32000-1 §12.8.3.2: a bare PKCS#1 RSA value over a SHA-1 digest, certificates in /Cert.
    const r = base([
      'Legacy signature type adbe.x509.rsa_sha1 (a bare RSA signature over a SHA-1 digest, ISO 32000-1 §12.8.3.2): Signet does not verify it — SHA-1 is no longer collision-resistant and the format signs no attributes. The other signatures are judged on their own.',
    ]);
    if (sig.certificate) {
      try {
        r.signer = displayNameOf(AsnConvert.parse(sig.certificate, Certificate).tbsCertificate.subject);
      } catch {
        // The name is only for display.
      }
    }
    return r;
  }
  const isDocTimestamp = sig.subFilter === DOC_TIMESTAMP;
  if (!SUPPORTED.has(sig.subFilter) && !isDocTimestamp) return base([`Unsupported signature type /SubFilter /${sig.subFilter}`]);

  const br = sig.byteRange;
  const rangeError = byteRangeProblem(bytes, br);
  if (rangeError) return base([rangeError]);
  const [, b, c, d] = br as [number, number, number, number];
  const signedEnd = c + d;
  const coversWholeDocument = signedEnd === bytes.length;
  const laterRevisions = ends.filter((e) => e > signedEnd).length;
  if (isDocTimestamp) return verifyDocTimestamp(bytes, sig, base([]), { b, c, signedEnd, coversWholeDocument, laterRevisions }, opts);

  let parsed;
  try {
    // /Contents is zero-padded after the DER; the parser reads one element and ignores the rest.
    parsed = parseSignedData(sig.contents);
  } catch (e) {
    return base([(e as Error).message]);
  }
  const si = parsed.signedData.signerInfos[0];
  if (!si || parsed.signedData.signerInfos.length !== 1) return base(['The signature must contain exactly one signer']);
  const report = await reportSigner(
    parsed,
    si,
    (h) => hashBytes(h, bytes.subarray(0, b), bytes.subarray(c, signedEnd)),
    { index, format: 'pades', ...(claimed ? { claimedTime: claimed } : {}), material: opts.material },
    opts,
  );
  report.kind = 'signature';
  report.pdf = {
    field: sig.fieldName,
    subFilter: sig.subFilter,
    coversWholeDocument,
    laterRevisions,
    ...(sig.reason ? { reason: sig.reason } : {}),
    ...(sig.location ? { location: sig.location } : {}),
  };
  if (claimed && !report.signingTime) report.signingTime = claimed;
  return report;
}

/**
 * A document time-stamp (ISO 32000-2 §12.8.5, ETSI EN 319 142-1 §5.4.3): /Contents is an RFC 3161
 * TimeStampToken whose imprint must be the digest of the byte ranges; its TSA must chain to a
 * trust anchor (at genTime).
 */
async function verifyDocTimestamp(
  bytes: Buffer,
  sig: PdfSignature,
  report: SignatureReport,
  r: { b: number; c: number; signedEnd: number; coversWholeDocument: boolean; laterRevisions: number },
  opts: VerifyOptions,
): Promise<SignatureReport> {
  report.kind = 'doc-timestamp';
  report.pdf = { field: sig.fieldName, subFilter: sig.subFilter, coversWholeDocument: r.coversWholeDocument, laterRevisions: r.laterRevisions };
  const covered = Buffer.concat([bytes.subarray(0, r.b), bytes.subarray(r.c, r.signedEnd)]);
  const ts = await timestampReport(sig.contents, { data: covered }, anchorsOf(opts), []);
  report.timestamp = ts;
  report.integrity = ts.valid;
  report.signer = ts.tsa || '(unknown TSA)';
  if (ts.time) report.signingTime = ts.time;
  report.chain = { trusted: ts.trusted, certificates: [], problems: ts.valid ? ts.errors : [] };
  if (!ts.valid) report.errors.push(`Document time-stamp: ${ts.errors.join('; ')}`);
  else if (!ts.trusted) report.errors.push(`Document time-stamp: ${ts.errors.join('; ') || 'the TSA is not trusted'}`);
  report.valid = report.errors.length === 0;
  return report;
}

/** B-LTA (EN 319 142-1 §6.3): a B-LT signature followed by a valid document time-stamp over the file with its DSS. */
function markArchived(reports: SignatureReport[], sigs: PdfSignature[]): void {
  const archiveEnds = reports.flatMap((r, i) => (r.kind === 'doc-timestamp' && r.valid ? [signedEnd(sigs[i]!)] : []));
  reports.forEach((r, i) => {
    if (r.level === 'B-LT' && archiveEnds.some((e) => e > signedEnd(sigs[i]!))) r.level = 'B-LTA';
  });
}

/** Attach the changes after the signature; any change not permitted makes it invalid. */
async function judgeChanges(report: SignatureReport, changes: PdfChange[]): Promise<void> {
  if (!report.pdf) return;
  report.pdf.changes = changes;
  report.pdf.changesPermitted = changes.every((c) => c.permitted);
  const forbidden = changes.filter((c) => !c.permitted);
  for (const c of forbidden) report.errors.push(`Changed after signing in a way this signature does not permit: ${describeChange(c)}`);
  if (forbidden.length > 0) report.valid = false;
  else if (changes.length > 0) report.warnings.push('The document was updated after this signature; every change is permitted');
}

/** The /ByteRange must be [0 b c d] with the gap b..c holding exactly the <hex> /Contents. */
function byteRangeProblem(bytes: Buffer, br: number[]): string | undefined {
  if (br.length !== 4 || br.some((n) => !Number.isInteger(n) || n < 0)) return 'Malformed /ByteRange';
  const [a, b, c, d] = br as [number, number, number, number];
  if (a !== 0) return '/ByteRange does not start at the beginning of the file';
  if (!(b < c) || c + d > bytes.length) return '/ByteRange points outside the file';
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) return '/ByteRange does not exclude exactly the /Contents value';
  for (let i = b + 1; i < c - 1; i++) {
    const ch = bytes[i]!;
    const hex = (ch >= 0x30 && ch <= 0x39) || (ch >= 0x41 && ch <= 0x46) || (ch >= 0x61 && ch <= 0x66);
    if (!hex) return 'The unsigned gap of /ByteRange holds more than the signature';
  }
  return undefined;
}
