import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freeOutputPath, outputNameFor, prepareFiles, signFiles, signDocumentBytes } from '../../../electron/core/signing';
import { createSoftPki, openssl, type SoftPki } from './helpers/soft-pki';
import { makeNssDb, makeTestPdf, pdfsig, pdfsigSignatures } from './helpers/pdf-tools';

let pki: SoftPki;
let nss: string;
beforeAll(() => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
});
afterAll(() => pki?.cleanup());

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('signing workflow', () => {
  it('prepares, signs a batch (CAdES + PAdES), never overwrites, leaves inputs untouched', async () => {
    const dir = pki.dir;
    const txt = path.join(dir, 'notes.txt');
    writeFileSync(txt, 'some notes\n');
    const pdf = path.join(dir, 'report.pdf');
    writeFileSync(pdf, await makeTestPdf());
    // An existing output name must not be overwritten.
    writeFileSync(path.join(dir, 'report-signed.pdf'), 'not mine');
    const before = [sha(txt), sha(pdf)];

    const progress: string[] = [];
    const prepared = await prepareFiles([txt, pdf], { onProgress: (i, d, t) => progress.push(`${i}:${d}/${t}`) });
    expect(prepared.map((p) => [p.name, p.isPdf, p.defaultFormat])).toEqual([
      ['notes.txt', false, 'cades'],
      ['report.pdf', true, 'pades'],
    ]);
    expect(prepared[0]!.sha256).toBe(before[0]);
    expect(progress.length).toBeGreaterThan(0);

    const cert = pki.issue('workflow-signer', { key: 'p256' });
    const signer = pki.signer(cert, 'ecdsa', [pki.ca.certDer]);
    const items = prepared.map((p) => ({
      path: p.path,
      format: p.defaultFormat,
      sha256: p.sha256,
      outputPath: freeOutputPath(dir, outputNameFor(p.name, p.defaultFormat)),
    }));
    expect(path.basename(items[1]!.outputPath)).toBe('report-signed (2).pdf');
    const phases: string[] = [];
    const results = await signFiles(items, { signer, purposes: ['signing'], useSystemStore: false, onProgress: (i, ph) => phases.push(`${i}:${ph}`) });
    expect(results.every((r) => r.ok), JSON.stringify(results)).toBe(true);
    expect(phases).toContain('0:signing');
    expect(phases).toContain('1:done');
    expect([sha(txt), sha(pdf)]).toEqual(before);
    expect(readFileSync(path.join(dir, 'report-signed.pdf'), 'utf8')).toBe('not mine');
    const [r0, r1] = results as unknown as [{ ok: true; outputPath: string }, { ok: true; outputPath: string }];
    openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', r0.outputPath, '-content', txt, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);
    const sigs = pdfsigSignatures(pdfsig(nss, r1.outputPath).out);
    expect(sigs[0]?.validity).toBe('Signature is Valid.');
  });

  it('refuses a file changed after confirmation, and goes on with the next', async () => {
    const a = path.join(pki.dir, 'a.txt');
    const b = path.join(pki.dir, 'b.txt');
    writeFileSync(a, 'A');
    writeFileSync(b, 'B');
    const [pa, pb] = await prepareFiles([a, b]);
    writeFileSync(a, 'A changed');
    const signer = pki.signer(pki.issue('changed-signer', { key: 'p256' }), 'ecdsa');
    const res = await signFiles(
      [
        { path: a, format: 'cades', sha256: pa!.sha256, outputPath: `${a}.p7s` },
        { path: b, format: 'cades', sha256: pb!.sha256, outputPath: `${b}.p7s` },
      ],
      { signer, purposes: ['signing'], useSystemStore: false },
    );
    expect(res[0]!.ok).toBe(false);
    expect(!res[0]!.ok && res[0]!.error.code).toBe('INVALID_INPUT');
    expect(existsSync(`${a}.p7s`)).toBe(false);
    expect(res[1]!.ok).toBe(true);
  });

  it('refuses expired and authentication-only certificates unless the policy allows', async () => {
    const f = path.join(pki.dir, 'c.txt');
    writeFileSync(f, 'C');
    const expired = pki.signer(pki.issue('expired', { key: 'p256', notBefore: '20200101000000Z', notAfter: '20210101000000Z' }), 'ecdsa');
    await expect(signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: expired, purposes: ['signing'] })).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    const future = pki.signer(pki.issue('future', { key: 'p256', notBefore: '20900101000000Z', notAfter: '20910101000000Z' }), 'ecdsa');
    await expect(signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: future, purposes: ['signing'] })).rejects.toMatchObject({ code: 'CERT_NOT_YET_VALID' });
    const auth = pki.signer(pki.issue('auth', { key: 'p256', keyUsage: 'digitalSignature', extendedKeyUsage: 'clientAuth' }), 'ecdsa');
    await expect(signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: auth, purposes: ['authentication'] })).rejects.toMatchObject({ code: 'KEY_PURPOSE_MISMATCH' });
    const ok = await signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: expired, purposes: ['signing'], policy: { allowExpired: true }, useSystemStore: false });
    expect(ok[0]!.ok).toBe(true);
  });

  it('signs bytes in memory (web API)', async () => {
    const signer = pki.signer(pki.issue('bytes-signer', { key: 'rsa2048' }), 'pss');
    const pdf = await makeTestPdf();
    const out = await signDocumentBytes({ content: pdf, format: 'pades', signer, purposes: ['signing'], useSystemStore: false });
    expect(out.mimeType).toBe('application/pdf');
    expect(out.output.subarray(0, pdf.length).equals(pdf)).toBe(true);
    const f = path.join(pki.dir, 'bytes.pdf');
    writeFileSync(f, out.output);
    expect(pdfsigSignatures(pdfsig(nss, f).out)[0]?.validity).toBe('Signature is Valid.');
  });
});
