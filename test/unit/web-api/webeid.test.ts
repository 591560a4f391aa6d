/** Web eID token construction (core/formats/webeid.ts), checked with node:crypto as a relying party would. */
import { createHash, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authTokenSignedValue, checkChallengeNonce, checkSerializedOrigin, chooseAlgorithm, createAuthToken } from '../../../electron/core/formats/webeid';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-webeid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function selfSigned(name: string, keyArgs: string[]): { der: Buffer; keyPath: string } {
  const keyPath = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyPath, '-out', path.join(dir, `${name}.pem`), '-days', '2', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { der: new X509Certificate(readFileSync(path.join(dir, `${name}.pem`))).raw, keyPath };
}

const NONCE = 'Jd2sA1hJ5nXvQm8k3s9TzY0pL7rB4cW6eD1fG2hK3mN=';

describe('signed value', () => {
  it('is hash(origin) ‖ hash(nonce), hashed separately so fields cannot run together', () => {
    const v = authTokenSignedValue('https://a.example', NONCE, 'sha256');
    expect(v).toEqual(Buffer.concat([createHash('sha256').update('https://a.example').digest(), createHash('sha256').update(NONCE).digest()]));
    expect(authTokenSignedValue('https://example.com', '.eu1234', 'sha256')).not.toEqual(authTokenSignedValue('https://example.com.eu', '1234', 'sha256'));
    expect(authTokenSignedValue('https://a.example', NONCE, 'sha384')).toHaveLength(96);
  });
});

describe('algorithm choice', () => {
  it.each([
    ['ec256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ES256'],
    ['ec384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'ES384'],
    ['ec521', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'], 'ES512'],
    ['rsa', ['-newkey', 'rsa:2048'], 'RS256'],
  ])('%s → %s', (name, args, alg) => {
    expect(chooseAlgorithm(selfSigned(name, args).der).algorithm).toBe(alg);
  });
  it('PSS on request', () => {
    expect(chooseAlgorithm(selfSigned('rsa2', ['-newkey', 'rsa:2048']).der, 'pss').algorithm).toBe('PS256');
  });
  it('refuses other curves', () => {
    expect(() => chooseAlgorithm(selfSigned('k256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1']).der)).toThrow(/P-256/);
  });
});

describe('inputs', () => {
  it.each(['https://a.example/', 'https://a.example/x', 'HTTPS://A.EXAMPLE', 'a.example', 'https://a.example:443'])('refuses origin %s', (o) => {
    expect(() => checkSerializedOrigin(o)).toThrow(/origin/);
  });
  it('accepts serialised origins', () => {
    expect(checkSerializedOrigin('https://a.example:8443')).toBe('https://a.example:8443');
  });
  it.each(['short', 'x'.repeat(43), `${'A'.repeat(44)}$`, 'A'.repeat(513)])('refuses nonce %s', (n) => {
    expect(() => checkChallengeNonce(n)).toThrow();
  });
});

describe('createAuthToken', () => {
  it('builds a token whose signature a relying party verifies (ES384, raw r‖s)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const { der } = selfSigned('p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384']);
    let seen: Uint8Array | undefined;
    const token = await createAuthToken({
      origin: 'https://rp.example',
      challengeNonce: NONCE,
      certificate: der,
      appVersion: 'https://signet.invalid/releases/v1',
      // A software card: sign the signed value (the digest passed = its hash) with the test key.
      signDigest: async (digest, scheme) => {
        seen = digest;
        expect(scheme).toEqual({ kind: 'ecdsa', hash: 'sha384', format: 'raw' });
        return sign('sha384', authTokenSignedValue('https://rp.example', NONCE, 'sha384'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      },
    });
    expect(Buffer.from(seen!)).toEqual(createHash('sha384').update(authTokenSignedValue('https://rp.example', NONCE, 'sha384')).digest());
    expect(token).toMatchObject({ format: 'web-eid:1.0', algorithm: 'ES384', unverifiedCertificate: der.toString('base64'), appVersion: 'https://signet.invalid/releases/v1' });
    const sig = Buffer.from(token.signature, 'base64');
    expect(sig).toHaveLength(96);
    expect(verify('sha384', authTokenSignedValue('https://rp.example', NONCE, 'sha384'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
  });

  it('refuses a bad origin before signing', async () => {
    let called = false;
    await expect(
      createAuthToken({ origin: 'https://rp.example/', challengeNonce: NONCE, certificate: Buffer.alloc(1), appVersion: 'x', signDigest: async () => ((called = true), new Uint8Array()) }),
    ).rejects.toThrow();
    expect(called).toBe(false);
  });
});
