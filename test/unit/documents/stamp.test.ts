/**
 * The visible signature (issue 12 §3, §5): names in any European script come back exactly from
 * pdftotext (poppler), the font is embedded (pdffonts), labels follow the language, the time is
 * local with its offset, long text wraps and ends with an ellipsis at 6 pt rather than shrinking,
 * rectangles are taken as the page is displayed (CropBox offsets, /Rotate) and must lie on it —
 * checked on pdftoppm renders — and a PDF/A file keeps embedded fonts and DeviceGray.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signPdf, type PadesInput } from '../../../electron/core/formats/pades/sign';
import { signerDisplayName } from '../../../electron/core/signing/signer-name';
import { createSoftPki, type SoftPki } from './helpers/soft-pki';
import { makeFixturePdf, type FixturePage } from './helpers/pdf-fixtures';
import { makeNssDb, pdfsig, pdfsigSignatures, qpdfCheck } from './helpers/pdf-tools';

let pki: SoftPki;
let nss: string;
beforeAll(() => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
});
afterAll(() => pki?.cleanup());

async function signVisible(name: string, pdf: Buffer, cn: string, extra: Partial<PadesInput> = {}): Promise<string> {
  const cert = pki.issue(cn, { key: 'p256' });
  const out = await signPdf({
    pdf,
    signer: pki.signer(cert),
    hash: 'sha256',
    chain: [pki.ca.certDer],
    signingTime: new Date('2025-01-15T12:00:00Z'),
    signerName: signerDisplayName(cert.certDer),
    visible: { page: 1, rect: { x: 40, y: 40, width: 240, height: 80 } },
    ...extra,
  });
  const f = path.join(pki.dir, `${name}.pdf`);
  writeFileSync(f, Buffer.concat([out.original, out.update]));
  expect(qpdfCheck(f).status).toBe(0);
  expect(pdfsigSignatures(pdfsig(nss, f).out)[0]?.validity).toBe('Signature is Valid.');
  return f;
}

const text = (f: string) => execFileSync('pdftotext', ['-layout', f, '-']).toString();
const fonts = (f: string) => execFileSync('pdffonts', [f]).toString();

/** Pixels (displayed page, 72 dpi) where two pdftoppm renders differ: the stamp. */
function stampBox(signed: string, unsigned: string): { x0: number; y0: number; x1: number; y1: number; height: number } {
  const ppm = (f: string) => {
    // -cropbox: the page as viewers display it (pdftoppm's default is the MediaBox).
    const b = execFileSync('pdftoppm', ['-r', '72', '-gray', '-cropbox', '-singlefile', f]);
    const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 32).toString('latin1'))!;
    return { w: Number(m[1]), h: Number(m[2]), px: b.subarray(m[0].length) };
  };
  const a = ppm(signed);
  const b = ppm(unsigned);
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < a.h; y++)
    for (let x = 0; x < a.w; x++)
      if (Math.abs(a.px[y * a.w + x]! - b.px[y * b.w + x]!) > 40) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  return { x0, y0, x1, y1, height: a.h };
}

