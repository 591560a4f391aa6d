/**
 * The routes' happy paths and concurrency, with every signature checked independently
 * (node:crypto verify for raw signatures and Web eID tokens, `openssl cms -verify` for CAdES).
 */
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebApi, type WebApiHandle } from '../../../electron/web-api/server';
import { MemoryOriginStore } from '../../../electron/web-api/origins';
import type { AuthenticateResponse, CertificateResponse, SignResponse } from '../../../electron/web-api/protocol';
import { makePki, SoftwareServices, type Pki } from './fixtures';
import { approveAll, autoConsent, errorOf, postDocument, request } from './client';

const ORIGIN = 'https://portal.example:8443';
const NONCE = Buffer.alloc(32, 9).toString('base64');
let pki: Pki;
let api: WebApiHandle;
let services: SoftwareServices;

beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.cleanup());
afterEach(async () => api?.close());

async function start(origins: string[] = [ORIGIN], pick?: string): Promise<void> {
  services = new SoftwareServices(pki);
  api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore(origins), rateLimit: { burst: 1000, perSecond: 1000 } });
  autoConsent(api, approveAll(pick ? (v) => v.candidates?.find((c) => c.label === pick)?.uri : undefined));
}

describe('/v1/certificate → /v1/sign', () => {
  it.each(['sign-rsa', 'sign-ec'])('signs a server-made digest with %s, verifiable with the returned certificate', async (name) => {
    await start([ORIGIN], name);
    const c = await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: ORIGIN } });
    expect(c.status).toBe(200);
    const cert = c.json as CertificateResponse;
    expect(cert.certificate).toBe(pki.keys[name]!.view.certificate);
    expect(cert.supportedSignatureAlgorithms.length).toBeGreaterThan(0);

    const tbs = Buffer.from('to-be-signed data made by the web server');
    const hash = createHash('sha384').update(tbs).digest();
    const s = await request(api.port, { path: '/v1/sign', body: { hash: hash.toString('base64'), hashAlgorithm: 'SHA-384', certificate: cert.certificate }, headers: { origin: ORIGIN } });
    expect(s.status).toBe(200);
    const sig = s.json as SignResponse;
    const pub = new X509Certificate(Buffer.from(cert.certificate, 'base64')).publicKey;
    const ok = verify('sha384', tbs, name === 'sign-ec' ? { key: pub, dsaEncoding: 'ieee-p1363' } : pub, Buffer.from(sig.signature, 'base64'));
    expect(ok).toBe(true);
    expect(sig.signatureAlgorithm).toEqual(name === 'sign-ec' ? { cryptoAlgorithm: 'ECC', hashFunction: 'SHA-384', paddingScheme: 'NONE' } : { cryptoAlgorithm: 'RSA', hashFunction: 'SHA-384', paddingScheme: 'PKCS1.5' });
    // And with openssl, as another tool would.
    const dir = pki.dir;
    writeFileSync(path.join(dir, 'tbs.bin'), tbs);
    if (name === 'sign-rsa') {
      writeFileSync(path.join(dir, 'sig.bin'), Buffer.from(sig.signature, 'base64'));
      execFileSync('openssl', ['x509', '-in', pki.keys[name]!.certPath, '-pubkey', '-noout', '-out', path.join(dir, 'pub.pem')]);
      const out = execFileSync('openssl', ['dgst', '-sha384', '-verify', path.join(dir, 'pub.pem'), '-signature', path.join(dir, 'sig.bin'), path.join(dir, 'tbs.bin')]).toString();
      expect(out).toContain('Verified OK');
    }
  });

  it('shows the user the hash in hex and the fixed certificate', async () => {
    await start();
    const views = autoConsent(api, () => undefined);
    const hash = createHash('sha256').update('x').digest();
    await request(api.port, { path: '/v1/sign', body: { hash: hash.toString('base64'), hashAlgorithm: 'SHA-256', certificate: pki.keys['sign-rsa']!.view.certificate }, headers: { origin: ORIGIN } });
    const v = views.find((x) => x.operation === 'sign-hash');
    expect(v?.hash).toEqual({ algorithm: 'sha256', hex: hash.toString('hex') });
    expect(v?.certificate?.displayName).toBe('sign-rsa');
    expect(v?.origin).toBe(ORIGIN);
    expect(v?.originParts.port).toBe('8443');
  });

  it('does not sign when the user declines', async () => {
    services = new SoftwareServices(pki);
    api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore([ORIGIN]) });
    autoConsent(api, () => ({ approve: false }));
    const r = await request(api.port, { path: '/v1/sign', body: { hash: Buffer.alloc(32).toString('base64'), hashAlgorithm: 'SHA-256', certificate: pki.keys['sign-rsa']!.view.certificate }, headers: { origin: ORIGIN } });
    expect(r.status).toBe(403);
    expect(errorOf(r).code).toBe('CONSENT_DENIED');
    expect(services.calls).toHaveLength(0);
  });
});

