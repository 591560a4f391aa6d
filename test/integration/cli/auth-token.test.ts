/**
 * `signet auth-token` as a real child process: a Web eID `web-eid:1.0` token whose signature
 * covers hash(origin) ‖ hash(nonce), checked here with node:crypto and openssl (the signed value
 * is rebuilt independently in the test); authentication keys only; bad input refused before any
 * PIN is asked.
 */
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { opensslVerify } from '../native/helpers';
import { runCli, signetEnv } from './run-cli';

let rig: Rig;
let env: Record<string, string>;
let mod: string[];

beforeAll(async () => {
  rig = await provisionRig();
  env = { ...signetEnv(path.join(rig.dir, 'cli')), ...rig.env };
  mod = ['--module', rig.module];
});
afterAll(async () => {
  await rig?.cleanup();
});

const NONCE = Buffer.from('a 32-byte challenge from the srv!').toString('base64'); // 44 chars
const ORIGIN = 'https://portal.example:8443';
const signedValue = (hash: 'sha256' | 'sha384', origin: string, nonce: string): Buffer =>
  Buffer.concat([createHash(hash).update(origin).digest(), createHash(hash).update(nonce).digest()]);

interface AuthToken {
  unverifiedCertificate: string;
  algorithm: string;
  signature: string;
  format: string;
  appVersion: string;
}

describe('signet auth-token', () => {
  it('P-256 authentication key: ES256 token, raw r‖s over hash(origin) ‖ hash(nonce)', async () => {
    const key = rig.key('auth-p256');
    const r = await runCli(['auth-token', '--json', ...mod, '--key', key.keyUri, '--origin', ORIGIN, '--nonce', NONCE, '--pin-stdin'], { env, input: '123456\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const token = r.json as AuthToken;
    expect(Object.keys(token).sort()).toEqual(['algorithm', 'appVersion', 'format', 'signature', 'unverifiedCertificate']);
    expect(token).toMatchObject({ format: 'web-eid:1.0', algorithm: 'ES256' });
    expect(token.appVersion).toMatch(/^https:\/\/.+\/v\d+\.\d+\.\d+/);
    const cert = new X509Certificate(Buffer.from(token.unverifiedCertificate, 'base64'));
    expect(cert.fingerprint256).toBe(new X509Certificate(key.certPem).fingerprint256);
    const sig = Buffer.from(token.signature, 'base64');
    expect(sig).toHaveLength(64); // raw r‖s, not DER
    const pub = createPublicKey(key.publicKeyPem);
    expect(verify('sha256', signedValue('sha256', ORIGIN, NONCE), { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    // Bound to the origin and the nonce: another origin or nonce does not verify.
    expect(verify('sha256', signedValue('sha256', 'https://evil.example', NONCE), { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
    expect(verify('sha256', signedValue('sha256', ORIGIN, NONCE.replace(/^./, 'B')), { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
  });

  it('RSA authentication key: RS256 by default, PS256 with --pss (openssl dgst -verify)', async () => {
    const key = rig.key('auth-rsa2048');
    for (const pss of [false, true]) {
      const r = await runCli(['auth-token', '--json', ...mod, '--key', key.keyUri, '--origin', ORIGIN, '--nonce', NONCE, '--pin-stdin', ...(pss ? ['--pss'] : [])], { env, input: '123456\n' });
      expect(r.code, r.stderr).toBe(0);
      const token = r.json as AuthToken;
      expect(token.algorithm).toBe(pss ? 'PS256' : 'RS256');
      const ok = opensslVerify({ publicKeyPem: key.publicKeyPem, data: signedValue('sha256', ORIGIN, NONCE), signature: Buffer.from(token.signature, 'base64'), hash: 'sha256', pss });
      expect(ok).toBe(true);
    }
  });

  it('a signing key never answers a challenge: KEY_PURPOSE_MISMATCH before any PIN is read', async () => {
    const r = await runCli(['auth-token', '--json', ...mod, '--key', rig.key('sign-p256').keyUri, '--origin', ORIGIN, '--nonce', NONCE, '--pin-stdin'], { env, input: '' });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'KEY_PURPOSE_MISMATCH' } });
  });

  it('a digitalSignature + nonRepudiation certificate without EKU: refused for a login (rule named), accepted for a document', async () => {
    await rig.addToken({ label: 'NR DS', pin: '123456', keys: [{ name: 'nr-ds-p256', keyType: 'EC', curve: 'P-256', purpose: 'signing-ds' }] });
    const key = rig.key('nr-ds-p256');
    const r = await runCli(['auth-token', '--json', ...mod, '--key', key.keyUri, '--origin', ORIGIN, '--nonce', NONCE, '--pin-stdin'], { env, input: '123456\n' });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'KEY_PURPOSE_MISMATCH', details: { purpose: 'authentication', rule: 'non-repudiation-key' } } });
    const doc = path.join(rig.dir, 'nr-ds.txt');
    writeFileSync(doc, 'a document');
    const s = await runCli(['sign', '--json', ...mod, doc, '--key', key.keyUri, '--format', 'cades', '--pin-stdin'], { env, input: '123456\n' });
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    // openssl checks the detached CMS over the file and the chain to the rig's CA.
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${doc}.p7s`, '-content', doc, '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
  });

  it('refuses a page instead of an origin, and a short nonce (exit 2)', async () => {
    const key = rig.key('auth-p256').keyUri;
    const page = await runCli(['auth-token', '--json', ...mod, '--key', key, '--origin', 'https://portal.example/login', '--nonce', NONCE, '--pin-stdin'], { env, input: '123456\n' });
    expect(page.code).toBe(2);
    expect(page.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('https://portal.example') } });
    const short = await runCli(['auth-token', '--json', ...mod, '--key', key, '--origin', ORIGIN, '--nonce', 'c2hvcnQ=', '--pin-stdin'], { env, input: '123456\n' });
    expect(short.code).toBe(2);
    expect(short.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('a wrong PIN is exit 3 with PIN_INCORRECT, and nothing is printed as a token', async () => {
    const r = await runCli(['auth-token', '--json', ...mod, '--key', rig.key('auth-p256').keyUri, '--origin', ORIGIN, '--nonce', NONCE, '--pin-stdin'], { env, input: '000000\n' });
    expect(r.code).toBe(3);
    expect(r.json).toMatchObject({ error: { code: 'PIN_INCORRECT' } });
  });
});
