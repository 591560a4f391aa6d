/**
 * Revocation before signing, against the rig's OCSP responder and CRL server (openssl, RFC 6960 /
 * RFC 5280): good, revoked, tampered and unreachable sources; `openssl ocsp` must agree with us.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { provisionRig, type Rig } from '../../rig';
import { checkRevocation, revocationSources } from '../../../electron/core/pki/revocation/check';
import { checkCrl } from '../../../electron/core/pki/revocation/crl';
import { signFiles } from '../../../electron/core/signing';
import { createSoftPki, type SoftCert, type SoftPki } from '../documents/helpers/soft-pki';

let rig: Rig;
let pki: SoftPki;
beforeAll(async () => {
  rig = await provisionRig({
    tokens: [{ label: 'Revocation', pin: '1234', keys: [{ name: 'rev-good', keyType: 'EC' }, { name: 'rev-bad', keyType: 'EC' }] }],
    ocsp: true,
    crl: true,
    revoked: ['rev-bad'],
  });
  pki = createSoftPki();
}, 180_000);
afterAll(async () => {
  await rig?.cleanup();
  pki?.cleanup();
});

const ca = () => new Uint8Array(rig.ca.certDer);
const cert = (name: string) => new Uint8Array(rig.key(name).certDer);
const softCert = (name: string): SoftCert => {
  const k = rig.key(name);
  return { keyPath: k.privateKeyPath, certPath: k.certPath, certDer: new Uint8Array(k.certDer), certPem: k.certPem };
};

function opensslOcsp(name: string): string {
  return execFileSync('openssl', ['ocsp', '-issuer', rig.ca.certPath, '-cert', rig.key(name).certPath, '-url', rig.ocsp!.url, '-CAfile', rig.ca.certPath], { encoding: 'utf8', stdio: 'pipe' });
}

describe('revocation (rig OCSP responder and CRL server)', () => {
  it('finds the sources in AIA and CRL DP', () => {
    const s = revocationSources(cert('rev-good'));
    expect(s.ocsp).toEqual([rig.ocsp!.url]);
    expect(s.crl.length).toBe(1);
  });

  it('OCSP: good and revoked, as openssl ocsp says', async () => {
    const good = await checkRevocation(cert('rev-good'), ca());
    expect(good).toMatchObject({ status: 'good', answer: { source: 'ocsp' } });
    expect(opensslOcsp('rev-good')).toMatch(/: good/);
    const bad = await checkRevocation(cert('rev-bad'), ca());
    expect(bad).toMatchObject({ status: 'revoked', answer: { source: 'ocsp' } });
    expect(bad.answer?.revokedAt).toBeDefined();
    expect(opensslOcsp('rev-bad')).toMatch(/: revoked/);
  });

  it('CRL: revoked entry found, good absent, a tampered CRL is not trusted', async () => {
    const der = new Uint8Array(await rig.crlDer());
    expect(checkCrl(der, cert('rev-bad'), ca(), 'test', new Date())).toMatchObject({ status: 'revoked' });
    expect(checkCrl(der, cert('rev-good'), ca(), 'test', new Date())).toMatchObject({ status: 'good' });
    const tampered = new Uint8Array(der);
    tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0xff;
    expect(checkCrl(tampered, cert('rev-bad'), ca(), 'test', new Date())).toMatchObject({ status: 'unknown', problem: expect.stringMatching(/not signed/) });
    // A CRL checked against the wrong issuer key is not trusted either.
    expect(checkCrl(der, cert('rev-bad'), pki.ca.certDer, 'test', new Date())).toMatchObject({ status: 'unknown' });
  });

  it('unreachable sources: unknown, with the reasons', async () => {
    const c = pki.issue('unreachable', {
      key: 'p256',
      extraExt: ['authorityInfoAccess=OCSP;URI:http://127.0.0.1:1/ocsp', 'crlDistributionPoints=URI:http://127.0.0.1:1/ca.crl'],
    });
    const r = await checkRevocation(c.certDer, pki.ca.certDer, { timeoutMs: 2000 });
    expect(r.status).toBe('unknown');
    expect(r.problems).toHaveLength(2);
    expect(r.problems.join()).toMatch(/cannot be reached/);
  });

  it('signing: a revoked certificate is refused with the reason; an unknown status is a warning', async () => {
    const f = path.join(pki.dir, 'rev.txt');
    writeFileSync(f, 'x');
    const revoked = pki.signer(softCert('rev-bad'));
    await expect(
      signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: revoked, revocation: {}, trustAnchors: [ca()], useSystemStore: false }),
    ).rejects.toMatchObject({ code: 'CERT_UNTRUSTED', message: expect.stringMatching(/revoked/) });

    const good = pki.signer(softCert('rev-good'));
    const ok = await signFiles([{ path: f, format: 'cades', outputPath: `${f}.good.p7s` }], { signer: good, revocation: {}, trustAnchors: [ca()], useSystemStore: false });
    expect(ok[0]).toMatchObject({ ok: true });
    expect((ok[0] as { warnings?: string[] }).warnings).toBeUndefined();

    const unknown = pki.signer(pki.issue('unknown-status', { key: 'p256', extraExt: ['authorityInfoAccess=OCSP;URI:http://127.0.0.1:1/ocsp'] }));
    const seen: string[] = [];
    const res = await signFiles([{ path: f, format: 'cades', outputPath: `${f}.unknown.p7s` }], {
      signer: unknown,
      revocation: { timeoutMs: 2000 },
      trustAnchors: [pki.ca.certDer],
      useSystemStore: false,
      onWarning: (w) => seen.push(w),
    });
    expect(res[0]).toMatchObject({ ok: true, warnings: [expect.stringMatching(/could not be checked/)] });
    expect(seen).toHaveLength(1);
  });
});
