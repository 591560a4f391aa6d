import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTsa, type TsaService } from '../../rig';
import { createCades } from '../../../electron/core/formats/cades';
import { signPdf } from '../../../electron/core/formats/pades/sign';
import { timestamp } from '../../../electron/core/formats/tsp/client';
import { hashBytes } from '../../../electron/core/hashing';
import { verifyDocument } from '../../../electron/core/verify';
import { createSoftPki, openssl, type SoftPki } from './helpers/soft-pki';
import { makeNssDb, makeTestPdf, pdfsig, pdfsigSignatures } from './helpers/pdf-tools';

let pki: SoftPki;
let nss: string;
let tsa: TsaService;
beforeAll(async () => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
  tsa = await startTsa();
});
afterAll(async () => {
  await tsa?.stop();
  pki?.cleanup();
});
const opts = () => ({ trustAnchors: [pki.ca.certDer], useSystemStore: false });

async function cadesFixture(name: string, withTs = false) {
  const cert = pki.issue(name, { key: 'p256' });
  const data = path.join(pki.dir, `${name}.txt`);
  writeFileSync(data, `content of ${name}\n`);
  const sig = await createCades({
    signer: pki.signer(cert),
    hash: 'sha256',
    contentDigest: hashBytes('sha256', readFileSync(data)),
    chain: [pki.ca.certDer],
    ...(withTs ? { timestamp: (v, h) => timestamp(v, h, { url: tsa.url }) } : {}),
  });
  writeFileSync(`${data}.p7s`, sig.der);
  return data;
}

describe('verify CAdES', () => {
  it('valid signature: our verifier and openssl agree', async () => {
    const data = await cadesFixture('v-good');
    const r = await verifyDocument(data, undefined, opts());
    expect(r.valid, JSON.stringify(r, null, 1)).toBe(true);
    expect(r.signatures[0]).toMatchObject({ signer: 'v-good', integrity: true, chain: { trusted: true }, purposes: ['signing'] });
    expect(r.signatures[0]!.signingTime).toBeDefined();
    openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${data}.p7s`, '-content', data, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);
  });

  it('tampered content: both fail', async () => {
    const data = await cadesFixture('v-tampered');
    writeFileSync(data, 'changed\n');
    const r = await verifyDocument(data, `${data}.p7s`, opts());
    expect(r.valid).toBe(false);
    expect(r.signatures[0]!.integrity).toBe(false);
    expect(r.signatures[0]!.errors.join()).toMatch(/changed after signing/);
    expect(() => openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${data}.p7s`, '-content', data, '-CAfile', pki.ca.certPath, '-out', '/dev/null'])).toThrow();
  });

  it('untrusted chain without the anchor', async () => {
    const data = await cadesFixture('v-untrusted');
    const r = await verifyDocument(data, undefined, { useSystemStore: false });
    expect(r.valid).toBe(false);
    expect(r.signatures[0]!.integrity).toBe(true);
    expect(r.signatures[0]!.chain.trusted).toBe(false);
  });

  it('time-stamp reported and verified', async () => {
    const data = await cadesFixture('v-ts', true);
    const tsaCa = readFileSync(tsa.caCertPath, 'utf8');
    const tsaDer = new Uint8Array(Buffer.from(tsaCa.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const r = await verifyDocument(data, undefined, { trustAnchors: [pki.ca.certDer, tsaDer], useSystemStore: false });
    expect(r.valid, JSON.stringify(r.signatures[0], null, 1)).toBe(true);
    expect(r.signatures[0]!.timestamp).toMatchObject({ valid: true, trusted: true });
    // Without the TSA's root the time-stamp is intact but not trusted (a warning, not an error).
    const r2 = await verifyDocument(data, undefined, opts());
    expect(r2.signatures[0]!.timestamp).toMatchObject({ valid: true, trusted: false });
    expect(r2.valid).toBe(true);
  });

  it('a certificate without the signing purpose makes the signature invalid', async () => {
    const cert = pki.issue('v-auth', { key: 'p256', keyUsage: 'digitalSignature', extendedKeyUsage: 'clientAuth' });
    const data = path.join(pki.dir, 'v-auth.txt');
    writeFileSync(data, 'x');
    const sig = await createCades({ signer: pki.signer(cert), hash: 'sha256', contentDigest: hashBytes('sha256', Buffer.from('x')), chain: [] });
    writeFileSync(`${data}.p7s`, sig.der);
    const r = await verifyDocument(data, undefined, opts());
    expect(r.valid).toBe(false);
    expect(r.signatures[0]!.errors.join()).toMatch(/not for document signing/);
  });
});

describe('verify PAdES', () => {
  it('two signatures, then tampering: our verifier and pdfsig agree', async () => {
    const pdf = await makeTestPdf({ objectStreams: false });
    const s1 = pki.signer(pki.issue('pv-1', { key: 'p256' }));
    const s2 = pki.signer(pki.issue('pv-2', { key: 'rsa2048' }), 'pss');
    const one = await signPdf({ pdf, signer: s1, hash: 'sha256', chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'pv-1' });
    const oneBytes = Buffer.concat([one.original, one.update]);
    const two = await signPdf({ pdf: oneBytes, signer: s2, hash: 'sha256', chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'pv-2' });
    const f = path.join(pki.dir, 'pv.pdf');
    writeFileSync(f, Buffer.concat([two.original, two.update]));

    const r = await verifyDocument(f, undefined, opts());
    expect(r.valid, JSON.stringify(r, null, 1)).toBe(true);
    expect(r.signatures.map((s) => [s.signer, s.pdf?.coversWholeDocument, s.pdf?.laterRevisions])).toEqual([
      ['pv-1', false, 1],
      ['pv-2', true, 0],
    ]);
    expect(pdfsigSignatures(pdfsig(nss, f).out).map((s) => s.validity)).toEqual(['Signature is Valid.', 'Signature is Valid.']);

    // Flip one byte inside the first revision's page content (covered by both signatures).
    const bytes = readFileSync(f);
    const at = bytes.indexOf('stream') + 10;
    bytes[at] = bytes[at]! ^ 0x01;
    const t = path.join(pki.dir, 'pv-tampered.pdf');
    writeFileSync(t, bytes);
    const rt = await verifyDocument(t, undefined, opts());
    expect(rt.valid).toBe(false);
    expect(rt.signatures.every((s) => !s.integrity)).toBe(true);
    expect(pdfsigSignatures(pdfsig(nss, t).out).map((s) => s.validity)).not.toContain('Signature is Valid.');
  });

  it('a PDF without signatures, and a non-PDF, are INVALID_INPUT', async () => {
    const f = path.join(pki.dir, 'unsigned.pdf');
    writeFileSync(f, await makeTestPdf());
    await expect(verifyDocument(f, undefined, opts())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const g = path.join(pki.dir, 'plain.bin');
    writeFileSync(g, 'hello');
    await expect(verifyDocument(g, undefined, opts())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
