/**
 * The demo's reusable verifier (demo/web/verifier) against signatures made by openssl (CMS) and
 * by core's Web eID code with fixture keys — valid ones pass, changed content, wrong origin,
 * other CA, other nonce fail.
 */
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthToken } from '../../../electron/core/formats/webeid';
import { NonceStore, parsePemBundle, verifyAuthToken, verifyDetachedCms, verifyPdf } from '../../../demo/web/verifier';
import { makePki, type Pki } from '../../integration/web-api/fixtures';

let pki: Pki;
let other: Pki;
beforeAll(() => {
  pki = makePki();
  other = makePki();
});
afterAll(() => {
  pki.cleanup();
  other.cleanup();
});

function cmsSign(keyName: string, content: Buffer): Buffer {
  const k = pki.keys[keyName]!;
  const f = path.join(pki.dir, `c-${keyName}.bin`);
  writeFileSync(f, content);
  return execFileSync('openssl', ['cms', '-sign', '-binary', '-outform', 'DER', '-signer', k.certPath, '-inkey', k.keyPath, '-in', f, '-md', 'sha256']);
}

describe('verifyDetachedCms', () => {
  it.each(['sign-rsa', 'sign-ec'])('accepts an openssl CMS by %s and rejects changed content or another CA', (name) => {
    const content = Buffer.from('form data');
    const cms = cmsSign(name, content);
    const anchors = parsePemBundle(pki.caPem);
    const ok = verifyDetachedCms(cms, content, anchors);
    expect(ok.errors).toEqual([]);
    expect(ok.valid).toBe(true);
    expect(ok.signer?.subject).toContain(`CN=${name}`);
    const changed = verifyDetachedCms(cms, Buffer.from('form datA'), anchors);
    expect(changed.valid).toBe(false);
    expect(changed.errors.join()).toMatch(/does not match/);
    const otherCa = verifyDetachedCms(cms, content, parsePemBundle(other.caPem));
    expect(otherCa.valid).toBe(false);
    expect(otherCa.integrity).toBe(true);
    expect(otherCa.chain.trusted).toBe(false);
  });
  it('refuses garbage', () => {
    expect(verifyDetachedCms(Buffer.from('nope'), Buffer.alloc(0), []).valid).toBe(false);
  });
});

describe('verifyPdf', () => {
  /** A one-page PDF with a signature dictionary whose /Contents is signed over its /ByteRange. */
  function signedPdf(keyName: string): Buffer {
    const placeholder = '0'.repeat(8192);
    const head = `%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n3 0 obj << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 BBBBBBBBBB CCCCCCCCCC DDDDDDDDDD] /Contents <`;
    const tail = `> >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
    let text = head + placeholder + tail;
    const b = head.length - 1;
    const c = b + placeholder.length + 2;
    const d = text.length - c;
    text = text.replace('BBBBBBBBBB', String(b).padEnd(10)).replace('CCCCCCCCCC', String(c).padEnd(10)).replace('DDDDDDDDDD', String(d).padEnd(10));
    const buf = Buffer.from(text, 'latin1');
    const cms = cmsSign(keyName, Buffer.concat([buf.subarray(0, b), buf.subarray(c, c + d)]));
    const hex = cms.toString('hex').padEnd(placeholder.length, '0');
    buf.write(hex, b + 1, 'latin1');
    return buf;
  }

  it('accepts a signed PDF and rejects a changed or extended one', () => {
    const pdf = signedPdf('sign-rsa');
    const anchors = parsePemBundle(pki.caPem);
    const r = verifyPdf(pdf, anchors);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.signatures[0]?.subFilter).toBe('ETSI.CAdES.detached');
    const changed = Buffer.from(pdf);
    changed[20] = changed[20]! ^ 1;
    expect(verifyPdf(changed, anchors).valid).toBe(false);
    const appended = Buffer.concat([pdf, Buffer.from('1 0 obj << /Evil true >> endobj\n')]);
    const a = verifyPdf(appended, anchors);
    expect(a.valid).toBe(false);
    expect(a.errors.join()).toMatch(/changed after the last signature/);
    expect(verifyPdf(Buffer.from('%PDF-1.7\n%%EOF'), anchors).errors).toEqual(['the PDF has no signature']);
  });
});

describe('verifyAuthToken', () => {
  async function token(keyName: string, origin: string, nonce: string): Promise<unknown> {
    const k = pki.keys[keyName]!;
    const key = createPrivateKey(readFileSync(k.keyPath));
    return createAuthToken({
      origin,
      challengeNonce: nonce,
      certificate: k.certDer,
      appVersion: 'https://signet.invalid/releases/v0',
      // Software card: sign the same value node's verify rebuilds (the digest is its hash).
      signDigest: async (_digest, scheme) => {
        const hash = scheme.hash;
        const signed = Buffer.concat([createHash(hash).update(origin).digest(), createHash(hash).update(nonce).digest()]);
        return sign(hash, signed, k.keyType === 'EC' ? { key, dsaEncoding: 'ieee-p1363' } : key);
      },
    });
  }

  it.each(['auth-ec', 'auth-rsa'])('accepts a token from %s for our origin and nonce only', async (name) => {
    const store = new NonceStore();
    const nonce = store.issue('session-1');
    const t = await token(name, 'https://demo.example', nonce);
    const anchors = parsePemBundle(pki.caPem);
    const ok = verifyAuthToken(t, { expectedOrigin: 'https://demo.example', challengeNonce: nonce, anchors });
    expect(ok.errors).toEqual([]);
    expect(ok.valid).toBe(true);
    expect(ok.subject).toContain(`CN=${name}`);
    expect(verifyAuthToken(t, { expectedOrigin: 'https://evil.example', challengeNonce: nonce, anchors }).valid).toBe(false);
    expect(verifyAuthToken(t, { expectedOrigin: 'https://demo.example', challengeNonce: store.issue('s2'), anchors }).valid).toBe(false);
    expect(verifyAuthToken(t, { expectedOrigin: 'https://demo.example', challengeNonce: nonce, anchors: parsePemBundle(other.caPem) }).valid).toBe(false);
    expect(store.take('session-1')).toBe(nonce);
    expect(store.take('session-1')).toBeUndefined();
  });

  it('refuses a signing-only certificate and malformed tokens', async () => {
    const nonce = new NonceStore().issue('s');
    const t = await token('sign-ec', 'https://demo.example', nonce);
    const v = verifyAuthToken(t, { expectedOrigin: 'https://demo.example', challengeNonce: nonce, anchors: parsePemBundle(pki.caPem) });
    expect(v.valid).toBe(false);
    for (const bad of [null, 'x', { format: 'web-eid:2.0' }, { ...(t as object), algorithm: 'HS256' }, { ...(t as object), unverifiedCertificate: 'AAAA' }]) {
      expect(verifyAuthToken(bad, { expectedOrigin: 'https://demo.example', challengeNonce: nonce, anchors: [] }).valid).toBe(false);
    }
    expect(new X509Certificate(pki.keys['sign-ec']!.certDer).keyUsage).toBeUndefined();
  });
});
