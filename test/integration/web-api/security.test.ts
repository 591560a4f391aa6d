/**
 * Every security rule of the loopback API (issue 5 §2), against the real server on an ephemeral
 * port. Each test asserts both what the page gets and what did NOT happen (no prompt, no
 * signature, no CORS header).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebApi, type WebApiHandle, type StartWebApiOptions } from '../../../electron/web-api/server';
import { MemoryOriginStore } from '../../../electron/web-api/origins';
import { makePki, SoftwareServices, type Pki } from './fixtures';
import { approveAll, autoConsent, errorOf, postDocument, rawRequest, request, type Responder } from './client';
import type { ConsentRequestView } from '../../../electron/api';

const ALLOWED = 'https://portal.example';
const NONCE = 'q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C='; // 44 chars
let pki: Pki;
let api: WebApiHandle | undefined;
let services: SoftwareServices;

beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.cleanup());
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(opts: Partial<StartWebApiOptions> = {}, responder?: Responder): Promise<{ api: WebApiHandle; views: ConsentRequestView[] }> {
  services = new SoftwareServices(pki);
  api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore([ALLOWED]), ...opts });
  const views = responder ? autoConsent(api, responder) : [];
  return { api, views };
}

const sha256Hash = Buffer.alloc(32, 7).toString('base64');

describe('Origin', () => {
  it('refuses a request without Origin, before any route or prompt', async () => {
    const { api, views } = await start({}, approveAll());
    const r = await request(api.port, { path: '/v1/status' });
    expect(r.status).toBe(403);
    expect(errorOf(r)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', details: { reason: 'origin-missing' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(views).toHaveLength(0);
  });

  it.each([
    ['http://evil.example', 'origin-insecure'],
    ['http://localhost:8080', 'origin-insecure'],
    ['null', 'origin-malformed'],
    ['https://portal.example/', 'origin-malformed'],
    ['https://portal.example/path', 'origin-malformed'],
    ['HTTPS://PORTAL.EXAMPLE', 'origin-malformed'],
    ['https://portal.example:443', 'origin-malformed'],
    ['file://', 'origin-malformed'],
    ['chrome-extension://abcdef', 'origin-malformed'],
    ['ftp://portal.example', 'origin-insecure'],
    ['not an origin', 'origin-malformed'],
  ])('refuses Origin %s (%s)', async (origin, reason) => {
    const { api, views } = await start({}, approveAll());
    const r = await request(api.port, { path: '/v1/status', headers: { origin } });
    expect(r.status).toBe(403);
    expect(errorOf(r)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', details: { reason } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(views).toHaveLength(0);
  });

  it('refuses two Origin headers', async () => {
    const { api } = await start();
    const text = await rawRequest(api.port, `GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:${api.port}\r\nOrigin: ${ALLOWED}\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 403/);
    expect(text).toContain('origin-malformed');
    expect(text.toLowerCase()).not.toContain('access-control-allow-origin');
  });

  it('accepts http://localhost and http://127.0.0.1 only with the developer setting', async () => {
    let dev = false;
    const { api } = await start({ settings: () => ({ allowHttpLocalhost: dev }), origins: new MemoryOriginStore(['http://localhost:5173', 'http://127.0.0.1:5173', 'http://evil.example']) });
    expect((await request(api.port, { path: '/v1/status', headers: { origin: 'http://localhost:5173' } })).status).toBe(403);
    dev = true;
    const ok = await request(api.port, { path: '/v1/status', headers: { origin: 'http://localhost:5173' } });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect((await request(api.port, { path: '/v1/status', headers: { origin: 'http://127.0.0.1:5173' } })).status).toBe(200);
    // Even on the allow-list, plain http elsewhere stays refused.
    const evil = await request(api.port, { path: '/v1/status', headers: { origin: 'http://evil.example' } });
    expect(errorOf(evil)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', details: { reason: 'origin-insecure' } });
  });

  it('a first contact is one dialog; Deny answers CONSENT_DENIED and cools down the whole registrable domain', async () => {
    const { api, views } = await start({}, () => ({ approve: false }));
    const r = await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://unknown.example' } });
    expect(r.status).toBe(403);
    expect(errorOf(r).code).toBe('CONSENT_DENIED');
    expect(r.text).not.toContain(pki.keys['sign-rsa']!.view.certificate.slice(0, 40));
    expect(views.map((v) => [v.operation, v.origin, v.firstContact])).toEqual([['share-certificate', 'https://unknown.example', true]]);
    expect(views[0]!.originParts).toEqual({ scheme: 'https', host: 'unknown.example', unicodeHost: 'unknown.example', port: '443', isIdn: false });
    // A fresh subdomain of the same registrable domain is the same party: no new prompt.
    for (const origin of ['https://unknown.example', 'https://a1.unknown.example']) {
      const again = await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin } });
      expect(errorOf(again)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', details: { reason: 'origin-denied' } });
    }
    expect(views).toHaveLength(1);
    expect(services.calls).toHaveLength(0);
    // Another registrable domain is not affected.
    await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://other.example' } });
    expect(views).toHaveLength(2);
  });

  it('approving a first contact allows the site for the session, or for good with "remember"; revocable', async () => {
    const store = new MemoryOriginStore([]);
    const { api, views } = await start({ origins: store }, (v) => ({ approve: true, certUri: v.candidates![0]!.uri, remember: v.origin.includes('keep') }));
    const status = async (origin: string) => (await request(api.port, { path: '/v1/status', headers: { origin } })).json;
    expect(await status('https://once.example')).toEqual({ app: 'signet', apiVersion: 1, allowed: false });
    expect((await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://once.example' } })).status).toBe(200);
    expect((await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://keep.example' } })).status).toBe(200);
    expect(store.rememberedOrigins()).toEqual(['https://keep.example']);
    expect(await status('https://once.example')).toMatchObject({ allowed: true, tokenPresent: true });
    expect((await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://once.example' } })).status).toBe(200);
    expect(views.map((v) => v.firstContact === true)).toEqual([true, true, false]);
    // Revoke both: the next request is a first contact again.
    store.remembered.delete('https://keep.example');
    api.origins.revoke('https://once.example');
    await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://once.example' } });
    await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://keep.example' } });
    expect(views.slice(3).map((v) => v.firstContact)).toEqual([true, true]);
  });

  it('IDN origins are shown in punycode and Unicode', async () => {
    const { api, views } = await start({}, () => ({ approve: false }));
    await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://xn--pypal-4ve.example:8443' } });
    expect(views[0]!.originParts).toEqual({ scheme: 'https', host: 'xn--pypal-4ve.example', unicodeHost: 'pаypal.example', port: '8443', isIdn: true });
  });
});

describe('Host (DNS rebinding)', () => {
  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1', '127.0.0.1:1', 'localhost.evil.example:PORT', '[::1]:PORT', '127.0.0.2:PORT'])(
    'refuses Host %s',
    async (host) => {
      const { api, views } = await start({}, approveAll());
      const r = await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED, host: host.replace('PORT', String(api.port)) } });
      expect(r.status).toBe(403);
      expect(errorOf(r)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', details: { reason: 'host-invalid' } });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      expect(views).toHaveLength(0);
    },
  );

  it('accepts 127.0.0.1:PORT and localhost:PORT', async () => {
    const { api } = await start();
    for (const host of [`127.0.0.1:${api.port}`, `localhost:${api.port}`, `LOCALHOST:${api.port}`]) {
      expect((await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED, host } })).status).toBe(200);
    }
  });

  it('refuses a request with no Host or two Host headers', async () => {
    const { api } = await start();
    const none = await rawRequest(api.port, `GET /v1/status HTTP/1.0\r\nOrigin: ${ALLOWED}\r\n\r\n`);
    expect(none).toMatch(/^HTTP\/1\.1 (400|403)/);
    const two = await rawRequest(api.port, `GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:${api.port}\r\nHost: evil.example\r\nOrigin: ${ALLOWED}\r\nConnection: close\r\n\r\n`);
    expect(two).toMatch(/^HTTP\/1\.1 (400|403)/);
    expect(two).not.toContain('"tokenPresent"');
  });
});

describe('CORS and Private Network Access', () => {
  it('sends CORS headers to allowed origins only', async () => {
    const { api } = await start();
    const r = await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(r.headers['vary']).toContain('Origin');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('answers an allowed preflight, with PNA only when asked', async () => {
    const { api } = await start();
    const pre = { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };
    const a = await request(api.port, { method: 'OPTIONS', path: '/v1/sign', headers: pre });
    expect(a.status).toBe(204);
    expect(a.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(a.headers['access-control-allow-headers']).toBe('content-type');
    expect(a.headers['access-control-allow-private-network']).toBeUndefined();
    const b = await request(api.port, { method: 'OPTIONS', path: '/v1/sign', headers: { ...pre, 'access-control-request-private-network': 'true' } });
    expect(b.status).toBe(204);
    expect(b.headers['access-control-allow-private-network']).toBe('true');
  });

  it('answers a first contact’s preflight without prompting (the request itself is what the user sees)', async () => {
    const { api, views } = await start({}, () => ({ approve: false }));
    const r = await request(api.port, {
      method: 'OPTIONS',
      path: '/v1/sign',
      headers: { origin: 'https://new.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'access-control-request-private-network': 'true' },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('https://new.example');
    expect(r.headers['access-control-allow-private-network']).toBe('true');
    expect(views).toHaveLength(0);
  });

  it('gives no CORS headers to origins the gate refuses (http, bad Host)', async () => {
    const { api } = await start();
    const r = await request(api.port, { method: 'OPTIONS', path: '/v1/sign', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses preflights for other methods or headers', async () => {
    const { api } = await start();
    const put = await request(api.port, { method: 'OPTIONS', path: '/v1/sign', headers: { origin: ALLOWED, 'access-control-request-method': 'PUT' } });
    expect(put.status).toBe(405);
    const hdr = await request(api.port, { method: 'OPTIONS', path: '/v1/sign', headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-pin' } });
    expect(hdr.status).toBe(405);
    expect(hdr.headers['access-control-allow-headers']).toBeUndefined();
  });
});

describe('bodies and schemas', () => {
  it('refuses unknown paths and methods without prompting', async () => {
    const { api, views } = await start({ origins: new MemoryOriginStore([]) }, approveAll());
    expect((await request(api.port, { path: '/v1/pin', headers: { origin: 'https://new.example' } })).status).toBe(404);
    expect((await request(api.port, { path: '/v2/status', headers: { origin: 'https://new.example' } })).status).toBe(404);
    expect((await request(api.port, { method: 'DELETE', path: '/v1/status', headers: { origin: 'https://new.example' } })).status).toBe(405);
    expect((await request(api.port, { method: 'GET', path: '/v1/sign', headers: { origin: 'https://new.example' } })).status).toBe(405);
    expect(views).toHaveLength(0);
  });

  it('refuses non-JSON content types (no unpreflighted form posts)', async () => {
    const { api } = await start();
    const r = await request(api.port, { path: '/v1/authenticate', raw: JSON.stringify({ challengeNonce: NONCE }), headers: { origin: ALLOWED, 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
    expect(errorOf(r)).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'unsupported-media-type' } });
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('refuses malformed JSON', async () => {
    const { api } = await start();
    for (const raw of ['{', '{"hash":', 'null x', '\u0000']) {
      const r = await request(api.port, { path: '/v1/sign', raw, headers: { origin: ALLOWED, 'content-type': 'application/json' } });
      expect(r.status).toBe(400);
      expect(errorOf(r)).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'body-malformed' } });
    }
  });

  it('refuses oversized bodies, declared or streamed', async () => {
    const { api } = await start();
    const big = JSON.stringify({ challengeNonce: 'A'.repeat(70 * 1024) });
    const declared = await request(api.port, { path: '/v1/authenticate', raw: big, headers: { origin: ALLOWED, 'content-type': 'application/json' } });
    expect(declared.status).toBe(413);
    const streamed = await request(api.port, { path: '/v1/authenticate', raw: big, headers: { origin: ALLOWED, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    expect(errorOf(streamed).details).toMatchObject({ reason: 'body-too-large' });
  });

  it('applies the configured document size limit', async () => {
    const { api, views } = await start({ settings: () => ({ maxDocumentBytes: 1000 }) }, approveAll());
    const ok = await postDocument(api.port, ALLOWED, 'a.txt', Buffer.alloc(1000, 65), 'cades');
    expect(ok.status).toBe(200);
    const tooBig = await postDocument(api.port, ALLOWED, 'a.txt', Buffer.alloc(1001, 65), 'cades');
    expect(tooBig.status).toBe(413);
    expect(errorOf(tooBig)).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'body-too-large' } });
    expect(tooBig.headers['connection']).toBe('close');
    const wayTooBig = await postDocument(api.port, ALLOWED, 'a.txt', Buffer.alloc(2_000_000, 65), 'cades');
    expect(wayTooBig.status).toBe(413);
    // Chunked (no Content-Length): refused, the document must say its size.
    const chunked = await postDocument(api.port, ALLOWED, 'a.txt', Buffer.alloc(10, 65), 'cades', { headers: { 'transfer-encoding': 'chunked' } });
    expect(errorOf(chunked).details).toMatchObject({ reason: 'length-required' });
    // JSON (the old wire format) is refused before anything is read.
    const json = await request(api.port, { path: '/v1/sign-document?name=a.txt&format=cades', body: { contentBase64: 'QUFB' }, headers: { origin: ALLOWED } });
    expect(errorOf(json).details).toMatchObject({ reason: 'unsupported-media-type' });
    expect(views.filter((v) => v.operation === 'sign-document')).toHaveLength(1);
  });

  it.each([
    ['/v1/sign', { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: 'AAAA', origin: 'https://other.example' }, 'unknown field'],
    ['/v1/sign', { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: 'AAAA', pin: '123456' }, 'unknown field'],
    ['/v1/sign', { hash: sha256Hash, hashAlgorithm: 'MD5', certificate: 'AAAA' }, 'hashAlgorithm'],
    ['/v1/sign', { hash: 'not base64!', hashAlgorithm: 'SHA-256', certificate: 'AAAA' }, 'hash'],
    ['/v1/sign', { hash: sha256Hash, hashAlgorithm: 'SHA-256' }, 'certificate'],
    ['/v1/sign', [], 'body'],
    ['/v1/authenticate', { challengeNonce: 'c2hvcnQ=' }, 'challengeNonce'],
    ['/v1/authenticate', { challengeNonce: NONCE, origin: 'https://bank.example' }, 'unknown field'],
    ['/v1/authenticate', { challengeNonce: `${NONCE.slice(0, 40)}<>!!` }, 'challengeNonce'],
    ['/v1/certificate', { acceptableIssuers: 'CN=x' }, 'acceptableIssuers'],
    ['/v1/certificate', { pin: '1234' }, 'unknown field'],
    ['/v1/sign-document?name=..%2Fetc%2Fpasswd&format=cades', 'raw', 'name'],
    ['/v1/sign-document?name=a.pdf&format=xades', 'raw', 'format'],
    ['/v1/sign-document?name=a.pdf&format=cades&pin=1234', 'raw', 'unknown field'],
    ['/v1/sign-document?name=a.pdf&name=b.pdf&format=cades', 'raw', 'repeated'],
  ])('refuses %s %j (%s)', async (path, body, what) => {
    const { api, views } = await start({}, approveAll());
    const r =
      body === 'raw'
        ? await request(api.port, { path, raw: 'AAA', headers: { origin: ALLOWED, 'content-type': 'application/octet-stream' } })
        : await request(api.port, { path, body, headers: { origin: ALLOWED } });
    expect(r.status).toBe(400);
    const e = errorOf(r);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain(what);
    expect(views).toHaveLength(0);
    expect(services.calls).toHaveLength(0);
  });

  it('refuses a hash whose length does not match its algorithm', async () => {
    const { api, views } = await start({}, approveAll());
    const r = await request(api.port, { path: '/v1/sign', body: { hash: sha256Hash, hashAlgorithm: 'SHA-384', certificate: pki.keys['sign-rsa']!.view.certificate }, headers: { origin: ALLOWED } });
    expect(r.status).toBe(400);
    expect(errorOf(r).message).toMatch(/48 bytes.*32/);
    expect(views).toHaveLength(0);
  });
});

describe('key purposes', () => {
  it('never signs a page-chosen hash with an authentication key (nor a dual-purpose one)', async () => {
    const { api, views } = await start({}, approveAll());
    for (const name of ['auth-ec', 'auth-rsa', 'both-rsa']) {
      const r = await request(api.port, { path: '/v1/sign', body: { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: pki.keys[name]!.view.certificate }, headers: { origin: ALLOWED } });
      expect(r.status).toBe(422);
      expect(errorOf(r).code).toBe('KEY_PURPOSE_MISMATCH');
    }
    expect(views).toHaveLength(0);
    expect(services.calls).toHaveLength(0);
  });

  it('offers only authentication certificates for a challenge and only signing ones for documents and /certificate', async () => {
    const { api, views } = await start({}, approveAll());
    await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ALLOWED } });
    await postDocument(api.port, ALLOWED, 'a.txt', Buffer.from('AAA'), 'cades');
    await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: ALLOWED } });
    const labels = (op: string): string[] => (views.find((v) => v.operation === op)?.candidates ?? []).map((c) => c.label).sort();
    expect(labels('authenticate')).toEqual(['auth-ec', 'auth-rsa', 'both-rsa']);
    expect(labels('sign-document')).toEqual(['both-rsa', 'sign-ec', 'sign-rsa']);
    expect(labels('share-certificate')).toEqual(['both-rsa', 'sign-ec', 'sign-rsa']);
  });

  it('refuses a consent answer that picks a certificate that was not offered', async () => {
    const { api } = await start();
    const got = new Promise<ConsentRequestView>((resolve) => api.consent.once('request', resolve));
    const pending = request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ALLOWED } });
    const view = await got;
    const wrong = api.consent.respond(view.requestId, { approve: true, certUri: pki.keys['sign-rsa']!.view.uri });
    expect(wrong.ok).toBe(false);
    expect(api.consent.respond(view.requestId, { approve: false }).ok).toBe(true);
    expect(errorOf(await pending).code).toBe('CONSENT_DENIED');
    expect(services.calls).toHaveLength(0);
  });

  it('narrows /certificate by acceptableIssuers and says so when nothing fits', async () => {
    const { api, views } = await start({}, (v) => (v.candidates?.length ? { approve: true, certUri: v.candidates[0]!.uri } : { approve: false }));
    const fits = await request(api.port, { path: '/v1/certificate', body: { acceptableIssuers: ['cn=Fixture CA,o=Signet Fixture,c=EE'] }, headers: { origin: ALLOWED } });
    expect(fits.status).toBe(200);
    const none = await request(api.port, { path: '/v1/certificate', body: { acceptableIssuers: ['CN=Other CA, O=Elsewhere'] }, headers: { origin: ALLOWED } });
    // The page cannot tell "nothing fits" from "the user said no" (no issuer oracle).
    expect(none.status).toBe(403);
    expect(errorOf(none)).toMatchObject({ code: 'CONSENT_DENIED' });
    expect(views[1]!.candidates).toEqual([]);
    expect(views[1]!.acceptableIssuers).toEqual(['CN=Other CA, O=Elsewhere']);
  });

  it('looks the certificate up only after approval: before it, present or absent look the same (no 409-vs-422 oracle)', async () => {
    const { api, views } = await start({}, () => ({ approve: false }));
    services.present = [pki.keys['auth-ec']!];
    const absent = await request(api.port, { path: '/v1/sign', body: { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: pki.keys['sign-rsa']!.view.certificate }, headers: { origin: ALLOWED } });
    services.present = Object.values(pki.keys);
    const present = await request(api.port, { path: '/v1/sign', body: { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: pki.keys['sign-rsa']!.view.certificate }, headers: { origin: ALLOWED } });
    expect([absent.status, errorOf(absent).code]).toEqual([403, 'CONSENT_DENIED']);
    expect([present.status, errorOf(present).code]).toEqual([403, 'CONSENT_DENIED']);
    expect(views.map((v) => v.operation)).toEqual(['sign-hash', 'sign-hash']);
    // The dialog shows the certificate as the page sent it (no token, no key).
    expect(views[0]!.certificate).toMatchObject({ displayName: 'sign-rsa', token: '', hasPrivateKey: false });
  });

  it('after approval, a certificate that is not on an inserted token asks to insert the card', async () => {
    const { api, views } = await start({}, approveAll());
    services.present = [pki.keys['auth-ec']!];
    const r = await request(api.port, { path: '/v1/sign', body: { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: pki.keys['sign-rsa']!.view.certificate }, headers: { origin: ALLOWED } });
    expect(errorOf(r)).toMatchObject({ code: 'NO_TOKEN' });
    expect(errorOf(r).message).toMatch(/Insert the card/);
    expect(views).toHaveLength(1);
    expect(services.calls).toHaveLength(0);
  });
});

describe('consent queue', () => {
  it('keeps at most one pending consent per origin', async () => {
    const { api } = await start();
    const first = new Promise<ConsentRequestView>((resolve) => api.consent.once('request', resolve));
    const a = request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ALLOWED } });
    const view = await first;
    const b = await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ALLOWED } });
    expect(b.status).toBe(409);
    expect(errorOf(b)).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'consent-pending' } });
    api.consent.respond(view.requestId, { approve: false });
    expect((await a).status).toBe(403);
  });

  it('queues other origins globally, one modal at a time, in order', async () => {
    const origins = ['https://a.example', 'https://b.example', 'https://c.example'];
    const { api } = await start({ origins: new MemoryOriginStore(origins) });
    const shown: string[] = [];
    api.consent.on('request', (v) => shown.push(v.origin));
    const replies = origins.map((origin) => request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin } }));
    await expect.poll(() => api.consent.size).toBe(3);
    expect(shown).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => shown.length).toBe(i + 1);
      expect(api.consent.current()?.origin).toBe(shown[i]);
      api.consent.respond(api.consent.current()!.requestId, { approve: false });
    }
    expect(new Set(shown)).toEqual(new Set(origins));
    for (const r of await Promise.all(replies)) expect(errorOf(r).code).toBe('CONSENT_DENIED');
  });

  it('refuses when the global queue is full', async () => {
    const origins = ['https://a.example', 'https://b.example', 'https://c.example'];
    const { api } = await start({ origins: new MemoryOriginStore(origins), consent: { maxAllowed: 2 } });
    const pending = origins.slice(0, 2).map((origin) => request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin } }));
    await expect.poll(() => api.consent.size).toBe(2);
    const third = await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: origins[2]! } });
    expect(third.status).toBe(503);
    expect(errorOf(third).details).toMatchObject({ reason: 'queue-full' });
    api.consent.cancelAll();
    await Promise.all(pending);
  });

  it('times out to USER_CANCELLED and tells the UI to dismiss', async () => {
    const { api } = await start({ consent: { timeoutMs: 150 } });
    const dismissed: unknown[] = [];
    api.consent.on('dismiss', (d) => dismissed.push(d));
    const r = await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ALLOWED } });
    expect(r.status).toBe(409);
    expect(errorOf(r).code).toBe('USER_CANCELLED');
    expect(dismissed).toEqual([{ requestId: expect.any(String), reason: 'timeout' }]);
    expect(services.calls).toHaveLength(0);
  });

  it('dismisses the modal when the page goes away', async () => {
    const { api } = await start();
    const dismissed = new Promise<unknown>((resolve) => api.consent.once('dismiss', resolve));
    const shown = new Promise<void>((resolve) => api.consent.once('request', () => resolve()));
    const controller = new AbortController();
    const r = request(api.port, { path: '/v1/authenticate', body: { challengeNonce: NONCE }, headers: { origin: ALLOWED }, signal: controller.signal }).catch((e: Error) => e);
    await shown;
    controller.abort();
    expect(await dismissed).toMatchObject({ reason: 'cancelled' });
    expect(await r).toBeInstanceOf(Error);
    expect(api.consent.size).toBe(0);
  });

  it('calls the attention hook (bring the window to the front) when a request is shown', async () => {
    const attention: string[] = [];
    const { api } = await start({ consent: { onAttention: (v) => attention.push(v.operation) } }, approveAll());
    await request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: ALLOWED } });
    expect(attention).toEqual(['share-certificate']);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the per-origin burst, other origins unaffected', async () => {
    const { api } = await start({ rateLimit: { burst: 3, perSecond: 0.5 }, origins: new MemoryOriginStore([ALLOWED, 'https://other.example']) });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } });
    expect(errorOf(limited).details).toMatchObject({ reason: 'rate-limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(api.port, { path: '/v1/status', headers: { origin: 'https://other.example' } })).status).toBe(200);
  });
});

describe('no secrets through the API', () => {
  it('status carries no certificate data', async () => {
    const { api } = await start();
    const r = await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } });
    expect(r.json).toEqual({ app: 'signet', apiVersion: 1, allowed: true, version: '0.1.0-test', tokenPresent: true });
    services.tokenInserted = false;
    expect((await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } })).json).toMatchObject({ tokenPresent: false });
  });

  it('no route, field or header takes a PIN', async () => {
    const { api } = await start({}, approveAll());
    const r = await request(api.port, { path: '/v1/sign', body: { hash: sha256Hash, hashAlgorithm: 'SHA-256', certificate: pki.keys['sign-rsa']!.view.certificate, pin: '123456' }, headers: { origin: ALLOWED } });
    expect(errorOf(r).message).toContain('"pin"');
    expect((await request(api.port, { path: '/v1/login', body: { pin: '1' }, headers: { origin: ALLOWED } })).status).toBe(404);
    expect(services.calls).toHaveLength(0);
  });
});
