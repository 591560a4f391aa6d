/**
 * Gathering long-term validation material (core/ltv/collect.ts) against the rig's CRL server and
 * a local AIA caIssuers server: the CRL as fallback when the OCSP responder is dead (with the
 * OCSP failure recorded), a revoked certificate refused, and a missing issuer fetched from the
 * certificate's AIA caIssuers URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { provisionRig, type Rig } from '../../rig';
import { collectValidationMaterial, judgeMaterial } from '../../../electron/core/ltv/collect';
import { createSoftPki, type SoftPki } from '../documents/helpers/soft-pki';

let rig: Rig;
let pki: SoftPki;
let server: http.Server;
let aiaUrl: string;
beforeAll(async () => {
  rig = await provisionRig({
    tokens: [{ label: 'Collect', pin: '1234', keys: [{ name: 'c-good', keyType: 'EC' }, { name: 'c-bad', keyType: 'EC' }] }],
    crl: true,
    ocspUrl: 'http://127.0.0.1:1/ocsp',
    revoked: ['c-bad'],
  });
  pki = createSoftPki();
  server = http.createServer((req, res) => {
    if (req.url === '/ca.der') {
      res.writeHead(200, { 'content-type': 'application/pkix-cert' });
      res.end(Buffer.from(pki.ca.certDer));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  aiaUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/ca.der`;
}, 180_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await rig?.cleanup();
  pki?.cleanup();
});

const leaf = (name: string) => new Uint8Array(rig.key(name).certDer);
const ca = () => new Uint8Array(rig.ca.certDer);

describe('collectValidationMaterial', () => {
  it('OCSP responder dead: the CRL is fetched instead, the OCSP failure is recorded; the material is enough for LT', async () => {
    const m = await collectValidationMaterial([{ role: 'signer', chain: [leaf('c-good')] }], { extraCertificates: [ca()], timeoutMs: 3000 });
    expect(m.statuses).toHaveLength(1);
    expect(m.statuses[0]).toMatchObject({ role: 'signer', status: 'good', source: 'crl' });
    expect(m.statuses[0]!.problems.join()).toMatch(/OCSP http:\/\/127\.0\.0\.1:1\/ocsp: .*cannot be reached/);
    expect(m.ocsps).toHaveLength(0);
    expect(m.crls).toHaveLength(1);
    // The kept CRL is the issuer's, as openssl sees it.
    const v = spawnSync('openssl', ['crl', '-inform', 'DER', '-CAfile', rig.ca.certPath, '-noout'], { input: Buffer.from(m.crls[0]!), encoding: 'utf8' });
    expect(`${v.stdout}${v.stderr}`).toMatch(/verify OK/);
    expect(m.certificates.map((c) => Buffer.from(c).toString('hex'))).toEqual(expect.arrayContaining([Buffer.from(leaf('c-good')).toString('hex'), Buffer.from(ca()).toString('hex')]));
    expect(judgeMaterial(m)).toMatchObject({ ok: true, warnings: [] });
  }, 60_000);

  it('a revoked certificate is refused (CERT_UNTRUSTED), never embedded as if good', async () => {
    const m = await collectValidationMaterial([{ role: 'signer', chain: [leaf('c-bad')] }], { extraCertificates: [ca()], timeoutMs: 3000 });
    expect(m.statuses[0]).toMatchObject({ status: 'revoked', source: 'crl' });
    const j = judgeMaterial(m);
    expect(j.ok).toBe(false);
    expect(!j.ok && j.error).toMatchObject({ code: 'CERT_UNTRUSTED', message: expect.stringMatching(/c-bad.*revoked/) });
  }, 60_000);

  it("the issuer missing from the chain is fetched from AIA caIssuers; a leaf naming no revocation source fails LT with that reason", async () => {
    const c = pki.issue('aia-leaf', { key: 'p256', extraExt: [`authorityInfoAccess=caIssuers;URI:${aiaUrl}`] });
    const m = await collectValidationMaterial([{ role: 'signer', chain: [c.certDer] }], { timeoutMs: 3000 });
    expect(m.certificates.some((d) => Buffer.from(d).equals(Buffer.from(pki.ca.certDer)))).toBe(true);
    expect(m.statuses[0]).toMatchObject({ status: 'unknown', noSource: true });
    const j = judgeMaterial(m);
    expect(!j.ok && j.error).toMatchObject({ details: { reason: 'revocation-unavailable' }, message: expect.stringMatching(/names no OCSP responder/) });

    const dead = pki.issue('aia-dead', { key: 'p256', extraExt: ['authorityInfoAccess=caIssuers;URI:http://127.0.0.1:1/ca.der'] });
    const m2 = await collectValidationMaterial([{ role: 'signer', chain: [dead.certDer] }], { timeoutMs: 3000 });
    expect(m2.statuses[0]!.problems.join()).toMatch(/issuer's certificate was not found.*AIA caIssuers http:\/\/127\.0\.0\.1:1\/ca\.der: .*cannot be reached/);
  }, 60_000);
});
