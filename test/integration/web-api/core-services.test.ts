/**
 * The web API on the real stack: SoftHSM2 tokens from the rig, the token host (TokenClient),
 * core's KeySigner (PIN through a PinPrompt, never the API), core's certificate classification
 * and the bytes-in/bytes-out document workflow. Every signature is verified by a tool we did not
 * write: openssl (dgst, cms), pdfsig, node:crypto.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { KeySigner } from '../../../electron/core/key-signer';
import { listCertificateSummaries } from '../../../electron/core/certificates';
import { toCertificateView } from '../../../electron/core/pki/view';
import type { PinPrompt, PinRequest } from '../../../electron/core/pin-prompt';
import { createCoreWebApiServices } from '../../../electron/web-api/core-services';
import { startWebApi, type WebApiHandle } from '../../../electron/web-api/server';
import { MemoryOriginStore } from '../../../electron/web-api/origins';
import type { AuthenticateResponse, CertificateResponse, SignResponse } from '../../../electron/web-api/protocol';
import { formPdf } from '../../../demo/web/site';
import { parsePemBundle, verifyAuthToken, verifyPdf } from '../../../demo/web/verifier';
import { approveAll, autoConsent, errorOf, postDocument, request } from './client';

class ScriptedPrompt implements PinPrompt {
  readonly requests: PinRequest[] = [];
  constructor(public answers: (string | null)[]) {}
  async askPin(r: PinRequest): Promise<Uint8Array | null> {
    this.requests.push(r);
    const a = this.answers.shift();
    return a === undefined || a === null ? null : new TextEncoder().encode(a);
  }
  showPinPad(): () => void {
    throw new Error('no PIN pad');
  }
}

const ORIGIN = 'https://portal.example';
let rig: Rig;
let client: TokenClient;
let api: WebApiHandle;
let prompt: ScriptedPrompt;
let dir: string;
let pickLabel = 'sign-p256';

beforeAll(async () => {
  rig = await provisionRig();
  dir = mkdtempSync(path.join(tmpdir(), 'signet-webapi-core-'));
  client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
  const keySigner = new KeySigner(client);
  prompt = new ScriptedPrompt([]);
  const services = createCoreWebApiServices({
    appVersion: '0.1.0',
    snapshot: async () => ({ tokens: await client.listTokens(), certificates: (await listCertificateSummaries(client)).map((s) => toCertificateView(s)) }),
    keySigner,
    client,
    pinPrompt: prompt,
    documentOptions: () => ({ trustAnchors: [rig.ca.certDer], useSystemStore: false }),
  });
  api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore([ORIGIN]) });
  autoConsent(api, approveAll((v) => v.candidates?.find((c) => c.label === pickLabel)?.uri));
}, 120_000);
afterAll(async () => {
  await api?.close();
  await client?.close();
  await rig?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('web API on SoftHSM2 through the token host', () => {
  it('status sees the inserted tokens', async () => {
    const r = await request(api.port, { path: '/v1/status', headers: { origin: ORIGIN } });
    expect(r.json).toMatchObject({ tokenPresent: true, version: '0.1.0' });
  });

  it('certificate → sign (P-256, raw r‖s): the PIN is asked once by Signet; node:crypto and openssl verify', async () => {
    pickLabel = 'sign-p256';
    prompt.answers = ['123456', '123456'];
    const c = await request(api.port, { path: '/v1/certificate', body: { acceptableIssuers: [rig.ca.subject.split('/').filter(Boolean).join(',')] }, headers: { origin: ORIGIN } });
    expect(c.status).toBe(200);
    const cert = c.json as CertificateResponse;
    expect(Buffer.from(cert.certificate, 'base64')).toEqual(rig.key('sign-p256').certDer);
    expect(cert.supportedSignatureAlgorithms).toContainEqual({ cryptoAlgorithm: 'ECC', hashFunction: 'SHA-256', paddingScheme: 'NONE' });
    const data = Buffer.from('to be signed by the server');
    const s = await request(api.port, { path: '/v1/sign', body: { hash: createHash('sha256').update(data).digest('base64'), hashAlgorithm: 'SHA-256', certificate: cert.certificate }, headers: { origin: ORIGIN } });
    expect(s.status).toBe(200);
    const sig = Buffer.from((s.json as SignResponse).signature, 'base64');
    expect(sig).toHaveLength(64);
    expect(verify('sha256', data, { key: createPublicKey(rig.key('sign-p256').publicKeyPem), dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    expect(prompt.requests.length).toBe(1);
    expect(prompt.requests[0]!.kind).toBe('login');
    expect(prompt.requests[0]!.action).toEqual({ purpose: 'sign-data', origin: ORIGIN });

    // RSA, PKCS#1 v1.5, checked by openssl.
    const rsa = rig.key('sign-rsa2048');
    const s2 = await request(api.port, { path: '/v1/sign', body: { hash: createHash('sha512').update(data).digest('base64'), hashAlgorithm: 'SHA-512', certificate: rsa.certDer.toString('base64') }, headers: { origin: ORIGIN } });
    expect(s2.status).toBe(200);
    writeFileSync(path.join(dir, 'data'), data);
    writeFileSync(path.join(dir, 'sig'), Buffer.from((s2.json as SignResponse).signature, 'base64'));
    writeFileSync(path.join(dir, 'pub.pem'), rsa.publicKeyPem);
    expect(execFileSync('openssl', ['dgst', '-sha512', '-verify', path.join(dir, 'pub.pem'), '-signature', path.join(dir, 'sig'), path.join(dir, 'data')]).toString()).toContain('Verified OK');
    expect(prompt.requests.length).toBe(2); // one approved request = one action: its own PIN (issue 8)
    expect((await client.tokenStatus(rig.token('Signet Test A').uri)).loggedIn).toBe(false);
  });

  it('refuses the authentication key for /v1/sign by its real certificate purposes', async () => {
    const r = await request(api.port, { path: '/v1/sign', body: { hash: Buffer.alloc(32).toString('base64'), hashAlgorithm: 'SHA-256', certificate: rig.key('auth-p256').certDer.toString('base64') }, headers: { origin: ORIGIN } });
    expect(errorOf(r).code).toBe('KEY_PURPOSE_MISMATCH');
  });

  it('authenticate: a Web eID token the demo verifier accepts for this origin and nonce only', async () => {
    pickLabel = 'auth-p256';
    prompt.requests.length = 0;
    prompt.answers = ['123456'];
    const nonce = Buffer.alloc(32, 5).toString('base64');
    const r = await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: nonce }, headers: { origin: ORIGIN } });
    expect(r.status).toBe(200);
    // The login asked its own PIN, saying for whom, and the token is logged out again.
    expect(prompt.requests.map((q) => q.action)).toEqual([{ purpose: 'authenticate', origin: ORIGIN }]);
    expect((await client.tokenStatus(rig.token('Signet Test A').uri)).loggedIn).toBe(false);
    const token = r.json as AuthenticateResponse;
    expect(token.algorithm).toBe('ES256');
    const anchors = parsePemBundle(rig.ca.certPem);
    expect(verifyAuthToken(token, { expectedOrigin: ORIGIN, challengeNonce: nonce, anchors })).toMatchObject({ valid: true, errors: [] });
    expect(verifyAuthToken(token, { expectedOrigin: 'https://evil.example', challengeNonce: nonce, anchors }).valid).toBe(false);
  });

  it('sign-document PAdES: pdfsig and the demo verifier accept the signed form', async () => {
    pickLabel = 'sign-rsa2048';
    prompt.requests.length = 0;
    prompt.answers = ['123456'];
    const pdf = await formPdf({ Name: 'Mari Maasikas', Message: 'I apply' });
    const r = await postDocument(api.port, ORIGIN, 'application.pdf', Buffer.from(pdf), 'pades');
    expect(r.status).toBe(200);
    expect(prompt.requests.map((q) => q.action)).toEqual([{ purpose: 'sign-documents', documents: ['application.pdf'], origin: ORIGIN }]);
    expect(r.headers).toMatchObject({ 'signet-name': 'application-signed.pdf', 'signet-format': 'pades', 'content-type': 'application/pdf' });
    const signed = r.body;
    expect(signed.subarray(0, pdf.length)).toEqual(Buffer.from(pdf)); // incremental update: the original bytes are kept
    const file = path.join(dir, 'signed.pdf');
    writeFileSync(file, signed);
    const ps = spawnSync('pdfsig', ['-nssdir', `sql:${rig.nssDb(path.join(dir, 'nss'))}`, file], { encoding: 'utf8' });
    expect(ps.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(ps.stdout).toContain('Certificate Validation: Certificate is Trusted.');
    expect(verifyPdf(signed, parsePemBundle(rig.ca.certPem))).toMatchObject({ valid: true, errors: [] });
  });

  it('sign-document CAdES: openssl cms -verify accepts the detached signature', async () => {
    pickLabel = 'sign-p384';
    prompt.answers = ['123456'];
    const content = Buffer.from('any document\n');
    const r = await postDocument(api.port, ORIGIN, 'note.txt', content, 'cades');
    expect(r.status).toBe(200);
    writeFileSync(path.join(dir, 'note.txt'), content);
    writeFileSync(path.join(dir, 'note.p7s'), r.body);
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'note.p7s'), '-content', path.join(dir, 'note.txt'), '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
  });

  it('a wrong PIN is asked again by Signet (never retried by itself); cancelling answers USER_CANCELLED', async () => {
    pickLabel = 'b-sign-p256';
    prompt.requests.length = 0;
    prompt.answers = ['000000', null];
    const r = await postDocument(api.port, ORIGIN, 'x.txt', Buffer.from('x'), 'cades');
    expect(errorOf(r).code).toBe('USER_CANCELLED');
    expect(prompt.requests).toHaveLength(2);
    expect(prompt.requests[1]!.previousError?.code).toBe('PIN_INCORRECT');
    expect(r.text).not.toContain('000000');
  });
});
