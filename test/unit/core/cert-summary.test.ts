import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeCertificate, serialHex } from '../../../electron/core/pki/summary';
import { assertPurpose, authenticationRefusal, certificatePurposes, purposesOfUsage } from '../../../electron/core/pki/purposes';

// Certificates made by openssl (an independent tool); expectations come from openssl's own output.
const dir = mkdtempSync(path.join(tmpdir(), 'signet-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function makeCert(opts: { key: string; subj: string; ext: string[]; serial?: string }): { der: Uint8Array; pem: string; file: string } {
  const i = ++n;
  const keyFile = path.join(dir, `k${i}.pem`);
  const certFile = path.join(dir, `c${i}.pem`);
  const cnf = path.join(dir, `r${i}.cnf`);
  execFileSync('openssl', ['genpkey', ...opts.key.split(' '), '-out', keyFile], { stdio: 'ignore' });
  // Only the extensions asked for (no defaults from a system openssl.cnf).
  writeFileSync(cnf, '[req]\ndistinguished_name=dn\nx509_extensions=v3\n[dn]\n[v3]\n' + opts.ext.join('\n') + '\n');
  execFileSync(
    'openssl',
    ['req', '-x509', '-new', '-key', keyFile, '-subj', opts.subj, '-multivalue-rdn', '-days', '30', '-set_serial', opts.serial ?? '0x0A1B', '-config', cnf, '-out', certFile],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(certFile, 'utf8');
  const der = execFileSync('openssl', ['x509', '-in', certFile, '-outform', 'DER']);
  return { der: new Uint8Array(der), pem, file: certFile };
}

const openssl = (file: string, ...args: string[]): string => execFileSync('openssl', ['x509', '-in', file, '-noout', ...args]).toString().trim();

const tokenCert = (der: Uint8Array) => ({
  uri: 'pkcs11:token=T;id=%01;type=cert',
  keyUri: 'pkcs11:token=T;id=%01;type=private',
  keyConfirmed: true,
  token: 'pkcs11:token=T',
  label: 'c',
  id: '01',
  alwaysAuthenticate: false,
  certificate: der,
});

describe('summarizeCertificate (checked against openssl)', () => {
  it('RSA signing certificate: names, serial, dates, fingerprint, key size, purposes', () => {
    const c = makeCert({
      key: '-algorithm RSA -pkeyopt rsa_keygen_bits:2048',
      subj: '/C=EE/O=Signet, Test/OU=R+D;x/CN=Jane Doe/serialNumber=PNOEE-1',
      ext: ['keyUsage=critical,nonRepudiation', 'extendedKeyUsage=emailProtection'],
      serial: '0x80AA01',
    });
    const s = summarizeCertificate(tokenCert(c.der));
    expect(s.subject).toBe(openssl(c.file, '-subject', '-nameopt', 'RFC2253').replace(/^subject=/, ''));
    expect(s.issuer).toBe(openssl(c.file, '-issuer', '-nameopt', 'RFC2253').replace(/^issuer=/, ''));
    expect(s.serialNumber).toBe(openssl(c.file, '-serial').replace(/^serial=/, ''));
    expect(s.fingerprintSha256).toBe(openssl(c.file, '-fingerprint', '-sha256').replace(/^.*=/, '').replace(/:/g, '').toLowerCase());
    expect(new Date(s.notAfter).getTime()).toBe(new Date(openssl(c.file, '-enddate').replace(/^notAfter=/, '')).getTime());
    expect(new Date(s.notBefore).getTime()).toBe(new Date(openssl(c.file, '-startdate').replace(/^notBefore=/, '')).getTime());
    expect(s.keyType).toBe('RSA');
    expect(s.keySize).toBe(2048);
    expect(s.curve).toBeUndefined();
    expect(s.purposes).toEqual(['signing']);
    expect(Buffer.from(s.certificate, 'base64').equals(Buffer.from(c.der))).toBe(true);
    expect(s.keyUri).toBe('pkcs11:token=T;id=%01;type=private');
  });

  it('multi-valued RDNs join with "+" (order inside an RDN is free, RFC 4514 §2.2)', () => {
    const c = makeCert({ key: '-algorithm EC -pkeyopt ec_paramgen_curve:P-256', subj: '/O=X/CN=Jane+serialNumber=7', ext: ['keyUsage=critical,nonRepudiation'] });
    const s = summarizeCertificate(tokenCert(c.der));
    expect(['CN=Jane+serialNumber=7,O=X', 'serialNumber=7+CN=Jane,O=X']).toContain(s.subject);
  });

  it('EC certificates report curve and field size', () => {
    const p256 = summarizeCertificate(tokenCert(makeCert({ key: '-algorithm EC -pkeyopt ec_paramgen_curve:P-256', subj: '/CN=a', ext: ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'] }).der));
    expect([p256.keyType, p256.keySize, p256.curve]).toEqual(['EC', 256, 'P-256']);
    expect(p256.purposes).toEqual(['authentication']);
    const p384 = summarizeCertificate(tokenCert(makeCert({ key: '-algorithm EC -pkeyopt ec_paramgen_curve:P-384', subj: '/CN=b', ext: ['keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=clientAuth,emailProtection'] }).der));
    expect([p384.keyType, p384.keySize, p384.curve]).toEqual(['EC', 384, 'P-384']);
    // nonRepudiation makes it a signing key: it never authenticates, whatever its EKU (issue 8 §2).
    expect(p384.purposes).toEqual(['signing']);
  });

  it('refuses non-RSA/EC keys with a typed error', () => {
    const ed = makeCert({ key: '-algorithm ED25519', subj: '/CN=ed', ext: ['keyUsage=critical,digitalSignature'] });
    expect(() => summarizeCertificate(tokenCert(ed.der))).toThrowError(expect.objectContaining({ code: 'MECHANISM_UNSUPPORTED' }));
    expect(() => summarizeCertificate(tokenCert(new Uint8Array([1, 2, 3])))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('serialHex drops only the DER sign byte', () => {
    expect(serialHex(new Uint8Array([0x00, 0x80, 0x01]).buffer)).toBe('8001');
    expect(serialHex(new Uint8Array([0x00]).buffer)).toBe('00');
    expect(serialHex(new Uint8Array([0x0a, 0x1b]).buffer)).toBe('0A1B');
  });
});

describe('purposes (design.md "Purposes")', () => {
  const DS = 1;
  const NR = 2;
  const KE = 4;
  const EMAIL = '1.3.6.1.5.5.7.3.4';
  const CLIENT = '1.3.6.1.5.5.7.3.2';
  const SERVER = '1.3.6.1.5.5.7.3.1';
  it.each([
    ['nonRepudiation only', { keyUsage: NR }, ['signing']],
    ['nonRepudiation + clientAuth EKU (no digitalSignature)', { keyUsage: NR, extKeyUsage: [CLIENT] }, ['signing']],
    ['digitalSignature + emailProtection', { keyUsage: DS, extKeyUsage: [EMAIL] }, ['signing']],
    ['digitalSignature + RFC 9336 documentSigning', { keyUsage: DS, extKeyUsage: ['1.3.6.1.5.5.7.3.36'] }, ['signing']],
    ['digitalSignature + MS document signing', { keyUsage: DS, extKeyUsage: ['1.3.6.1.4.1.311.10.3.12'] }, ['signing']],
    ['digitalSignature + clientAuth', { keyUsage: DS, extKeyUsage: [CLIENT] }, ['authentication']],
    ['digitalSignature alone (no EKU)', { keyUsage: DS }, ['authentication']],
    ['digitalSignature + anyExtendedKeyUsage', { keyUsage: DS, extKeyUsage: ['2.5.29.37.0'] }, ['authentication']],
    ['digitalSignature + serverAuth only', { keyUsage: DS, extKeyUsage: [SERVER] }, []],
    ['keyEncipherment only', { keyUsage: KE }, []],
    ['DS+NR, clientAuth+email (a signing key never logs in)', { keyUsage: DS | NR, extKeyUsage: [CLIENT, EMAIL] }, ['signing']],
    ['DS+NR, no EKU (the issue-8 token)', { keyUsage: DS | NR }, ['signing']],
    ['no keyUsage, no EKU (unrestricted, RFC 5280)', {}, ['signing', 'authentication']],
  ])('%s', (_name, facts, expected) => {
    expect(purposesOfUsage(facts)).toEqual(expected);
  });

  it('the admin may let nonRepudiation keys authenticate, explicitly', () => {
    expect(purposesOfUsage({ keyUsage: DS | NR }, { allowNonRepudiation: true })).toEqual(['signing', 'authentication']);
  });

  it.each([
    ['DS+NR, no EKU', { keyUsage: DS | NR }, {}, 'non-repudiation-key'],
    ['DS+NR, clientAuth', { keyUsage: DS | NR, extKeyUsage: [CLIENT] }, {}, 'non-repudiation-key'],
    ['NR only', { keyUsage: NR }, { allowNonRepudiation: true }, 'no-digital-signature'],
    ['DS, serverAuth only', { keyUsage: DS, extKeyUsage: [SERVER] }, {}, 'no-client-auth-eku'],
    ['DS, no EKU, Web eID', { keyUsage: DS }, { webEid: true }, 'web-eid-needs-client-auth-eku'],
    ['DS, anyEKU, Web eID', { keyUsage: DS, extKeyUsage: ['2.5.29.37.0'] }, { webEid: true }, 'web-eid-needs-client-auth-eku'],
    ['DS, no EKU, Web eID relaxed', { keyUsage: DS }, { webEid: true, webEidWithoutClientAuthEku: true }, null],
    ['DS+NR, no EKU, relaxed', { keyUsage: DS | NR }, { allowNonRepudiation: true }, null],
    ['DS, clientAuth, Web eID', { keyUsage: DS, extKeyUsage: [CLIENT] }, { webEid: true }, null],
    ['DS, no EKU (generic login)', { keyUsage: DS }, {}, null],
  ])('authentication refusal: %s', (_name, facts, o, rule) => {
    const { webEid, ...rules } = o as { webEid?: boolean; allowNonRepudiation?: boolean; webEidWithoutClientAuthEku?: boolean };
    expect(authenticationRefusal(facts, { ...(webEid ? { webEid } : {}), rules })).toBe(rule);
  });

  it('assertPurpose names the rule in KEY_PURPOSE_MISMATCH', () => {
    const c = makeCert({ key: '-algorithm EC -pkeyopt ec_paramgen_curve:P-256', subj: '/CN=nr', ext: ['keyUsage=critical,digitalSignature,nonRepudiation'] });
    expect(() => assertPurpose(c.der, 'authentication')).toThrowError(expect.objectContaining({ code: 'KEY_PURPOSE_MISMATCH', details: { purpose: 'authentication', rule: 'non-repudiation-key' } }));
    expect(() => assertPurpose(c.der, 'signing')).not.toThrow();
    const auth = makeCert({ key: '-algorithm EC -pkeyopt ec_paramgen_curve:P-256', subj: '/CN=au', ext: ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'] });
    expect(() => assertPurpose(auth.der, 'signing')).toThrowError(expect.objectContaining({ details: { purpose: 'signing', rule: 'not-a-signing-certificate' } }));
    expect(() => assertPurpose(auth.der, 'authentication', { webEid: true })).not.toThrow();
    expect(() => assertPurpose(null, 'authentication')).toThrowError(expect.objectContaining({ details: { purpose: 'authentication', rule: 'no-certificate' } }));
  });

  it('reads KU/EKU from a real certificate', () => {
    const c = makeCert({ key: '-algorithm EC -pkeyopt ec_paramgen_curve:P-256', subj: '/CN=x', ext: ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'] });
    expect(certificatePurposes(c.der)).toEqual([]);
  });
});
