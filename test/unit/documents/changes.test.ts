/**
 * Honest verify (issue 14): what changed after a signature and whether it is permitted. The
 * later revisions are written by independent tools where one exists — mupdf (`mutool run`) for a
 * forged page, a form fill and a comment — and by a PAdES-LTA style update (DSS + RFC 3161
 * document time-stamp from the rig's TSA) for validation data. pdfsig confirms each time that
 * the signature no longer covers the whole file, and our verdict says whether that is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTsa, type TsaService } from '../../rig';
import type { DocumentSigner } from '../../../electron/core/document-signer';
import { inspectPdf } from '../../../electron/core/formats/pades/inspect';
import { signPdf, type PadesInput } from '../../../electron/core/formats/pades/sign';
import { verifyPadesBytes, type VerifyReport } from '../../../electron/core/verify';
import { createSoftPki, type SoftPki } from './helpers/soft-pki';
import { appendDocTimestamp, appendDss } from './helpers/ltv-update';
import { makeFixturePdf } from './helpers/pdf-fixtures';
import { makeNssDb, mutoolRun, pdfsig, pdfsigSignatures, qpdfCheck } from './helpers/pdf-tools';

let pki: SoftPki;
let nss: string;
let tsa: TsaService;
let alice: DocumentSigner;
let bob: DocumentSigner;
const scripts: Record<string, string> = {
  forge: `var doc = new PDFDocument(scriptArgs[0]); var page = doc.findPage(0);
    var font = doc.addObject({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' });
    var fonts = doc.newDictionary(); fonts.F9 = font; var res = doc.newDictionary(); res.Font = fonts;
    page.Resources = res; page.Contents = doc.addStream('BT /F9 24 Tf 50 700 Td (FORGED: pay 1000000 EUR) Tj ET');
    doc.save(scriptArgs[1], 'incremental');`,
  fill: `var doc = new PDFDocument(scriptArgs[0]); var ws = doc.loadPage(0).getWidgets();
    for (var i = 0; i < ws.length; i++) if (ws[i].getFieldType() == 'text') { ws[i].setTextValue(scriptArgs[2]); ws[i].update(); }
    doc.save(scriptArgs[1], 'incremental');`,
  comment: `var doc = new PDFDocument(scriptArgs[0]); var a = doc.loadPage(0).createAnnotation('Text');
    a.setContents('a comment'); a.setRect([100, 100, 120, 120]); a.update(); doc.save(scriptArgs[1], 'incremental');`,
};

beforeAll(async () => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
  tsa = await startTsa();
  alice = pki.signer(pki.issue('Alice Approver', { key: 'p256' }));
  bob = pki.signer(pki.issue('Bob Second', { key: 'p256' }));
  for (const [k, v] of Object.entries(scripts)) writeFileSync(path.join(pki.dir, `${k}.js`), v);
});
afterAll(async () => {
  await tsa?.stop();
  pki?.cleanup();
});

const opts = () => ({ trustAnchors: [pki.ca.certDer], useSystemStore: false });

async function sign(pdf: Buffer, signer: DocumentSigner, extra: Partial<PadesInput> = {}): Promise<Buffer> {
  const out = await signPdf({ pdf, signer, hash: 'sha256', chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'x', ...extra });
  return Buffer.concat([out.original, out.update]);
}

/** Run a mupdf script on `pdf` (incremental save) and return the result. */
function mutool(script: keyof typeof scripts, pdf: Buffer, name: string, ...args: string[]): Buffer {
  const input = path.join(pki.dir, `${name}-in.pdf`);
  const output = path.join(pki.dir, `${name}.pdf`);
  writeFileSync(input, pdf);
  mutoolRun(path.join(pki.dir, `${script}.js`), [input, output, ...args]);
  const out = readFileSync(output);
  expect(out.subarray(0, pdf.length).equals(pdf), 'mutool appended an incremental update').toBe(true);
  return out;
}

function independent(name: string, pdf: Buffer): { wholeFile: boolean[]; validity: string[]; fields: string[] } {
  const f = path.join(pki.dir, `${name}-check.pdf`);
  writeFileSync(f, pdf);
  expect(qpdfCheck(f).status).toBe(0);
  const sigs = pdfsigSignatures(pdfsig(nss, f).out);
  return { wholeFile: sigs.map((s) => s.wholeFile), validity: sigs.map((s) => s.validity), fields: sigs.map((s) => s.field) };
}

