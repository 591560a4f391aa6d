/**
 * inspectPdf (issue 12 §6): what the app's file rows and stamp placement show, on PDFs made by
 * pdf-lib and transformed by qpdf (independent writers): displayed page sizes with /Rotate and
 * offset crop boxes, empty signature fields with their displayed rectangles, PDF/A and DocMDP
 * claims, and typed problems (details.reason) for what cannot be signed.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectPdf } from '../../../electron/core/formats/pades/inspect';
import { makeFixturePdf } from './helpers/pdf-fixtures';
import { makeTestPdf } from './helpers/pdf-tools';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-inspect-'));

describe('inspectPdf', () => {
  it('pages as displayed: size after /Rotate and the crop box', async () => {
    const pdf = await makeFixturePdf({
      pages: [{ size: [595, 842] }, { size: [595, 842], rotate: 90 }, { size: [600, 800], cropBox: [50, 100, 400, 500] }, { size: [600, 800], rotate: 270, cropBox: [10, 20, 300, 400] }],
    });
    const r = await inspectPdf(pdf);
    expect(r.problems).toEqual([]);
    expect(r.pageCount).toBe(4);
    expect(r.pages).toEqual([
      { width: 595, height: 842, rotate: 0 },
      { width: 842, height: 595, rotate: 90 },
      { width: 400, height: 500, rotate: 0 },
      { width: 400, height: 300, rotate: 270 },
    ]);
    expect(r.signatureCount).toBe(0);
    expect(r.encrypted).toBe(false);
  });

  it('empty signature fields with page and displayed rectangle (also inside object streams, and nested names)', async () => {
    const pdf = await makeFixturePdf({
      pages: [{}, { rotate: 90 }],
      sigFields: [
        { name: 'Applicant', page: 0, rect: [100, 50, 300, 110] },
        // On a page turned 90°: user-space rect [200 100 260 300] is displayed at x=100, y=595-260=335.
        { name: 'Witness', page: 1, rect: [200, 100, 260, 300], parent: 'signatures' },
      ],
    });
    const src = path.join(dir, 'fields.pdf');
    const objstm = path.join(dir, 'fields-objstm.pdf');
    writeFileSync(src, pdf);
    execFileSync('qpdf', ['--object-streams=generate', src, objstm]);
    for (const f of [src, objstm]) {
      const r = await inspectPdf(readFileSync(f));
      expect(r.problems).toEqual([]);
      expect(r.emptySignatureFields).toEqual([
        { name: 'Applicant', page: 1, rect: { x: 100, y: 50, width: 200, height: 60 } },
        { name: 'signatures.Witness', page: 2, rect: { x: 100, y: 335, width: 200, height: 60 } },
      ]);
    }
  });

  it('a PDF/A claim and a DocMDP certification are reported; P=1 is a problem (docmdp-no-changes)', async () => {
    const a = await inspectPdf(await makeFixturePdf({ pdfa: { part: 2, conformance: 'B' } }));
    expect(a.pdfa).toEqual({ part: 2, conformance: 'B' });
    expect(a.problems).toEqual([]);
    const p2 = await inspectPdf(await makeFixturePdf({ docMdp: 2 }));
    expect(p2.certified).toEqual({ permission: 2 });
    expect(p2.problems).toEqual([]);
    const p1 = await inspectPdf(await makeFixturePdf({ docMdp: 1 }), { name: 'cert.pdf' });
    expect(p1.certified).toEqual({ permission: 1 });
    expect(p1.problems).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ reason: 'docmdp-no-changes' }), message: expect.stringMatching(/^cert\.pdf is certified/) })]);
  });

  it('not a PDF, encrypted, truncated: typed problems, never a throw', async () => {
    const notPdf = await inspectPdf(Buffer.from('just text, named .pdf'), { name: 'x.pdf' });
    expect(notPdf.problems.map((p) => p.details?.reason)).toEqual(['not-a-pdf']);
    const plain = path.join(dir, 'plain.pdf');
    const enc = path.join(dir, 'enc.pdf');
    writeFileSync(plain, await makeTestPdf({ pages: 3 }));
    // Without object streams: the page tree is readable (an encrypted object stream is not).
    execFileSync('qpdf', ['--object-streams=disable', '--encrypt', 'u', 'o', '256', '--', plain, enc]);
    const e = await inspectPdf(readFileSync(enc));
    expect(e.encrypted).toBe(true);
    expect(e.pageCount).toBe(3);
    expect(e.problems.map((p) => p.details?.reason)).toEqual(['pdf-encrypted']);
    const good = readFileSync(plain);
    const cut = await inspectPdf(good.subarray(0, Math.floor(good.length / 2)));
    expect(cut.problems.map((p) => [p.code, p.details?.reason])).toEqual([['INVALID_INPUT', 'pdf-damaged']]);
  });
});
