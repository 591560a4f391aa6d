import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chooseMechanism, digestInfo, ecdsaDerToRaw, ecdsaRawToDer, checkDigest } from '../../../native/mechanisms';

// RFC 8017 §9.2, note 1: the DER prefixes of DigestInfo (copied from the RFC, not computed).
const RFC8017_PREFIX = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
} as const;

describe('mechanism helpers', () => {
  it('DigestInfo matches RFC 8017 §9.2 note 1 for SHA-256/384/512', () => {
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      const d = createHash(hash).update('x').digest();
      expect(Buffer.from(digestInfo(hash, d)).toString('hex')).toBe(RFC8017_PREFIX[hash] + d.toString('hex'));
    }
  });

  it('rejects digests of the wrong length', () => {
    expect(() => checkDigest(new Uint8Array(31), 'sha256')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => digestInfo('sha384', new Uint8Array(32))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('ECDSA r||s → DER verifies with node:crypto, and back', () => {
    for (const curve of ['P-256', 'P-384', 'P-521']) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      for (let i = 0; i < 20; i++) {
        const data = Buffer.from(`message ${i}`);
        const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const der = ecdsaRawToDer(raw);
        expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
        expect(Buffer.from(ecdsaDerToRaw(der, raw.length / 2)).equals(raw)).toBe(true);
      }
    }
  });

  it('chooses mechanisms from what the token advertises', () => {
    const digest = new Uint8Array(32);
    const all = ['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS', 'CKM_ECDSA'];
    expect(chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest, advertised: all }).mechanism).toEqual({ name: 'CKM_RSA_PKCS' });
    expect(chooseMechanism({ keyType: 'RSA', hash: 'sha384', digest: new Uint8Array(48), advertised: all, preferred: 'pss' }).mechanism).toEqual({
      name: 'CKM_RSA_PKCS_PSS',
      hash: 'sha384',
      saltLength: 48,
    });
    // Only PSS on the token: chosen when no scheme was asked for.
    expect(chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest, advertised: ['CKM_RSA_PKCS_PSS'] }).scheme.kind).toBe('pss');
    expect(chooseMechanism({ keyType: 'EC', hash: 'sha256', digest, advertised: all }).scheme).toEqual({ kind: 'ecdsa', hash: 'sha256', format: 'der' });
    // Asked-for scheme the token lacks: MECHANISM_UNSUPPORTED, not a fallback.
    expect(() => chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest, advertised: ['CKM_RSA_PKCS'], preferred: 'pss' })).toThrowError(
      expect.objectContaining({ code: 'MECHANISM_UNSUPPORTED' }),
    );
    expect(() => chooseMechanism({ keyType: 'EC', hash: 'sha256', digest, advertised: ['CKM_RSA_PKCS'] })).toThrowError(expect.objectContaining({ code: 'MECHANISM_UNSUPPORTED' }));
    // Hash-and-sign mechanisms are never used for digests.
    expect(() => chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest, advertised: ['CKM_SHA256_RSA_PKCS'] })).toThrowError(expect.objectContaining({ code: 'MECHANISM_UNSUPPORTED' }));
    expect(() => chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest, advertised: all, preferred: 'ecdsa' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => chooseMechanism({ keyType: 'other', hash: 'sha256', digest, advertised: all })).toThrowError(expect.objectContaining({ code: 'MECHANISM_UNSUPPORTED' }));
  });
});