/** [kind, permitted, rule] of each change after signature i (each distinct triple once). */
const kinds = (r: VerifyReport, i = 0) => [...new Set((r.signatures[i]!.pdf?.changes ?? []).map((c) => JSON.stringify([c.kind, c.permitted, c.rule])))].map((k) => JSON.parse(k) as unknown[]);

describe('changes after a signature', () => {
  it('a forged page in a later update: page-content, not permitted → invalid (pdfsig: not the total document)', async () => {
    const signed = await sign(await makeFixturePdf({ pages: [{ text: 'Pay 10 EUR' }] }), alice);
    const forged = mutool('forge', signed, 'forged');
    const r = await verifyPadesBytes(forged, 'forged.pdf', opts());
    expect(r.valid).toBe(false);
    expect(r.signatures[0]!.integrity).toBe(true);
    expect(r.signatures[0]!.pdf).toMatchObject({ coversWholeDocument: false, changesPermitted: false });
    expect(kinds(r)).toEqual([['page-content', false, 'never']]);
    expect(r.signatures[0]!.pdf!.changes![0]).toMatchObject({ page: 1 });
    expect(r.signatures[0]!.errors.join('\n')).toMatch(/does not permit: page 1's content was changed \(objects? \d+/);
    expect(independent('forged', forged)).toMatchObject({ wholeFile: [false], validity: ['Signature is Valid.'] });
    // The same signed file without the forgery is valid.
    expect((await verifyPadesBytes(signed, 'signed.pdf', opts())).valid).toBe(true);
  });

  it('a second signature (visible, new field) is permitted for the first', async () => {
    const once = await sign(await makeFixturePdf(), alice);
    const twice = await sign(once, bob, { visible: { page: 1, rect: { x: 300, y: 50, width: 220, height: 60 } } });
    const r = await verifyPadesBytes(twice, 'twice.pdf', opts());
    expect(r.valid, JSON.stringify(r.signatures.map((s) => s.errors))).toBe(true);
    expect(kinds(r)).toEqual([['signature', true, 'approval']]);
    expect(kinds(r, 1)).toEqual([]);
    expect(independent('twice', twice)).toEqual({ wholeFile: [false, true], validity: ['Signature is Valid.', 'Signature is Valid.'], fields: ['Signature1', 'Signature2'] });
  });

  it('certified P=2: a form fill (mutool) and a signature in the existing field are permitted; a comment is not', async () => {
    const form = await makeFixturePdf({
      textFields: [{ name: 'applicant', page: 0, rect: [50, 700, 200, 24], value: 'Jane Doe' }],
      sigFields: [{ name: 'Approver', page: 0, rect: [300, 50, 520, 110] }],
    });
    const certified = await sign(form, alice, { certify: 2 });
    expect(await inspectPdf(certified)).toMatchObject({ certified: { permission: 2 }, signatureCount: 1 });
    const filled = mutool('fill', certified, 'filled', 'Mallory');
    const r = await verifyPadesBytes(filled, 'filled.pdf', opts());
    expect(r.signatures[0]!.pdf?.certification).toEqual({ permission: 2 });
    expect(kinds(r)).toEqual(expect.arrayContaining([['form-fill', true, 'docmdp-p2']]));
    expect(r.signatures[0]!.pdf!.changes!.every((c) => c.permitted), JSON.stringify(r.signatures[0]!.pdf!.changes)).toBe(true);
    expect(r.valid).toBe(true);

    const signedField = await sign(filled, bob, { field: 'Approver' });
    const r2 = await verifyPadesBytes(signedField, 'approved.pdf', opts());
    expect(r2.valid, JSON.stringify(r2.signatures.map((s) => s.errors))).toBe(true);
    expect(r2.signatures.map((s) => s.pdf?.field)).toEqual(['Signature1', 'Approver']);
    expect(new Set(kinds(r2).map((k) => k[0]))).toEqual(new Set(['form-fill', 'signature']));
    // pdfsig lists the second signature under the existing field's name.
    // (pdfsig lists them in form order: the existing field first.)
    expect(independent('approved', signedField)).toEqual({ validity: ['Signature is Valid.', 'Signature is Valid.'], fields: ['Approver', 'Signature1'], wholeFile: [true, false] });

    const commented = mutool('comment', certified, 'commented');
    const r3 = await verifyPadesBytes(commented, 'commented.pdf', opts());
    expect(r3.valid).toBe(false);
    expect(kinds(r3)).toEqual([['annotation', false, 'docmdp-p2']]);
    // Without a certification the same comment is permitted (as Acrobat reports it).
    const approval = mutool('comment', await sign(form, alice), 'commented-approval');
    const r4 = await verifyPadesBytes(approval, 'commented-approval.pdf', opts());
    expect(kinds(r4)).toEqual([['annotation', true, 'approval']]);
    expect(r4.valid).toBe(true);
  });

  it('PAdES-LTA additions (DSS, document time-stamp) are permitted, even after a P=1 certification; nothing else is signed there', async () => {
    const signed = await sign(await makeFixturePdf(), alice, { certify: 1 });
    const lt = await appendDss(signed, [pki.ca.certDer]);
    const lta = await appendDocTimestamp(lt, tsa.url);
    const r = await verifyPadesBytes(lta, 'lta.pdf', opts());
    const first = r.signatures[0]!;
    expect(first.pdf?.certification).toEqual({ permission: 1 });
    expect(new Set(first.pdf!.changes!.map((c) => c.kind))).toEqual(new Set(['dss', 'doc-timestamp']));
    expect(first.pdf!.changesPermitted).toBe(true);
    expect(first.valid, first.errors.join('\n')).toBe(true);
    expect(independent('lta', lta).validity[0]).toBe('Signature is Valid.');
    // P=1 forbids a further signature: Signet refuses before any card is used…
    await expect(sign(lta, bob)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'docmdp-no-changes' } });
    // …and a change made elsewhere (a comment, by mupdf) is reported as not permitted.
    const r2 = await verifyPadesBytes(mutool('comment', lta, 'p1-comment'), 'p1-comment.pdf', opts());
    expect(r2.valid).toBe(false);
    expect(kinds(r2)).toEqual(expect.arrayContaining([['annotation', false, 'docmdp-p1']]));
  });

  it('a field locked by a signature (FieldMDP from the field’s /Lock): filling it afterwards is not permitted', async () => {
    const form = await makeFixturePdf({
      textFields: [{ name: 'amount', page: 0, rect: [50, 700, 200, 24], value: '10 EUR' }],
      sigFields: [{ name: 'Buyer', page: 0, rect: [300, 50, 520, 110], lock: { action: 'Include', fields: ['amount'] } }],
    });
    const signed = await sign(form, alice, { field: 'Buyer' });
    expect(signed.toString('latin1')).toMatch(/\/TransformMethod \/FieldMDP/);
    const filled = mutool('fill', signed, 'locked-fill', '1000000 EUR');
    const r = await verifyPadesBytes(filled, 'locked.pdf', opts());
    expect(r.valid).toBe(false);
    expect(kinds(r)).toEqual(expect.arrayContaining([['form-fill', false, 'fieldmdp-lock']]));
  });
});

