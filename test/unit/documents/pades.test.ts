import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signPdf } from '../../../electron/core/formats/pades/sign';
import { keyProfile } from '../../../electron/core/document-signer';
import { createSoftPki, type SoftPki, type SoftKeyType } from './helpers/soft-pki';
import { makeNssDb, makeTestPdf, pdfsig, pdfsigSignatures, qpdfCheck } from './helpers/pdf-tools';
import type { SignatureScheme } from '../../../electron/core/formats/cms/algorithms';

let pki: SoftPki;
let nss: string;
beforeAll(() => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
});
afterAll(() => pki?.cleanup());

async function sign(pdf: Buffer, key: SoftKeyType, scheme: SignatureScheme, extra: Partial<Parameters<typeof signPdf>[0]> = {}) {
  const cert = pki.issue(`pades-${key}-${scheme}-${Math.random().toString(36).slice(2, 6)}`, { key });
  const signer = pki.signer(cert, scheme);
  const out = await signPdf({
    pdf,
    signer,
    hash: keyProfile(cert.certDer).defaultHash,
    chain: [pki.ca.certDer],
    signingTime: new Date(),
    signerName: 'Test Signer',
    ...extra,
  });
  return Buffer.concat([out.original, out.update]);
}

describe('PAdES (software key, verified by pdfsig and qpdf)', () => {
  it.each([
    ['rsa2048', 'pkcs1', false],
    ['rsa2048', 'pss', true],
    ['p256', 'ecdsa', true],
    ['p384', 'ecdsa', false],
  ] as const)('%s %s objectStreams=%s', async (key, scheme, objectStreams) => {
    const pdf = await makeTestPdf({ objectStreams });
    const signed = await sign(pdf, key, scheme);
    expect(signed.subarray(0, pdf.length).equals(pdf)).toBe(true);
    const f = path.join(pki.dir, `signed-${key}-${scheme}-${objectStreams}.pdf`);
    writeFileSync(f, signed);
    const q = qpdfCheck(f);
    expect(q.out).not.toMatch(/WARNING/);
    expect(q.out).toContain('No syntax or stream encoding errors found');
    expect(q.status).toBe(0);
    const r = pdfsig(nss, f);
    const sigs = pdfsigSignatures(r.out);
    expect(sigs, r.out).toHaveLength(1);
    expect(sigs[0]!.validity, r.out).toBe('Signature is Valid.');
    expect(sigs[0]!.trust, r.out).toBe('Certificate is Trusted.');
    expect(sigs[0]!.wholeFile, r.out).toBe(true);
  });

  it('signs twice; the first signature stays valid', async () => {
    const pdf = await makeTestPdf({ objectStreams: false, withForm: true });
    const once = await sign(pdf, 'p256', 'ecdsa');
    const twice = await sign(once, 'rsa2048', 'pkcs1', { visible: { page: 1, rect: { x: 300, y: 600, width: 220, height: 70 } }, reason: 'Approved' });
    const f = path.join(pki.dir, 'twice.pdf');
    writeFileSync(f, twice);
    expect(qpdfCheck(f).status).toBe(0);
    const r = pdfsig(nss, f);
    const sigs = pdfsigSignatures(r.out);
    expect(sigs, r.out).toHaveLength(2);
    expect(sigs.map((s) => s.validity), r.out).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(sigs.map((s) => s.wholeFile)).toEqual([false, true]);
    void readFileSync;
  });
});
