/**
 * CertificateView and CertificateDetails on certificates made by openssl, checked against what
 * `openssl x509 -text` says about the same certificate; chain building with token
 * intermediates and trust anchors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { AsnConvert } from '@peculiar/asn1-schema';
import { summarizeCertificate } from '../../../electron/core/pki/summary';
import { toCertificateView } from '../../../electron/core/pki/view';
import { certificateDetails } from '../../../electron/core/pki/details';
import { buildChain } from '../../../electron/core/pki/chain';
import { QCStatement, QCStatements, QcType } from '../../../electron/core/pki/qc-statements';
import type { CertificateSummary } from '../../../electron/core/types';
import { createSoftPki, type SoftCert, type SoftPki } from '../documents/helpers/soft-pki';

let pki: SoftPki;
beforeAll(() => {
  pki = createSoftPki();
});
afterAll(() => pki?.cleanup());

function summary(c: SoftCert, withKey = true): CertificateSummary {
  return summarizeCertificate({
    uri: 'pkcs11:token=T;id=%01;type=cert',
    ...(withKey ? { keyUri: 'pkcs11:token=T;id=%01;type=private' } : {}),
    keyConfirmed: withKey,
    token: 'pkcs11:token=T',
    label: 'test',
    id: '01',
    alwaysAuthenticate: false,
    certificate: c.certDer,
  });
}


describe('CertificateView', () => {
  it('valid, expiring soon, expired, not yet valid; days left; why it cannot sign', () => {
    // A little ahead: the certificates below are issued "now" by openssl, after this line.
    const now = new Date(Date.now() + 60_000);
    const valid = toCertificateView(summary(pki.issue('Mari Maasikas', { key: 'p256', days: 400 })), { now });
    expect(valid).toMatchObject({ displayName: 'Mari Maasikas', issuerDisplayName: 'Signet Unit Test CA', validity: 'valid', hasPrivateKey: true });
    expect(valid.daysLeft).toBeGreaterThanOrEqual(398);
    expect(valid.notForSigning).toBeUndefined();

    const soon = toCertificateView(summary(pki.issue('soon', { key: 'p256', days: 10 })), { now });
    expect(soon.validity).toBe('expiring-soon');
    expect(soon.daysLeft).toBeLessThan(30);

    const expired = toCertificateView(summary(pki.issue('old', { key: 'p256', notBefore: '20200101000000Z', notAfter: '20210101000000Z' })), { now });
    expect(expired.validity).toBe('expired');
    expect(expired.daysLeft).toBeLessThan(0);
    expect(expired.notForSigning?.code).toBe('CERT_EXPIRED');
    expect(toCertificateView(summary(pki.issue('old2', { key: 'p256', notBefore: '20200101000000Z', notAfter: '20210101000000Z' })), { now, policy: { allowExpired: true } }).notForSigning).toBeUndefined();

    const future = toCertificateView(summary(pki.issue('future', { key: 'p256', notBefore: '20900101000000Z', notAfter: '20950101000000Z' })), { now });
    expect(future).toMatchObject({ validity: 'not-yet-valid', notForSigning: { code: 'CERT_NOT_YET_VALID' } });

    const auth = toCertificateView(summary(pki.issue('auth', { key: 'p256', keyUsage: 'digitalSignature', extendedKeyUsage: 'clientAuth' })), { now });
    expect(auth.purposes).toEqual(['authentication']);
    expect(auth.notForSigning?.code).toBe('KEY_PURPOSE_MISMATCH');
    expect(toCertificateView(summary(pki.issue('auth2', { key: 'p256', keyUsage: 'digitalSignature', extendedKeyUsage: 'clientAuth' })), { now, policy: { allowWrongPurpose: true } }).notForSigning).toBeUndefined();

    const noKey = toCertificateView(summary(pki.issue('nokey', { key: 'p256' }), false), { now });
    expect(noKey).toMatchObject({ hasPrivateKey: false, notForSigning: { code: 'KEY_NOT_FOUND' } });
  });
});

describe('CertificateDetails', () => {
  it('sections agree with openssl x509 -text; QC statements, policies, AIA, CRL DP readable', () => {
    const qc = new QCStatements([
      new QCStatement({ statementId: '0.4.0.1862.1.1' }),
      new QCStatement({ statementId: '0.4.0.1862.1.4' }),
      new QCStatement({ statementId: '0.4.0.1862.1.6', statementInfo: AsnConvert.serialize(new QcType(['0.4.0.1862.1.6.1'])) }),
    ]);
    const qcHex = Buffer.from(AsnConvert.serialize(qc)).toString('hex');
    const c = pki.issue('Qualified Signer', {
      key: 'rsa3072',
      extendedKeyUsage: 'emailProtection,1.3.6.1.4.1.311.10.3.12',
      extraExt: [
        'certificatePolicies=0.4.0.194112.1.2,1.3.6.1.4.1.99999.1',
        'authorityInfoAccess=OCSP;URI:http://ocsp.example/,caIssuers;URI:http://ca.example/ca.crt',
        'crlDistributionPoints=URI:http://crl.example/ca.crl',
        'subjectAltName=email:signer@example.org',
        `1.3.6.1.5.5.7.1.3=DER:${qcHex}`,
      ],
    });
    const text = execFileSync('openssl', ['x509', '-in', c.certPath, '-noout', '-text'], { encoding: 'utf8' });
    const d = certificateDetails(summary(c), { useSystemStore: false, trustAnchors: [pki.ca.certDer] });
    const field = (section: string, name?: string) => d.sections.find((s) => s.title === section)?.fields.filter((f) => !name || f.name === name).map((f) => f.value) ?? [];

    expect(field('Subject', 'Common name')).toEqual(['Qualified Signer']);
    expect(field('Public key', 'Algorithm')).toEqual(['RSA 3072 bits']);
    expect(text).toContain('Public-Key: (3072 bit)');
    const serial = execFileSync('openssl', ['x509', '-in', c.certPath, '-noout', '-serial'], { encoding: 'utf8' }).trim().replace('serial=', '');
    expect(field('Certificate', 'Serial number')[0]!.replace(/:/g, '')).toBe(serial);
    expect(field('Key usage')).toContain('Non-repudiation (content commitment)');
    expect(text).toContain('Non Repudiation');
    expect(field('Extended key usage').join()).toMatch(/Email protection/);
    expect(field('Extended key usage').join()).toMatch(/Document signing \(Microsoft\)/);
    expect(field('Certificate policies', 'Policy')).toEqual(['QCP-n-qscd (qualified, key on a QSCD, natural person) (0.4.0.194112.1.2)', '1.3.6.1.4.1.99999.1']);
    expect(field('Authority information access', 'OCSP')).toEqual(['http://ocsp.example/']);
    expect(text).toContain('OCSP - URI:http://ocsp.example/');
    expect(field('CRL distribution points', 'CRL')).toEqual(['http://crl.example/ca.crl']);
    expect(field('Subject alternative name')).toEqual(['email: signer@example.org']);
    expect(field('Qualified certificate statements').join('|')).toMatch(/QcCompliance.*\|.*QcSSCD.*\|.*electronic signature/);
    const fp = execFileSync('openssl', ['x509', '-in', c.certPath, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).split('=')[1]!.trim();
    expect(field('Fingerprints', 'SHA-256')).toEqual([fp]);
    expect(d.pem).toBe(c.certPem.replace(/\r/g, ''));
    expect(d.chainTrusted).toBe(true);
    expect(d.chain.map((l) => l.source)).toEqual(['token', 'trust-store']);
    expect(d.summary.purposes).toEqual(['signing']);
  });
});

describe('chain building', () => {
  it('leaf ← intermediate (token) ← root (anchor); untrusted without the anchor; expired CA reported', () => {
    const inter = pki.issue('Intermediate CA', { key: 'p256', ca: true });
    const leaf = pki.issue('leaf-under-inter', { key: 'p256', issuer: inter });
    const ok = buildChain(leaf.certDer, 'token', { intermediates: [{ der: inter.certDer, source: 'token' }], anchors: [{ der: pki.ca.certDer, source: 'trust-store' }] });
    expect(ok.trusted).toBe(true);
    expect(ok.chain.map((l) => l.cert.subject.split('\n').find((x) => x.startsWith('CN='))))
      .toEqual(['CN=leaf-under-inter', 'CN=Intermediate CA', 'CN=Signet Unit Test CA']);
    expect(ok.problems).toEqual([]);

    const noAnchor = buildChain(leaf.certDer, 'token', { intermediates: [{ der: inter.certDer, source: 'token' }] });
    expect(noAnchor.trusted).toBe(false);
    expect(noAnchor.problems.join()).toMatch(/not found|trusted root/);

    const missing = buildChain(leaf.certDer, 'token', { anchors: [{ der: pki.ca.certDer, source: 'trust-store' }] });
    expect(missing.trusted).toBe(false);
    expect(missing.problems.join()).toMatch(/Intermediate CA.*not found/);

    const oldInter = pki.issue('Old Intermediate', { key: 'p256', ca: true, notBefore: '20200101000000Z', notAfter: '20210101000000Z' });
    const leaf2 = pki.issue('leaf-under-old', { key: 'p256', issuer: oldInter, notBefore: '20200601000000Z', notAfter: '20201201000000Z' });
    const atNow = buildChain(leaf2.certDer, 'token', { intermediates: [{ der: oldInter.certDer, source: 'token' }], anchors: [{ der: pki.ca.certDer, source: 'trust-store' }] });
    expect(atNow.trusted).toBe(true);
    expect(atNow.problems.join()).toMatch(/Old Intermediate.*not valid/);
    const atThen = buildChain(leaf2.certDer, 'token', { intermediates: [{ der: oldInter.certDer, source: 'token' }], anchors: [{ der: pki.ca.certDer, source: 'trust-store' }], at: new Date('2020-09-01T00:00:00Z') });
    expect(atThen.problems).toEqual([]);
  });
});