describe('a legacy adbe.x509.rsa_sha1 signature next to a current one', () => {
  it('is reported precisely (legacy type, SHA-1) with its signer, and the other signature stands', async () => {
    const { PDFDocument, PDFHexString, PDFName, PDFString } = await import('pdf-lib');
    const legacyCert = pki.issue('Legacy Signer 2001', { key: 'rsa2048' });
    const doc = await PDFDocument.load(await makeFixturePdf());
    const ctx = doc.context;
    const v = ctx.register(
      ctx.obj({ Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'adbe.x509.rsa_sha1', Cert: PDFHexString.of(Buffer.from(legacyCert.certDer).toString('hex')), Contents: PDFHexString.of('00'.repeat(256)), ByteRange: [0, 0, 0, 0], M: PDFString.of('D:20010101000000Z') }),
    );
    const field = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of('Legacy'), V: v, Rect: [0, 0, 0, 0], P: doc.getPage(0).ref }));
    doc.getPage(0).node.addAnnot(field);
    doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [field], SigFlags: 3 }));
    const withLegacy = Buffer.from(await doc.save({ useObjectStreams: false }));
    const signed = await sign(withLegacy, alice);
    const r = await verifyPadesBytes(signed, 'legacy.pdf', opts());
    const legacy = r.signatures.find((s) => s.pdf?.subFilter === 'adbe.x509.rsa_sha1')!;
    const current = r.signatures.find((s) => s.pdf?.subFilter === 'ETSI.CAdES.detached')!;
    expect(legacy.valid).toBe(false);
    expect(legacy.signer).toBe('Legacy Signer 2001');
    expect(legacy.errors.join()).toMatch(/Legacy signature type adbe\.x509\.rsa_sha1.*SHA-1/);
    expect(current.valid, current.errors.join()).toBe(true);
    expect(r.valid).toBe(false);
  });
});
