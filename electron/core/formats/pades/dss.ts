/**
 * The Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4.2): validation
 * material for the document's signatures, in its own incremental update:
 *
 *   catalog   /DSS << /Type /DSS /Certs [streams] /OCSPs [streams] /CRLs [streams] >>
 *             /Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 5 >> >>  (EN 319 142-1 §5.4.1)
 *   streams   the DER of each certificate, OCSPResponse (RFC 6960 §4.2.1) and CertificateList
 *
 * An existing DSS is kept (its arrays' entries carried over) and the new material appended; VRI
 * dictionaries are optional for baseline LT (EN 319 142-1 §5.4.2.2) and not written. Only the
 * catalog is rewritten; everything else is new.
 */
import { PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFArray, type PDFDict, type PDFObject } from 'pdf-lib';
import { Changes } from './changes';
import { PdfReader } from './pdf-reader';
import { decodeStream } from './stream-decode';

export interface DssMaterial {
  certificates: readonly Uint8Array[];
  ocsps: readonly Uint8Array[];
  crls: readonly Uint8Array[];
}

/** The update that adds `m` to the DSS of `pdf` (to append after it). */
export async function buildDssUpdate(pdf: Buffer, m: DssMaterial, opts: { name?: string; signal?: AbortSignal } = {}): Promise<Buffer> {
  const reader = await PdfReader.open(pdf, { ...(opts.name ? { name: opts.name } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const changes = new Changes(reader);
  const ctx = changes.context;
  const catalog = changes.editDict(reader.rootRef);
  const old = reader.dict(catalog.get(PDFName.of('DSS')));
  const entry = (key: string, ders: readonly Uint8Array[]): PDFArray => {
    const arr = ctx.obj([]);
    const prev = old ? reader.array(old.get(PDFName.of(key))) : undefined;
    for (const o of prev?.asArray() ?? []) if (o instanceof PDFRef) arr.push(o);
    for (const der of ders) arr.push(changes.add(ctx.flateStream(der)));
    return arr;
  };
  const dss = ctx.obj({ Type: 'DSS' });
  dss.set(PDFName.of('Certs'), entry('Certs', m.certificates));
  const ocsps = entry('OCSPs', m.ocsps);
  if (ocsps.size() > 0) dss.set(PDFName.of('OCSPs'), ocsps);
  const crls = entry('CRLs', m.crls);
  if (crls.size() > 0) dss.set(PDFName.of('CRLs'), crls);
  // Keep a previous DSS's VRI (it still describes earlier material).
  const vri = old?.get(PDFName.of('VRI'));
  if (vri) dss.set(PDFName.of('VRI'), vri as PDFObject);
  catalog.set(PDFName.of('DSS'), changes.add(dss));
  if (!catalog.get(PDFName.of('Extensions'))) {
    catalog.set(PDFName.of('Extensions'), ctx.obj({ ESIC: { BaseVersion: PDFName.of('1.7'), ExtensionLevel: PDFNumber.of(5) } }));
  } else if (reader.dict(catalog.get(PDFName.of('Extensions'))) && !(catalog.get(PDFName.of('Extensions')) instanceof PDFRef)) {
    const ext = catalog.get(PDFName.of('Extensions')) as PDFDict;
    if (!ext.get(PDFName.of('ESIC'))) ext.set(PDFName.of('ESIC'), ctx.obj({ BaseVersion: PDFName.of('1.7'), ExtensionLevel: PDFNumber.of(5) }));
  }
  return changes.write(pdf).bytes;
}

/** The DSS of the file as last updated (empty lists when there is none); unreadable entries are skipped. */
export function readDss(reader: PdfReader): { certificates: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] } {
  const catalog = reader.dict(reader.rootRef);
  const dss = catalog ? reader.dict(catalog.get(PDFName.of('DSS'))) : undefined;
  const list = (key: string): Uint8Array[] => {
    const arr = dss ? reader.array(dss.get(PDFName.of(key))) : undefined;
    const out: Uint8Array[] = [];
    for (const o of arr?.asArray() ?? []) {
      const s = reader.lookup(o);
      if (!(s instanceof PDFRawStream)) continue;
      try {
        out.push(new Uint8Array(decodeStream(s, { work: reader.work, lookup: (x) => reader.lookup(x), what: `DSS /${key} stream` })));
      } catch {
        // a damaged stream offers nothing; the validation says what is missing
      }
    }
    return out;
  };
  return { certificates: list('Certs'), ocsps: list('OCSPs'), crls: list('CRLs') };
}
