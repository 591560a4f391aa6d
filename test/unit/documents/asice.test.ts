import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAsice } from '../../../electron/core/formats/asice/sign';
import { verifyAsice } from '../../../electron/core/verify';
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

/** Rewrite a container with Python's zipfile (an independent ZIP writer): `edit` gets [name, bytes, stored] entries in order. */
function rezip(src: string, dst: string, edit: string): void {
  const script = `
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
entries = [[i.filename, zin.read(i.filename), i.compress_type == zipfile.ZIP_STORED] for i in zin.infolist()]
${edit}
with zipfile.ZipFile(dst, 'w') as z:
    for name, data, stored in entries:
        z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
`;
  execFileSync('python3', ['-c', script, src, dst]);
}

describe('verifyAsice (core): structure, references, signer, level', () => {
  it('a container just made: valid, B-B, the signature covers every file; the tampered and restructured variants are not', async () => {
    const { file } = await make('p256', 'verify-me');
    const opts = { trustAnchors: [pki.ca.certDer], useSystemStore: false };
    const ok = await verifyAsice(file, opts);
    expect(ok.valid, JSON.stringify(ok, null, 1)).toBe(true);
    expect(ok.format).toBe('asice');
    expect(ok.container).toMatchObject({ problems: [], signatureFiles: ['META-INF/signatures0.xml'] });
    expect(ok.container!.files.map((f) => f.name)).toEqual(['a.pdf', 'b report.docx', 'č.txt']);
    expect(ok.signatures).toHaveLength(1);
    expect(ok.signatures[0]).toMatchObject({ format: 'xades', signer: 'verify-me', integrity: true, level: 'B-B', xades: { signatureFile: 'META-INF/signatures0.xml', id: 'S0', covers: ['a.pdf', 'b report.docx', 'č.txt'], notCovered: [] } });

    const tampered = path.join(pki.dir, 'tampered.asice');
    rezip(file, tampered, `entries = [[n, (b'changed' if n == 'b report.docx' else d), s] for n, d, s in entries]`);
    const bad = await verifyAsice(tampered, opts);
    expect(bad.valid).toBe(false);
    expect(bad.signatures[0]!.integrity).toBe(false);
    expect(bad.signatures[0]!.errors.join('\n')).toContain('b report.docx was changed after it was signed');

    const reordered = path.join(pki.dir, 'reordered.asice');
    rezip(file, reordered, `entries = entries[1:] + entries[:1]`);
    // Not recognised as ASiC by its first bytes any more, so verified directly as one.
    const r2 = await verifyAsice(reordered, opts);
    expect(r2.valid).toBe(false);
    expect(r2.container!.problems).toContain('"mimetype" is not the first entry of the container');
    expect(r2.signatures[0]!.valid).toBe(true);

    const compressed = path.join(pki.dir, 'compressed.asice');
    rezip(file, compressed, `entries = [[n, d, False] for n, d, s in entries]`);
    expect((await verifyAsice(compressed, opts)).container!.problems).toContain('"mimetype" is compressed (it must be stored)');

    const extra = path.join(pki.dir, 'extra.asice');
    rezip(file, extra, `entries.insert(2, ['smuggled.txt', b'not signed', False])`);
    const r3 = await verifyAsice(extra, opts);
    expect(r3.valid).toBe(false);
    expect(r3.container!.problems).toContain('smuggled.txt is in the container but not in META-INF/manifest.xml');
    expect(r3.signatures[0]!.xades!.notCovered).toEqual(['smuggled.txt']);

    const props = path.join(pki.dir, 'props.asice');
    rezip(file, props, `entries = [[n, (d.replace(b'<xades:MimeType>text/plain<', b'<xades:MimeType>text/html<') if n.endswith('signatures0.xml') else d), s] for n, d, s in entries]`);
    const r4 = await verifyAsice(props, opts);
    expect(r4.valid).toBe(false);
    expect(r4.signatures[0]!.errors.join('\n')).toContain('the signed properties were changed');

    const untrusted = await verifyAsice(file, { trustAnchors: [], useSystemStore: false });
    expect(untrusted.valid).toBe(false);
    expect(untrusted.signatures[0]!.integrity).toBe(true);
    expect(untrusted.signatures[0]!.chain.trusted).toBe(false);
  });
});
