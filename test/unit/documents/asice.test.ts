import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAsice } from '../../../electron/core/formats/asice/sign';
import { createSoftPki, type SoftPki } from './helpers/soft-pki';
import { extract, signatureFiles, xmlsecVerify, zipEntries, zipNames } from './helpers/asice-tools';

let pki: SoftPki;
beforeAll(() => {
  pki = createSoftPki();
});
afterAll(() => pki?.cleanup());

const FILES = [
  { name: 'a.pdf', data: Buffer.from('%PDF-1.4\n% a tiny stand-in\n') },
  { name: 'b report.docx', data: Buffer.from('PK\u0003\u0004 not really a docx') },
  { name: 'č.txt', data: Buffer.from('Příliš žluťoučký kůň\n') },
];

async function make(key: 'rsa2048' | 'p256' | 'p384', name: string) {
  const cert = pki.issue(name, { key });
  const r = await createAsice(FILES, { signer: pki.signer(cert), hash: key === 'p384' ? 'sha384' : 'sha256', chain: [pki.ca.certDer], signingTime: new Date() });
  const file = path.join(pki.dir, `${name}.asice`);
  writeFileSync(file, r.container);
  return { file, r };
}

describe('ASiC-E with XAdES B-B (soft key; unzip and xmlsec1 as verifiers)', () => {
  it.each(['rsa2048', 'p256', 'p384'] as const)('%s: mimetype first and stored, manifest, one signature over every file; xmlsec1 verifies it', async (key) => {
    const { file, r } = await make(key, `signer-${key}`);
    expect(r.signatureFile).toBe('META-INF/signatures0.xml');
    const entries = zipEntries(file);
    expect(entries[0]).toMatchObject({ name: 'mimetype', method: 'none (stored)', offset: 0, extendedLocalHeader: 'no' });
    // EN 319 162-1 §A.1: the media type readable at offset 38 (no extra field in the local header).
    expect(readFileSync(file).subarray(30, 38 + 31).toString('latin1')).toBe('mimetypeapplication/vnd.etsi.asic-e+zip');
    expect(zipNames(file)).toEqual(['mimetype', 'a.pdf', 'b report.docx', 'č.txt', 'META-INF/manifest.xml', 'META-INF/signatures0.xml']);

    const dir = extract(file, pki.dir);
    const manifest = readFileSync(path.join(dir, 'META-INF/manifest.xml'), 'utf8');
    expect(manifest).toContain('manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"');
    expect(manifest).toContain('manifest:full-path="a.pdf" manifest:media-type="application/pdf"');
    expect(manifest).toContain('manifest:full-path="č.txt" manifest:media-type="text/plain"');
    const xml = readFileSync(path.join(dir, 'META-INF/signatures0.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<asic:XAdESSignatures xmlns:asic="http:\/\/uri.etsi.org\/02918\/v1.2.1#">/);
    for (const uri of ['a.pdf', 'b%20report.docx', '%C4%8D.txt']) expect(xml).toContain(`URI="${uri}"`);
    expect(xml).toContain('<xades:SigningCertificateV2>');
    expect(xml).toContain('<xades:MimeType>application/vnd.openxmlformats-officedocument.wordprocessingml.document</xades:MimeType>');
    expect(xml).toContain(key === 'rsa2048' ? 'xmldsig-more#rsa-sha256' : key === 'p256' ? 'xmldsig-more#ecdsa-sha256' : 'xmldsig-more#ecdsa-sha384');

    const v = xmlsecVerify(dir, 'META-INF/signatures0.xml', pki.ca.certPath);
    expect(v.output).toContain('SignedInfo References (ok/all): 4/4');
    expect(v.ok, v.output).toBe(true);
    expect(signatureFiles(dir)).toEqual(['META-INF/signatures0.xml']);
  });

  it('a tampered data file fails xmlsec1; a signature from an untrusted CA fails too', async () => {
    const { file } = await make('rsa2048', 'tamper');
    const dir = extract(file, pki.dir);
    writeFileSync(path.join(dir, 'b report.docx'), 'changed');
    const v = xmlsecVerify(dir, 'META-INF/signatures0.xml', pki.ca.certPath);
    expect(v.ok).toBe(false);
    expect(v.output).toContain('data and digest do not match');

    const other = createSoftPki();
    try {
      const dir2 = extract(file, pki.dir);
      const w = xmlsecVerify(dir2, 'META-INF/signatures0.xml', other.ca.certPath);
      expect(w.ok).toBe(false);
    } finally {
      other.cleanup();
    }
  });
});