describe('stamp text', () => {
  it.each([
    ['polish', 'Łukasz Wałęsa'],
    ['greek', 'Ζωή Παπαδοπούλου'],
    ['cyrillic', 'Олександр Київський'],
  ])('%s name from the certificate, exactly, in an embedded font', async (label, cn) => {
    const f = await signVisible(label, await makeFixturePdf(), cn, { reason: 'Zatwierdzam umowę', location: 'Gdańsk' });
    const t = text(f);
    expect(t).toContain(cn);
    expect(t).toContain('Digitally signed by');
    expect(t).toContain('Location: Gdańsk');
    const list = fonts(f);
    expect(list).toMatch(/[A-Z]{6}\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('French labels, local time with its UTC offset', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
    try {
      const f = await signVisible('french', await makeFixturePdf(), 'Élodie Dupré', { locale: 'fr', reason: 'Lu et approuvé', location: 'Besançon' });
      const t = text(f);
      expect(t).toContain('Signé électroniquement par');
      expect(t).toContain('Élodie Dupré');
      expect(t).toContain('Date : 15/01/2025 13:00:00 UTC+01:00');
      expect(t).toContain('Motif : Lu et approuvé');
      expect(t).toContain('Lieu : Besançon');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('a long reason wraps and ends with an ellipsis at 6 pt, never smaller', async () => {
    const reason = `${'This agreement is approved subject to the conditions in annex B. '.repeat(8)}END-MARKER`;
    const f = await signVisible('long', await makeFixturePdf(), 'Jan Kowalski', { reason });
    const t = text(f).replace(/\s+/g, ' ');
    expect(t).toContain('Jan Kowalski');
    expect(t).toContain('…');
    expect(t).not.toContain('END-MARKER');
    const qdf = path.join(pki.dir, 'long-qdf.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', f, qdf]);
    const sizes = [...readFileSync(qdf, 'latin1').matchAll(/\/F[12] ([\d.]+) Tf/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(6);
  });
});

describe('rectangles as displayed', () => {
  const pages: [string, FixturePage][] = [
    ['plain', { size: [595, 842] }],
    ['crop-offset', { size: [700, 900], cropBox: [60, 80, 595, 750] }],
    ['rotate-90', { size: [595, 842], rotate: 90 }],
    ['rotate-180', { size: [595, 842], rotate: 180 }],
    ['rotate-270', { size: [595, 842], rotate: 270, cropBox: [20, 30, 560, 800] }],
  ];
  it.each(pages)('%s: the stamp is drawn inside the rectangle on the page as displayed', async (name, page) => {
    const unsigned = path.join(pki.dir, `${name}-unsigned.pdf`);
    const pdf = await makeFixturePdf({ pages: [page] });
    writeFileSync(unsigned, pdf);
    const rect = { x: 100, y: 60, width: 230, height: 70 };
    const f = await signVisible(`disp-${name}`, pdf, 'Ana Displayed', { visible: { page: 1, rect } });
    const box = stampBox(f, unsigned);
    // Image rows grow downwards; the rectangle is given with y up from the bottom.
    expect(box.x0).toBeGreaterThanOrEqual(rect.x - 1);
    expect(box.x1).toBeLessThanOrEqual(rect.x + rect.width + 1);
    expect(box.height - box.y1).toBeGreaterThanOrEqual(rect.y - 2);
    expect(box.height - box.y0).toBeLessThanOrEqual(rect.y + rect.height + 2);
    // Upright: poppler reads the name as a line of text.
    expect(text(f)).toContain('Ana Displayed');
    if (process.env.SIGNET_KEEP_PNG) execFileSync('pdftoppm', ['-png', '-r', '50', '-cropbox', '-singlefile', f, path.join(process.env.SIGNET_KEEP_PNG, `stamp-${name}`)]);
  });

  it('off the page, on a page that does not exist, or too small: INVALID_INPUT with the reason', async () => {
    const pdf = await makeFixturePdf({ pages: [{ size: [612, 792], rotate: 90 }] });
    const cert = pki.issue('Off Page', { key: 'p256' });
    const base = { pdf, signer: pki.signer(cert), hash: 'sha256' as const, chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'x' };
    // Displayed 792 × 612: x 600 + 220 is past the right edge (but would fit unrotated).
    await expect(signPdf({ ...base, visible: { page: 1, rect: { x: 600, y: 50, width: 220, height: 70 } } })).rejects.toMatchObject({ details: { reason: 'rect-off-page', pageWidth: 792, pageHeight: 612 } });
    await expect(signPdf({ ...base, visible: { page: 1, rect: { x: 1, y: 5000, width: 220, height: 70 } } })).rejects.toMatchObject({ details: { reason: 'rect-off-page' } });
    await expect(signPdf({ ...base, visible: { page: 2, rect: { x: 1, y: 1, width: 220, height: 70 } } })).rejects.toMatchObject({ details: { reason: 'page-not-found', pageCount: 1 } });
    await expect(signPdf({ ...base, visible: { page: 1, rect: { x: 1, y: 1, width: 20, height: 10 } } })).rejects.toMatchObject({ details: { reason: 'rect-too-small' } });
  });
});

describe('PDF/A', () => {
  it('a PDF/A-2B file keeps embedded fonts, DeviceGray, CIDSet and an appearance on every widget, and is reported as PDF/A', async () => {
    const pdf = await makeFixturePdf({ pdfa: { part: 2, conformance: 'B' } });
    const cert = pki.issue('Archiv Ar', { key: 'p256' });
    const out = await signPdf({ pdf, signer: pki.signer(cert), hash: 'sha256', chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'Archiv Ar', visible: { page: 1, rect: { x: 40, y: 40, width: 240, height: 80 } } });
    expect(out.pdfa).toEqual({ part: 2, conformance: 'B' });
    const f = path.join(pki.dir, 'pdfa-signed.pdf');
    writeFileSync(f, Buffer.concat([out.original, out.update]));
    const list = fonts(f).split('\n').slice(2).filter(Boolean);
    expect(list.length).toBeGreaterThan(0);
    // Every font the stamp added is embedded (the fixture's own Helvetica is the fixture's).
    for (const l of list.filter((x) => /DejaVu/.test(x))) expect(l).toMatch(/\byes\s+yes\s+yes\b/);
    const qdf = path.join(pki.dir, 'pdfa-qdf.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', f, qdf]);
    const body = readFileSync(qdf, 'latin1');
    expect(body).toContain('/CIDSet');
    // The stamp's own colours (its form XObject) are DeviceGray.
    const stamp = [...body.matchAll(/stream\n([\s\S]*?)endstream/g)].map((m) => m[1]!).find((x) => x.includes('/F2') && x.includes(' re S')) ?? '';
    expect(stamp).toMatch(/0\.1 g\n/);
    expect(stamp).toMatch(/0\.35 G /);
    expect(stamp).not.toMatch(/ rg\n| RG /);
  });
});
