import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCades } from '../../../electron/core/formats/cades';
import { hashBytes } from '../../../electron/core/hashing';
import { keyProfile } from '../../../electron/core/document-signer';
import { createSoftPki, openssl, type SoftPki, type SoftKeyType } from './helpers/soft-pki';
import type { SignatureScheme } from '../../../electron/core/formats/cms/algorithms';

let pki: SoftPki;
beforeAll(() => {
  pki = createSoftPki();
});
afterAll(() => pki?.cleanup());

const cases: [SoftKeyType, SignatureScheme][] = [
  ['rsa2048', 'pkcs1'],
  ['rsa2048', 'pss'],
  ['rsa3072', 'pkcs1'],
  ['p256', 'ecdsa'],
  ['p384', 'ecdsa'],
];

describe('CAdES detached (software key, verified by openssl cms)', () => {
  it.each(cases)('%s %s', async (key, scheme) => {
    const cert = pki.issue(`signer-${key}-${scheme}`, { key });
    const signer = pki.signer(cert, scheme);
    const content = Buffer.from(`hello ${key} ${scheme}\n`.repeat(100));
    const hash = keyProfile(cert.certDer).defaultHash;
    const sig = await createCades({ signer, hash, contentDigest: hashBytes(hash, content), chain: [pki.ca.certDer] });
    const dataPath = path.join(pki.dir, `${key}-${scheme}.txt`);
    const p7sPath = `${dataPath}.p7s`;
    writeFileSync(dataPath, content);
    writeFileSync(p7sPath, sig.der);
    const out = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7sPath, '-content', dataPath, '-CAfile', pki.ca.certPath, '-out', '/dev/null']);
    expect(out).toBeDefined();
    // Tampered content must fail.
    writeFileSync(dataPath, Buffer.concat([content, Buffer.from('x')]));
    expect(() => openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7sPath, '-content', dataPath, '-CAfile', pki.ca.certPath, '-out', '/dev/null'])).toThrow();
  });
});
