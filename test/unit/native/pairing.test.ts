import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pairCertificates } from '../../../native/pairing';
import type { RawKeyObject, TokenObjects } from '../../../native/protocol';
import type { TokenInfo } from '../../../native/types';
import { X509Certificate } from 'node:crypto';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-pair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cert(alg: string, name: string): { der: Uint8Array; jwk: Record<string, string> } {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.der`);
  execFileSync('openssl', ['genpkey', ...alg.split(' '), '-out', key], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', `/CN=${name}`, '-days', '1', '-outform', 'DER', '-out', crt], { stdio: 'ignore' });
  const der = new Uint8Array(readFileSync(crt));
  return { der, jwk: new X509Certificate(der).publicKey.export({ format: 'jwk' }) as Record<string, string> };
}

const b64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
const token = (loginRequired: boolean): TokenInfo => ({
  uri: 'pkcs11:model=X;manufacturer=M;serial=42;token=T',
  module: '/m.so',
  slotId: '1',
  label: 'T',
  manufacturer: 'M',
  model: 'X',
  serial: '42',
  flags: { loginRequired, protectedAuthPath: false, pinCountLow: false, pinFinalTry: false, pinLocked: false, pinToBeChanged: false, tokenInitialized: true },
  minPinLength: 4,
  maxPinLength: 8,
  mechanisms: [],
});

describe('certificate ↔ key pairing', () => {
  const rsa = cert('-algorithm RSA -pkeyopt rsa_keygen_bits:2048', 'rsa');
  const ec = cert('-algorithm EC -pkeyopt ec_paramgen_curve:P-256', 'ec');
  const ecPoint = (): Uint8Array => {
    const x = b64u(ec.jwk.x!);
    const y = b64u(ec.jwk.y!);
    // CKA_EC_POINT: DER OCTET STRING around the uncompressed point (04 || x || y).
    return Uint8Array.from([0x04, 65, 0x04, ...x, ...y]);
  };

  it('pairs by CKA_ID first, carries CKA_ALWAYS_AUTHENTICATE', () => {
    const keys: RawKeyObject[] = [{ class: 'private', id: '01', label: 'k', keyType: 'RSA', alwaysAuthenticate: true }];
    const [c] = pairCertificates({ token: token(true), loggedIn: true, certificates: [{ id: '01', label: 'c', value: rsa.der }], keys });
    expect(c).toMatchObject({ keyConfirmed: true, alwaysAuthenticate: true, id: '01' });
    expect(c!.keyUri).toBe('pkcs11:model=X;manufacturer=M;serial=42;token=T;id=%01;type=private');
  });

  it('falls back to the public key: RSA modulus on the private key, EC point via the public-key object', () => {
    const modulus = Uint8Array.from([0, ...b64u(rsa.jwk.n!)]);
    const objects: TokenObjects = {
      token: token(true),
      loggedIn: true,
      certificates: [
        { id: 'aa', label: 'rsa', value: rsa.der },
        { id: 'bb', label: 'ec', value: ec.der },
      ],
      keys: [
        { class: 'private', id: '07', label: 'rsa key', keyType: 'RSA', modulus, alwaysAuthenticate: false },
        { class: 'private', id: '09', label: 'ec key', keyType: 'EC', alwaysAuthenticate: false },
        { class: 'public', id: '09', label: 'ec pub', keyType: 'EC', ecPoint: ecPoint(), alwaysAuthenticate: false },
      ],
    };
    const [r, e] = pairCertificates(objects);
    expect(r!.keyUri).toContain('id=%07;type=private');
    expect(e!.keyUri).toContain('id=%09;type=private');
  });

  it('offers the key by CKA_ID, unconfirmed, while the token may hide it (not logged in); none after login', () => {
    const before = pairCertificates({ token: token(true), loggedIn: false, certificates: [{ id: '03', label: 'c', value: ec.der }], keys: [] });
    expect(before[0]).toMatchObject({ keyConfirmed: false, alwaysAuthenticate: null, keyUri: 'pkcs11:model=X;manufacturer=M;serial=42;token=T;id=%03;type=private' });
    const after = pairCertificates({ token: token(true), loggedIn: true, certificates: [{ id: '03', label: 'c', value: ec.der }], keys: [] });
    expect(after[0]!.keyUri).toBeUndefined();
    const noLogin = pairCertificates({ token: token(false), loggedIn: false, certificates: [{ id: '03', label: 'c', value: ec.der }], keys: [] });
    expect(noLogin[0]!.keyUri).toBeUndefined();
  });
});
