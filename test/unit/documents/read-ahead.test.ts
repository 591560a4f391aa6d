/**
 * signFiles reads ahead (core/signing/read-ahead.ts): the first file while the key is still being
 * looked up, the next while the current one is signed. What must hold: every signature is over
 * the right digest (openssl cms -verify), a wrong guess of the digest algorithm is corrected, a
 * key failure ends the batch without writing the next file, and a key look-up that fails fails
 * the batch before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import type { DocumentSigner } from '../../../electron/core/document-signer';
import { signFiles } from '../../../electron/core/signing';
import { createSoftPki, openssl, type SoftPki } from './helpers/soft-pki';

let pki: SoftPki;
beforeAll(() => {
  pki = createSoftPki();
});
afterAll(() => pki?.cleanup());

const later = <T>(v: T, ms: number): Promise<T> => new Promise((r) => setTimeout(() => r(v), ms));

function files(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const p = path.join(pki.dir, `${prefix}-${i}.txt`);
    writeFileSync(p, `${prefix} file ${i}\n`.repeat(1000 * (i + 1)));
    return p;
  });
}

describe('signFiles reads ahead', () => {
  it('a signer still on its way (P-384): the first file, read with the SHA-256 guess, is read again with SHA-384; all verify', async () => {
    const cert = pki.issue('ahead-p384', { key: 'p384' });
    const signer = later(pki.signer(cert, 'ecdsa', [pki.ca.certDer]), 50);
    const inputs = files('p384', 3);
    const results = await signFiles(
      inputs.map((p) => ({ path: p, format: 'cades' as const, outputPath: `${p}.p7s` })),
      { signer, purposes: ['signing'], useSystemStore: false },
    );
    expect(results.every((r) => r.ok), JSON.stringify(results)).toBe(true);
    for (const p of inputs) {
      openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${p}.p7s`, '-content', p, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);
      expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${p}.p7s`]).toString()).toMatch(/digestAlgorithm:\s*\n\s*algorithm: sha384/);
    }
  });

  it('the next file is read while the current one is signed (its hashing is reported before the current one is done)', async () => {
    const base = pki.signer(pki.issue('ahead-slow', { key: 'p256' }), 'ecdsa', [pki.ca.certDer]);
    // A card that takes a while per signature.
    const slow: DocumentSigner = { ...base, sign: async (d, h, s) => later(await base.sign(d, h, s), 100) };
    const inputs = files('slow', 3);
    const events: string[] = [];
    const results = await signFiles(
      inputs.map((p) => ({ path: p, format: 'cades' as const, outputPath: `${p}.p7s` })),
      { signer: slow, purposes: ['signing'], useSystemStore: false, onProgress: (i, ph) => events.push(`${i}:${ph}`) },
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(events.indexOf('1:hashing')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('1:hashing')).toBeLessThan(events.indexOf('0:done'));
    expect(events.indexOf('2:hashing')).toBeLessThan(events.indexOf('1:done'));
    for (const p of inputs) openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${p}.p7s`, '-content', p, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);
  });

  it('a key failure ends the batch: the file read ahead is not signed or written', async () => {
    const base = pki.signer(pki.issue('ahead-cancel', { key: 'p256' }), 'ecdsa');
    const refusing: DocumentSigner = { ...base, sign: () => Promise.reject(new SignetError('USER_CANCELLED', 'Cancelled')) };
    const inputs = files('cancel', 2);
    const results = await signFiles(
      inputs.map((p) => ({ path: p, format: 'cades' as const, outputPath: `${p}.p7s` })),
      { signer: refusing, purposes: ['signing'], useSystemStore: false },
    );
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(['USER_CANCELLED', 'USER_CANCELLED']);
    for (const p of inputs) expect(existsSync(`${p}.p7s`)).toBe(false);
    expect(readFileSync(inputs[1]!, 'utf8')).toContain('cancel file 1');
  });

  it('a key look-up that fails fails the batch before anything is written', async () => {
    const inputs = files('nokey', 2);
    await expect(
      signFiles(
        inputs.map((p) => ({ path: p, format: 'cades' as const, outputPath: `${p}.p7s` })),
        { signer: Promise.reject(new SignetError('KEY_NOT_FOUND', 'no key')), purposes: ['signing'], useSystemStore: false },
      ),
    ).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    for (const p of inputs) expect(existsSync(`${p}.p7s`)).toBe(false);
  });
});