describe('/v1/authenticate', () => {
  it.each([
    ['auth-ec', 'ES256'],
    ['auth-rsa', 'RS256'],
  ])('returns a web-eid:1.0 token from %s bound to the Origin header', async (name, algorithm) => {
    await start([ORIGIN], name);
    const r = await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ORIGIN } });
    expect(r.status).toBe(200);
    const token = r.json as AuthenticateResponse;
    expect(token).toMatchObject({ format: 'web-eid:1.0', algorithm, unverifiedCertificate: pki.keys[name]!.view.certificate });
    expect(token.appVersion).toMatch(/^https:\/\/.*0\.1\.0-test/);
    // Reconstruct the signed value as a relying party does: hash(origin) ‖ hash(nonce).
    const signed = (origin: string): Buffer => Buffer.concat([createHash('sha256').update(origin).digest(), createHash('sha256').update(NONCE).digest()]);
    const pub = createPublicKey(new X509Certificate(Buffer.from(token.unverifiedCertificate, 'base64')).publicKey.export({ format: 'pem', type: 'spki' }));
    const key = name === 'auth-ec' ? { key: pub, dsaEncoding: 'ieee-p1363' as const } : pub;
    const sig = Buffer.from(token.signature, 'base64');
    if (name === 'auth-ec') expect(sig).toHaveLength(64);
    expect(verify('sha256', signed(ORIGIN), key, sig)).toBe(true);
    expect(verify('sha256', signed('https://evil.example'), key, sig)).toBe(false);
  });
});

describe('/v1/sign-document', () => {
  it('returns a detached CAdES signature that openssl verifies against the CA', async () => {
    await start([ORIGIN], 'sign-rsa');
    const content = Buffer.from('Application form\nName: Mari Maasikas\n');
    const r = await postDocument(api.port, ORIGIN, 'form.txt', content, 'cades');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pkcs7-signature');
    expect(r.headers['signet-name']).toBe('form.txt.p7s');
    expect(r.headers['signet-format']).toBe('cades');
    expect(r.headers['signet-certificate']).toBe(pki.keys['sign-rsa']!.view.certificate);
    expect(r.headers['access-control-expose-headers']).toContain('Signet-Certificate');
    writeFileSync(path.join(pki.dir, 'form.txt'), content);
    writeFileSync(path.join(pki.dir, 'form.p7s'), r.body);
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pki.dir, 'form.p7s'), '-content', path.join(pki.dir, 'form.txt'), '-CAfile', pki.caPath, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
    writeFileSync(path.join(pki.dir, 'form.txt'), Buffer.from('Application form\nName: Someone Else\n'));
    expect(() => execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pki.dir, 'form.p7s'), '-content', path.join(pki.dir, 'form.txt'), '-CAfile', pki.caPath, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' })).toThrow();
  });

  it('shows name, size, SHA-256 and a text preview', async () => {
    await start();
    const views = autoConsent(api, () => undefined);
    const content = Buffer.from('hello form');
    void postDocument(api.port, ORIGIN, 'f.txt', content, 'cades').catch(() => undefined);
    await expect.poll(() => views.length).toBe(1);
    expect(views[0]!.document).toEqual({ name: 'f.txt', size: 10, format: 'cades', sha256: createHash('sha256').update(content).digest('hex'), previewText: 'hello form', previewBytes: 10 });
    api.consent.cancelAll();
  });

  it('refuses PAdES for something that is not a PDF', async () => {
    await start();
    const r = await postDocument(api.port, ORIGIN, 'f.pdf', Buffer.from('hello'), 'pades');
    expect(errorOf(r)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(errorOf(r).message).toContain('PDF');
  });
});

describe('concurrency', () => {
  it('100 parallel sign requests from one allowed origin: each answered or refused, none mixed up, no crash', async () => {
    await start([ORIGIN], 'sign-rsa');
    const cert = pki.keys['sign-rsa']!;
    const pub = new X509Certificate(cert.certDer).publicKey;
    const inputs = Array.from({ length: 100 }, (_, i) => createHash('sha256').update(`document ${i}`).digest());
    const replies = await Promise.all(
      inputs.map((h) => request(api.port, { path: '/v1/sign', body: { hash: h.toString('base64'), hashAlgorithm: 'SHA-256', certificate: cert.view.certificate }, headers: { origin: ORIGIN } })),
    );
    let signed = 0;
    replies.forEach((r, i) => {
      if (r.status === 200) {
        signed++;
        const sig = Buffer.from((r.json as SignResponse).signature, 'base64');
        expect(verify('sha256', Buffer.from(`document ${i}`), pub, sig)).toBe(true);
      } else {
        expect(r.status).toBe(409);
        expect(errorOf(r).details).toMatchObject({ reason: 'consent-pending' });
      }
    });
    expect(signed).toBeGreaterThanOrEqual(1);
    expect(services.calls.length).toBe(signed);
    // Still serving.
    expect((await request(api.port, { path: '/v1/status', headers: { origin: ORIGIN } })).status).toBe(200);
  });

  it('100 parallel sign requests from 10 allowed origins: the answered ones carry their own signature', async () => {
    const origins = Array.from({ length: 10 }, (_, i) => `https://site${i}.example`);
    await start(origins, 'sign-ec');
    const cert = pki.keys['sign-ec']!;
    const pub = new X509Certificate(cert.certDer).publicKey;
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request(api.port, {
          path: '/v1/sign',
          body: { hash: createHash('sha256').update(`doc ${i}`).digest('base64'), hashAlgorithm: 'SHA-256', certificate: cert.view.certificate },
          headers: { origin: origins[i % 10]! },
        }),
      ),
    );
    let signed = 0;
    replies.forEach((r, i) => {
      if (r.status === 200) {
        signed++;
        expect(verify('sha256', Buffer.from(`doc ${i}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from((r.json as SignResponse).signature, 'base64'))).toBe(true);
      } else expect([409, 503]).toContain(r.status);
    });
    expect(signed).toBeGreaterThanOrEqual(10);
  });
});
