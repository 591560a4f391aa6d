/**
 * signFiles keeps a second file in flight (issue 13 item 8) once the signer allows overlapping
 * signatures: the next file is built while the card signs the current one, the results keep the
 * files' order, and every signature is over its own file (openssl cms -verify). A signer that
 * does not allow it (a per-signature PIN) signs strictly one at a time, and a key failure stops
 * the batch: no file is started after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
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
    writeFileSync(p, `${prefix} file ${i}\n`.repeat(500 * (i + 1)));
    return p;
  });
}

/** A card that takes `ms` per signature, counting the signatures in flight. */
function slowCard(name: string, ms: number, concurrent: boolean | undefined, failAt?: number) {
  const base = pki.signer(pki.issue(name, { key: 'p256' }), 'ecdsa', [pki.ca.certDer]);
  const stats = { inFlight: 0, maxInFlight: 0, calls: 0, afterFailure: 0, failed: false };
  const signer: DocumentSigner = {
    ...base,
    ...(concurrent !== undefined ? { concurrent } : {}),
    sign: async (d, h, s) => {
      const n = ++stats.calls;
      if (stats.failed) stats.afterFailure++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        if (n === failAt) {
          await later(undefined, ms);
          stats.failed = true;
          throw new SignetError('TOKEN_REMOVED', 'The token was removed.');
        }
        return await later(await base.sign(d, h, s), ms);
      } finally {
        stats.inFlight--;
      }
    },
  };
  return { signer, stats };
}

const cades = (inputs: string[]) => inputs.map((p) => ({ path: p, format: 'cades' as const, outputPath: `${p}.p7s` }));
const verify = (p: string) => openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${p}.p7s`, '-content', p, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);

describe('signFiles with two files in flight', () => {
  it('overlaps signatures once the signer allows it; results in order, each over its own file', async () => {
    const { signer, stats } = slowCard('lanes-on', 80, true);
    const inputs = files('lanes-on', 6);
    const results = await signFiles(cades(inputs), { signer, purposes: ['signing'], useSystemStore: false });
    expect(results.map((r) => r.input)).toEqual(inputs);
    expect(results.every((r) => r.ok), JSON.stringify(results)).toBe(true);
    expect(stats.calls).toBe(6);
    expect(stats.maxInFlight).toBe(2);
    for (const p of inputs) verify(p);
  });

  it('one at a time when the signer does not allow overlapping (per-signature PIN)', async () => {
    for (const concurrent of [undefined, false]) {
      const { signer, stats } = slowCard(`lanes-off-${String(concurrent)}`, 30, concurrent);
      const inputs = files(`lanes-off-${String(concurrent)}`, 4);
      const results = await signFiles(cades(inputs), { signer, purposes: ['signing'], useSystemStore: false });
      expect(results.every((r) => r.ok)).toBe(true);
      expect(stats.maxInFlight).toBe(1);
      for (const p of inputs) verify(p);
    }
  });

  it('a key failure stops the batch: no file is started after it, the rest report the error', async () => {
    const { signer, stats } = slowCard('lanes-fail', 60, true, 3);
    const inputs = files('lanes-fail', 8);
    const results = await signFiles(cades(inputs), { signer, purposes: ['signing'], useSystemStore: false });
    expect(stats.afterFailure).toBe(0);
    const failedAt = results.findIndex((r) => !r.ok);
    expect(failedAt).toBeGreaterThan(0);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(3);
    for (const [i, r] of results.entries()) {
      if (r.ok) verify(inputs[i]!);
      else {
        expect(r.error.code).toBe('TOKEN_REMOVED');
        expect(existsSync(`${inputs[i]!}.p7s`)).toBe(false);
      }
    }
    expect(results.slice(4).every((r) => !r.ok)).toBe(true);
  });
});
