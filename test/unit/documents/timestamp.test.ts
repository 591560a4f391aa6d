import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { startTsa, type TsaService } from '../../rig';
import { createCades } from '../../../electron/core/formats/cades';
import { signPdf } from '../../../electron/core/formats/pades/sign';
import { timestamp } from '../../../electron/core/formats/tsp/client';
import { verifyTimestampToken } from '../../../electron/core/formats/tsp/verify-token';
import { id_aa_signatureTimeStampToken, type TimestampFn } from '../../../electron/core/formats/cms/sign';
import { hashBytes } from '../../../electron/core/hashing';
import { signFiles } from '../../../electron/core/signing';
import { createSoftPki, openssl, type SoftPki } from './helpers/soft-pki';
import { makeNssDb, makeTestPdf, pdfsig, pdfsigSignatures, qpdfCheck } from './helpers/pdf-tools';

let pki: SoftPki;
let tsa: TsaService;
let nss: string;
beforeAll(async () => {
  pki = createSoftPki();
  nss = makeNssDb(path.join(pki.dir, 'nss'), pki.ca.certPath);
  tsa = await startTsa();
});
afterAll(async () => {
  await tsa?.stop();
  pki?.cleanup();
});

const tsFn = (): TimestampFn => (value, hash, signal) => timestamp(value, hash, { url: tsa.url, timeoutMs: 20_000, ...(signal ? { signal } : {}) });

/** The signature value and the embedded token of the first SignerInfo. */
function tokenOf(cmsDer: Uint8Array): { signature: Buffer; token: Buffer } {
  const sd = AsnConvert.parse(AsnConvert.parse(cmsDer, ContentInfo).content, SignedData);
  const si = sd.signerInfos[0]!;
  const attr = si.unsignedAttrs?.find((a) => a.attrType === id_aa_signatureTimeStampToken);
  if (!attr) throw new Error('no signature-time-stamp attribute');
  return { signature: Buffer.from(si.signature.buffer), token: Buffer.from(attr.attrValues[0]!) };
}

/** openssl ts -verify of a token over the signature value (independent check of the imprint and the TSA signature). */
function opensslTsVerify(token: Buffer, signature: Buffer, name: string): string {
  const tokenPath = path.join(pki.dir, `${name}.tst`);
  const dataPath = path.join(pki.dir, `${name}.sigvalue`);
  writeFileSync(tokenPath, token);
  writeFileSync(dataPath, signature);
  return openssl(['ts', '-verify', '-in', tokenPath, '-token_in', '-data', dataPath, '-CAfile', tsa.caCertPath]).toString();
}

describe('RFC 3161 time-stamps (local openssl TSA)', () => {
  it('CAdES-T: token embedded, verified by openssl ts and openssl cms', async () => {
    const cert = pki.issue('cades-t', { key: 'p256' });
    const content = Buffer.from('time-stamped content\n');
    const sig = await createCades({ signer: pki.signer(cert), hash: 'sha256', contentDigest: hashBytes('sha256', content), chain: [pki.ca.certDer], timestamp: tsFn() });
    expect(sig.timestamp?.genTime).toBeInstanceOf(Date);
    const { signature, token } = tokenOf(sig.der);
    expect(opensslTsVerify(token, signature, 'cades-t')).toContain('Verification: OK');
    const data = path.join(pki.dir, 'cades-t.txt');
    writeFileSync(data, content);
    writeFileSync(`${data}.p7s`, sig.der);
    openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${data}.p7s`, '-content', data, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);
    // The token over other data is refused by our own check.
    await expect(verifyTimestampToken(token, { imprint: hashBytes('sha256', Buffer.from('other')) })).rejects.toThrow(/imprint/);
  });

  it('PAdES-T: token inside the CMS, pdfsig still valid, openssl ts verifies', async () => {
    const cert = pki.issue('pades-t', { key: 'rsa2048' });
    const pdf = await makeTestPdf();
    const out = await signPdf({ pdf, signer: pki.signer(cert, 'pss'), hash: 'sha256', chain: [pki.ca.certDer], signingTime: new Date(), signerName: 'T', timestamp: tsFn() });
    const signed = Buffer.concat([out.original, out.update]);
    const f = path.join(pki.dir, 'pades-t.pdf');
    writeFileSync(f, signed);
    expect(qpdfCheck(f).status).toBe(0);
    const r = pdfsig(nss, f);
    expect(pdfsigSignatures(r.out)[0]?.validity, r.out).toBe('Signature is Valid.');
    const br = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(signed.toString('latin1'))!;
    const hex = signed.subarray(Number(br[2]) + 1, Number(br[3]) - 1).toString('latin1').replace(/(00)+$/, '');
    const { signature, token } = tokenOf(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
    expect(opensslTsVerify(token, signature, 'pades-t')).toContain('Verification: OK');
  });

  it('a TSA that answers garbage, an HTTP error or too late is refused with a clear error', async () => {
    const garbage = await startTsa({ fault: 'garbage' });
    const httpErr = await startTsa({ fault: 'http-error' });
    const slow = await startTsa({ delayMs: 3000 });
    try {
      const v = Buffer.from('sig');
      await expect(timestamp(v, 'sha256', { url: garbage.url })).rejects.toThrow(/not an RFC 3161/);
      await expect(timestamp(v, 'sha256', { url: httpErr.url })).rejects.toThrow(/HTTP 500/);
      await expect(timestamp(v, 'sha256', { url: slow.url, timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      await expect(timestamp(v, 'sha256', { url: 'http://127.0.0.1:1/' })).rejects.toThrow(/cannot be reached/);
      await expect(timestamp(v, 'sha256', { url: garbage.url })).rejects.toMatchObject({ details: { tsaUrl: garbage.url } });

      // In a batch, a failing TSA stops the batch after the first file: the card is not used again.
      const cert = pki.issue('tsa-batch', { key: 'p256' });
      const base = pki.signer(cert);
      let signatures = 0;
      const counting = { ...base, sign: async (d: Uint8Array, h: 'sha256') => (signatures++, base.sign(d, h)) };
      const files = ['t1.txt', 't2.txt'].map((n) => {
        const f = path.join(pki.dir, n);
        writeFileSync(f, n);
        return f;
      });
      const res = await signFiles(
        files.map((f) => ({ path: f, format: 'cades' as const, outputPath: `${f}.p7s` })),
        { signer: counting, timestamp: { url: garbage.url }, useSystemStore: false },
      );
      expect(res.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['INTERNAL', 'INTERNAL']);
      expect(signatures).toBe(1);
    } finally {
      await Promise.all([garbage.stop(), httpErr.stop(), slow.stop()]);
    }
  });
});
