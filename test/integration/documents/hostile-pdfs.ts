/**
 * Hostile and broken PDFs for the robustness suite (issue 14), generated here rather than
 * checked in: a tiny writer lays out numbered objects with a correct classic cross-reference
 * table (or a cross-reference stream), and each case bends one thing — cycles in the field or
 * page tree, wrong types, bogus /Size, circular /Prev, bad startxref, wrong /Length, deep
 * nesting, decompression bombs, hundreds of thousands of objects.
 */
import { deflateSync } from 'node:zlib';

export interface HostileCase {
  name: string;
  bytes: () => Buffer;
  /**
   * 'sign': Signet signs it, and the output passes qpdf --check and pdfsig. 'sign-as-is': the
   * input is already damaged in a part Signet does not read (qpdf warns about it): signed, and
   * qpdf finds nothing new in the output. Else the refusal's reason.
   */
  expect: 'sign' | 'sign-as-is' | { reason: string };
}

/** Objects 1..n (bodies without `n 0 obj`), a classic xref table and trailer. */
export function classicPdf(bodies: (string | Buffer)[], trailerExtra = '', opts: { header?: string; startxrefDelta?: number } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(opts.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = parts[0]!.length;
  const offsets: number[] = [];
  bodies.forEach((b, i) => {
    offsets.push(pos);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(b) ? b : Buffer.from(b, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    pos += chunk.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${pos + (opts.startxrefDelta ?? 0)}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const page = (parent: number, contents?: number) => `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 595 842]${contents ? ` /Contents ${contents} 0 R` : ''} >>`;
const content = (text: string, length?: string) => {
  const s = `BT /F1 18 Tf 50 780 Td (${text}) Tj ET`;
  return `<< /Length ${length ?? s.length} >>\nstream\n${s}\nendstream`;
};

/** A plain valid document: catalog 1, pages 2, page 3, content 4. */
export function plainPdf(extraCatalog = '', extraObjects: string[] = [], contentLength?: string): Buffer {
  return classicPdf([`<< /Type /Catalog /Pages 2 0 R ${extraCatalog}>>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(2, 4), content('Hostile test', contentLength), ...extraObjects]);
}

/** A document whose objects 5.. live in an object stream (xref stream file). */
function xrefStreamPdf(objStm: { objects: string[]; padding?: number }, catalogInStream: boolean): Buffer {
  // Objects: 1 catalog (or in the stream), 2 pages, 3 page, 4 content, 5 object stream, 6 xref stream.
  const inStream = catalogInStream ? [`<< /Type /Catalog /Pages 2 0 R >>`, ...objStm.objects] : objStm.objects;
  const firstNum = catalogInStream ? 1 : 7;
  let header = '';
  let body = '';
  inStream.forEach((o, i) => {
    header += `${firstNum + i} ${body.length} `;
    body += `${o}\n`;
  });
  const raw = Buffer.concat([Buffer.from(header + body), Buffer.alloc(objStm.padding ?? 0, 0x20)]);
  const packed = deflateSync(raw, { level: 9 });
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = parts[0]!.length;
  const off: Record<number, number> = {};
  const put = (num: number, b: Buffer) => {
    off[num] = pos;
    const chunk = Buffer.concat([Buffer.from(`${num} 0 obj\n`), b, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    pos += chunk.length;
  };
  if (!catalogInStream) put(1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'));
  put(2, Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'));
  put(3, Buffer.from(page(2, 4)));
  put(4, Buffer.from(content('Object streams')));
  put(5, Buffer.concat([Buffer.from(`<< /Type /ObjStm /N ${inStream.length} /First ${header.length} /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`), packed, Buffer.from('\nendstream')]));
  const size = firstNum + inStream.length;
  const rows: Buffer[] = [];
  for (let n = 0; n < Math.max(size, 7); n++) {
    const row = Buffer.alloc(7);
    if (n === 6) {
      row[0] = 1;
      row.writeUInt32BE(pos, 1);
    } else if (off[n] !== undefined) {
      row[0] = 1;
      row.writeUInt32BE(off[n]!, 1);
    } else if (n >= firstNum && n < size) {
      row[0] = 2;
      row.writeUInt32BE(5, 1);
      row.writeUInt16BE(n - firstNum, 5);
    }
    rows.push(row);
  }
  const xrefData = Buffer.concat(rows);
  const total = Math.max(size, 7);
  put(6, Buffer.concat([Buffer.from(`<< /Type /XRef /Size ${total} /W [1 4 2] /Root 1 0 R /Length ${xrefData.length} >>\nstream\n`), xrefData, Buffer.from('\nendstream')]));
  parts.push(Buffer.from(`startxref\n${off[6]}\n%%EOF\n`));
  return Buffer.concat(parts);
}

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'form field whose /Kids is itself twice',
    bytes: () => plainPdf('/AcroForm 5 0 R', ['<< /Fields [6 0 R] >>', '<< /T (loop) /FT /Tx /Kids [6 0 R 6 0 R] >>']),
    expect: { reason: 'pdf-damaged' },
  },
  {
    name: 'three form fields in a /Kids cycle',
    bytes: () => plainPdf('/AcroForm 5 0 R', ['<< /Fields [6 0 R] >>', '<< /T (a) /Kids [7 0 R] >>', '<< /T (b) /Kids [8 0 R] >>', '<< /T (c) /Kids [6 0 R] >>']),
    expect: { reason: 'pdf-damaged' },
  },
  {
    name: 'page tree that contains itself',
    bytes: () => classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>', page(2, 4), content('cycle')]),
    expect: { reason: 'pdf-damaged' },
  },
  { name: 'no page tree', bytes: () => classicPdf(['<< /Type /Catalog >>']), expect: { reason: 'pdf-damaged' } },
  {
    name: '/Annots and /Fields of the wrong type',
    bytes: () => classicPdf(['<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields << /X 1 >> >> >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots << /Not /AnArray >> >>`]),
    expect: 'sign',
  },
  { name: 'trailer /Size 2147483647', bytes: () => Buffer.from(plainPdf().toString('latin1').replace('/Size 5', '/Size 2147483647'), 'latin1'), expect: { reason: 'pdf-object-number-limit' } },
  {
    name: 'xref subsection beyond object 8,388,607',
    bytes: () => Buffer.from(plainPdf().toString('latin1').replace('xref\n0 5\n', 'xref\n8388605 5\n'), 'latin1'),
    expect: { reason: 'pdf-object-number-limit' },
  },
  {
    name: 'circular /Prev',
    bytes: () => {
      const base = plainPdf();
      const s = base.toString('latin1');
      const xrefAt = s.lastIndexOf('xref\n0 5');
      return Buffer.from(s.replace('/Root 1 0 R ', `/Root 1 0 R /Prev ${xrefAt} `), 'latin1');
    },
    expect: { reason: 'pdf-damaged' },
  },
  { name: 'startxref into the middle of an object', bytes: () => classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(2)], '', { startxrefDelta: -200 }), expect: { reason: 'pdf-damaged' } },
  { name: 'truncated in the middle', bytes: () => plainPdf().subarray(0, 150), expect: { reason: 'pdf-damaged' } },
  { name: 'huge /Length on the page content', bytes: () => plainPdf('', [], '999999999999'), expect: 'sign-as-is' },
  { name: 'negative /Length on the page content', bytes: () => plainPdf('', [], '-40'), expect: 'sign-as-is' },
  { name: 'huge /Length in the catalog stream Signet reads (XMP)', bytes: () => plainPdf('/Metadata 5 0 R', ['<< /Type /Metadata /Subtype /XML /Length 99999999 >>\nstream\n<x:xmpmeta/>\nendstream']), expect: 'sign-as-is' },
  { name: 'a 3 MB array in the catalog', bytes: () => plainPdf(`/Big [${'1 '.repeat(1_500_000)}] `), expect: { reason: 'pdf-too-complex' } },
  { name: 'catalog nested 200,000 arrays deep', bytes: () => plainPdf(`/Deep ${'['.repeat(200_000)}${']'.repeat(200_000)} `), expect: { reason: 'pdf-damaged' } },
  {
    name: 'decompression bomb in the object stream holding the catalog (64 MiB of spaces)',
    bytes: () => xrefStreamPdf({ objects: ['<< /Filler true >>'], padding: 64 * 1024 * 1024 }, true),
    expect: { reason: 'pdf-inflate-limit' },
  },
  {
    name: 'decompression bombs Signet never needs to read (40 × 32 MiB page resources)',
    bytes: () => {
      const bomb = deflateSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 });
      const bombs = Array.from({ length: 40 }, () => Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream')]));
      return classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << ${bombs.map((_, i) => `/B${i} ${i + 5} 0 R`).join(' ')} >> >> >>`, content('bombs'), ...bombs]);
    },
    expect: 'sign',
  },
  {
    name: '300,000 objects',
    bytes: () => plainPdf('', Array.from({ length: 300_000 }, (_, i) => `<< /N ${i} >>`)),
    expect: 'sign',
  },
  { name: 'object stream file with the catalog inside', bytes: () => xrefStreamPdf({ objects: ['<< /Spare 1 >>'] }, true), expect: 'sign' },
];
