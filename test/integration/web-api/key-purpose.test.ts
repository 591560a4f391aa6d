/**
 * Issue 8 §4: purpose is a property of the **key**. On a SoftHSM2 token where one key carries a
 * signing-only certificate and also a login certificate (same CKA_ID, or the same public key under
 * another CKA_ID, both imported with pkcs11-tool), an allowed page posts /v1/sign with the
 * signing certificate and the digest a Web eID login for bank.example signs:
 * SHA-256(SHA-256("https://bank.example") ‖ SHA-256(nonce)). The user approves, as in the report;
 * Signet must still refuse (KEY_PURPOSE_MISMATCH), ask no PIN and make no signature. A key whose
 * only certificate is signing-only still signs (openssl verifies).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import type { SignResponse } from '../../../electron/web-api/protocol';
import { approveAll, autoConsent, errorOf, request } from './client';

const ORIGIN = 'https://portal.example';
const PIN = '123456';
let rig: Rig;
let client: TokenClient;
let api: WebApiHandle;
let dir: string;
const asked: PinRequest[] = [];

const prompt: PinPrompt = {
  async askPin(r) {
    asked.push(r);
    return new TextEncoder().encode(PIN);
  },
  showPinPad() {
    throw new Error('no PIN pad');
  },
};

/** A clientAuth certificate for an existing key, issued by the rig's CA, imported onto the token. */
function addLoginCertificate(keyName: string, idHex: string, label: string): void {
  const key = rig.key(keyName);
  const p = (f: string) => path.join(dir, `${label}.${f}`);
  writeFileSync(p('ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  execFileSync('openssl', ['req', '-new', '-key', key.privateKeyPath, '-subj', `/C=EE/O=Signet Test/CN=${label}`, '-out', p('csr')], { stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', p('csr'), '-CA', rig.ca.certPath, '-CAkey', rig.ca.keyPath, '-set_serial', String(Date.now()), '-days', '30', '-extfile', p('ext'), '-outform', 'DER', '-out', p('der')], { stdio: 'pipe' });
  execFileSync('pkcs11-tool', ['--module', rig.module, '--token-label', 'Dual', '--login', '--pin', PIN, '--write-object', p('der'), '--type', 'cert', '--id', idHex, '--label', label], { env: { ...process.env, ...rig.env }, stdio: 'pipe' });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'signet-keypurpose-'));
  rig = await provisionRig({
    tokens: [
      {
        label: 'Dual',
        pin: PIN,
        keys: [
          { name: 'dual-id', keyType: 'EC', purpose: 'signing', idHex: '01' },
          { name: 'dual-spki', keyType: 'RSA', purpose: 'signing', idHex: '02' },
          { name: 'sign-only', keyType: 'EC', purpose: 'signing', idHex: '03' },
        ],
      },
    ],
  });
  addLoginCertificate('dual-id', '01', 'login-same-id');
  addLoginCertificate('dual-spki', '0a', 'login-same-key');
  client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
  const services = createCoreWebApiServices({
    appVersion: '0.1.0',
    snapshot: async () => ({ tokens: await client.listTokens(), certificates: (await listCertificateSummaries(client)).map((s) => toCertificateView(s)) }),
    keySigner: new KeySigner(client),
    client,
    pinPrompt: prompt,
  });
  api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore([ORIGIN]) });
  autoConsent(api, approveAll());
}, 120_000);

afterAll(async () => {
  await api?.close();
  await client?.close();
  await rig?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** What a Web eID login token for bank.example signs (web-eid:1.0: hash(origin) ‖ hash(nonce)). */
function loginDigest(): Buffer {
  const nonce = Buffer.alloc(32, 5).toString('base64');
  const signed = Buffer.concat([createHash('sha256').update('https://bank.example').digest(), createHash('sha256').update(nonce).digest()]);
  return createHash('sha256').update(signed).digest();
}

describe('/v1/sign judges the key, not the certificate the page names', () => {
  it.each([
    ['dual-id', 'a login certificate under the same CKA_ID'],
    ['dual-spki', 'a login certificate for the same public key under another CKA_ID'],
  ])('refuses the signing certificate of %s (%s) even after approval: no PIN, no signature', async (name) => {
    // The token really holds both certificates for the key.
    const certs = await listCertificateSummaries(client);
    expect(certs.filter((c) => c.purposes.includes('authentication')).map((c) => c.label).sort()).toEqual(['login-same-id', 'login-same-key']);
    asked.length = 0;
    const r = await request(api.port, {
      path: '/v1/sign',
      body: { hash: loginDigest().toString('base64'), hashAlgorithm: 'SHA-256', certificate: rig.key(name).certDer.toString('base64') },
      headers: { origin: ORIGIN },
    });
    expect(r.status).toBe(422);
    expect(errorOf(r).code).toBe('KEY_PURPOSE_MISMATCH');
    expect(asked).toEqual([]);
  });

  it('signs with a key whose only certificate is signing-only (openssl verifies)', async () => {
    const tbs = Buffer.from('to-be-signed by the server');
    const hash = createHash('sha256').update(tbs).digest();
    const r = await request(api.port, {
      path: '/v1/sign',
      body: { hash: hash.toString('base64'), hashAlgorithm: 'SHA-256', certificate: rig.key('sign-only').certDer.toString('base64') },
      headers: { origin: ORIGIN },
    });
    expect(r.status, r.text).toBe(200);
    const raw = Buffer.from((r.json as SignResponse).signature, 'base64');
    // Raw r‖s → DER Ecdsa-Sig-Value for openssl.
    const int = (b: Buffer): Buffer => {
      let x = b;
      while (x.length > 1 && x[0] === 0) x = x.subarray(1);
      if (x[0]! & 0x80) x = Buffer.concat([Buffer.from([0]), x]);
      return Buffer.concat([Buffer.from([0x02, x.length]), x]);
    };
    const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
    writeFileSync(path.join(dir, 'sig.der'), Buffer.concat([Buffer.from([0x30, body.length]), body]));
    writeFileSync(path.join(dir, 'tbs.bin'), tbs);
    writeFileSync(path.join(dir, 'pub.pem'), rig.key('sign-only').publicKeyPem);
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', path.join(dir, 'pub.pem'), '-signature', path.join(dir, 'sig.der'), path.join(dir, 'tbs.bin')]).toString();
    expect(out).toContain('Verified OK');
    expect(readFileSync(path.join(dir, 'tbs.bin'))).toEqual(tbs);
  });
});
