/**
 * PAdES on PDFs of different shapes: cross-reference streams with object streams (made by
 * qpdf), an existing AcroForm, files without a final newline, encrypted / broken / non-PDF
 * input, visible signatures (rendered with pdftoppm), and the memory claim the design rests on
 * (pdf-lib's streams are views of the file's Buffer, not copies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo } from '@peculiar/asn1-cms';
import { signPdf } from '../../../electron/core/formats/pades/sign';
import { PdfReader } from '../../../electron/core/formats/pades/pdf-reader';
import { cmsSizeUpperBound } from '../../../electron/core/formats/cms/sign';
import { verifyPadesBytes } from '../../../electron/core/verify';
import { createSoftPki, type SoftPki } from './helpers/soft-pki';
import { makeNssDb, makeTestPdf, pdfsig, pdfsigSignatures, pdftoppm, qpdfCheck } from './helpers/pdf-tools';
import type { DocumentSigner } from '../../../electron/core/document-signer';

let pki: SoftPki;
let nss: string;
let rsa: DocumentSigner;
let ec: DocumentSigner;
beforeAll(() => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
  rsa = pki.signer(pki.issue('Jüri Õunapuu', { key: 'rsa2048' }), 'pkcs1');
  ec = pki.signer(pki.issue('Ζωή Παπαδοπούλου', { key: 'p256' }), 'ecdsa');
});
afterAll(() => pki?.cleanup());

async function sign(pdf: Buffer, signer: DocumentSigner, extra: Partial<Parameters<typeof signPdf>[0]> = {}): Promise<Buffer> {
  const out = await signPdf({ pdf, signer, hash: 'sha256', chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'Signer', ...extra });
  expect(out.original).toBe(pdf);
  return Buffer.concat([out.original, out.update]);
}

function check(name: string, bytes: Buffer, expected: number): string {
  const f = path.join(pki.dir, name);
  writeFileSync(f, bytes);
  const q = qpdfCheck(f);
  expect(q.status, q.out).toBe(0);
  expect(q.out).not.toMatch(/WARNING/);
  const sigs = pdfsigSignatures(pdfsig(nss, f).out);
  expect(sigs).toHaveLength(expected);
  for (const s of sigs) expect(s.validity).toBe('Signature is Valid.');
  return f;
}

describe('PAdES on different PDF structures', () => {
  it('a qpdf-made file with object streams and a cross-reference stream, signed twice', async () => {
    const plain = path.join(pki.dir, 'plain.pdf');
    const objstm = path.join(pki.dir, 'objstm.pdf');
    writeFileSync(plain, await makeTestPdf({ objectStreams: false, withForm: true }));
    execFileSync('qpdf', ['--object-streams=generate', plain, objstm]);
    const input = readFileSync(objstm);
    const file = await PdfReader.open(input);
    expect(file.xrefKind).toBe('stream');
    const once = await sign(input, rsa);
    // The appended section is a cross-reference stream too, with /Prev.
    const tail = once.subarray(input.length).toString('latin1');
    expect(tail).toMatch(/\/Type \/XRef/);
    expect(tail).toContain(`/Prev ${file.lastXrefOffset}`);
    check('objstm-1.pdf', once, 1);
    const twice = await sign(once, ec, { visible: { page: 1, rect: { x: 320, y: 40, width: 230, height: 80 } }, reason: 'Approved' });
    check('objstm-2.pdf', twice, 2);
    const report = await verifyPadesBytes(twice, 'objstm-2.pdf', { trustAnchors: [pki.ca.certDer], useSystemStore: false });
    expect(report.signatures.map((s) => s.valid)).toEqual([true, true]);
  });

  it('classic table: the update has an xref table and a trailer with /Prev; the existing form field is kept', async () => {
    const input = await makeTestPdf({ objectStreams: false, withForm: true });
    const file = await PdfReader.open(input);
    expect(file.xrefKind).toBe('table');
    const signed = await sign(input, rsa);
    const tail = signed.subarray(input.length).toString('latin1');
    expect(tail).toMatch(/\nxref\n/);
    expect(tail).toMatch(/trailer\n<<[^]*\/Prev \d+/);
    const f = check('form.pdf', signed, 1);
    const json = execFileSync('qpdf', ['--json', '--json-key=acroform', f], { encoding: 'utf8' });
    const fields = (JSON.parse(json) as { acroform: { fields: { fullname: string; fieldtype: string }[] } }).acroform.fields;
    expect(fields.map((x) => [x.fullname, x.fieldtype])).toEqual([
      ['applicant.name', '/Tx'],
      ['Signature1', '/Sig'],
    ]);
  });

  it('a file without a final end-of-line', async () => {
    const input = await makeTestPdf({ objectStreams: false });
    let end = input.length;
    while (input[end - 1] === 0x0a || input[end - 1] === 0x0d) end--;
    const trimmed = Buffer.from(input.subarray(0, end));
    check('no-eol.pdf', await sign(trimmed, ec), 1);
  });

  it('reserves /Contents from the real sizes: RSA exactly, ECDSA within the DER variance', async () => {
    const input = await makeTestPdf();
    for (const s of [rsa, ec]) {
      const reserved = cmsSizeUpperBound(s, 'sha256', [pki.ca.certDer], 0);
      const signed = await sign(input, s);
      const br = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)/.exec(signed.subarray(input.length).toString('latin1'))!;
      const hex = signed.subarray(Number(br[1]) + 1, Number(br[2]) - 1);
      expect(hex.length).toBe(reserved * 2);
      const der = new Uint8Array(AsnConvert.serialize(AsnConvert.parse(Buffer.from(hex.toString('latin1'), 'hex'), ContentInfo)));
      expect(reserved - der.length).toBeGreaterThanOrEqual(0);
      expect(reserved - der.length).toBeLessThanOrEqual(s.scheme === 'ecdsa' ? 2 : 0);
    }
  });

  it('visible signature: appearance with a font resource, rendered by pdftoppm', async () => {
    const input = await makeTestPdf({ pages: 2, objectStreams: false });
    const signed = await sign(input, rsa, {
      signerName: 'Jüri Õunapuu',
      visible: { page: 0, rect: { x: 300, y: 60, width: 240, height: 80 } },
      reason: 'I approve this document',
      location: 'Tallinn',
    });
    const tail = signed.subarray(input.length).toString('latin1');
    expect(tail).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(tail).toMatch(/\/FontFile2/);
    expect(tail).toMatch(/\/Subtype \/Widget/);
    const f = check('visible.pdf', signed, 1);
    const png = pdftoppm(f, 2, path.join(pki.dir, 'visible-page2'));
    expect(existsSync(png)).toBe(true);
    // Non-blank: the rendered page with the box differs from the page without it.
    const unsignedPng = pdftoppm(check('visible-src.pdf', await sign(input, rsa), 1), 2, path.join(pki.dir, 'plain-page2'));
    expect(readFileSync(png).equals(readFileSync(unsignedPng))).toBe(false);
    if (process.env.SIGNET_KEEP_PNG) writeFileSync(process.env.SIGNET_KEEP_PNG, readFileSync(png));
  });

  it('a page that does not exist, or an empty rectangle, is INVALID_INPUT', async () => {
    const input = await makeTestPdf({ pages: 2 });
    await expect(sign(input, rsa, { visible: { page: 3, rect: { x: 0, y: 0, width: 10, height: 10 } } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(sign(input, rsa, { visible: { page: 1, rect: { x: 0, y: 0, width: 0, height: 10 } } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('input that cannot be signed', () => {
  it('encrypted PDF → INVALID_INPUT, saying so', async () => {
    const plain = path.join(pki.dir, 'to-encrypt.pdf');
    const enc = path.join(pki.dir, 'encrypted.pdf');
    writeFileSync(plain, await makeTestPdf());
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, enc]);
    await expect(sign(readFileSync(enc), rsa)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/encrypted/) });
  });

  it('not a PDF, a truncated PDF, garbage after a header → INVALID_INPUT', async () => {
    await expect(sign(Buffer.from('hello world, not a pdf'), rsa)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a PDF/) });
    const good = await makeTestPdf();
    await expect(sign(good.subarray(0, Math.floor(good.length / 2)), rsa)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(sign(Buffer.from('%PDF-1.7\n%garbage\nstartxref\n999999\n%%EOF\n'), rsa)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
