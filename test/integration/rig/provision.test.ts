// The rig provisions what it claims: checked with tools we did not write (pkcs11-tool, openssl,
// certutil) and with a raw pkcs11js client for the always-authenticate behaviour.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { provisionRig, STD, type Rig, type RigKey } from '../../rig';
import { startProbe } from './probe';

interface P11Object {
  kind: 'private' | 'public' | 'cert';
  label: string;
  id: string;
  access: string;
  usage: string;
}

/** `pkcs11-tool -O` after login, parsed into objects. */
function listObjects(rig: Rig, tokenLabel: string, pin: string): P11Object[] {
  const out = execFileSync(
    'pkcs11-tool',
    ['--module', rig.module, '--token-label', tokenLabel, '--login', '--pin', pin, '--list-objects'],
    { env: { ...process.env, ...rig.env }, encoding: 'utf8' },
  );
  const objects: P11Object[] = [];
  let cur: P11Object | undefined;
  for (const line of out.split('\n')) {
    const head = /^(Private Key|Public Key|Certificate) Object/.exec(line);
    if (head) {
      cur = { kind: head[1] === 'Private Key' ? 'private' : head[1] === 'Public Key' ? 'public' : 'cert', label: '', id: '', access: '', usage: '' };
      objects.push(cur);
      continue;
    }
    const field = /^\s+(label|ID|Access|Usage):\s+(.*)$/.exec(line);
    if (field && cur) {
      const [, name, value = ''] = field;
      if (name === 'label') cur.label = value.trim();
      if (name === 'ID') cur.id = value.trim();
      if (name === 'Access') cur.access = value.trim();
      if (name === 'Usage') cur.usage = value.trim();
    }
  }
  return objects;
}

function x509Text(key: RigKey): string {
  return execFileSync('openssl', ['x509', '-in', key.certPath, '-noout', '-text'], { encoding: 'utf8' });
}

/** Text of one extension block of `openssl x509 -text`: header line + value line. */
function extension(text: string, name: string): string {
  const m = new RegExp(`${name}:( critical)?\\s*\\n\\s+(.*)`).exec(text);
  return m ? `${m[1] ? 'critical ' : ''}${m[2]}` : '';
}

describe('provisionRig() standard set', () => {
  let rig: Rig;
  let elapsedMs = 0;

  beforeAll(async () => {
    const t = Date.now();
    rig = await provisionRig();
    elapsedMs = Date.now() - t;
  });
  afterAll(async () => {
    await rig?.cleanup();
  });

  test('layout: temp dir, softhsm2.conf, env, module', () => {
    console.log(`rig: standard set provisioned in ${elapsedMs} ms`);
    expect(rig.dir.startsWith(os.tmpdir())).toBe(true);
    const conf = fs.readFileSync(rig.softhsmConf, 'utf8');
    expect(conf).toContain(`directories.tokendir = ${path.join(rig.dir, 'tokens')}`);
    expect(conf).toContain('objectstore.backend = file');
    expect(conf).toContain('log.level = ERROR');
    expect(rig.env).toEqual({ SOFTHSM2_CONF: rig.softhsmConf });
    expect(fs.existsSync(rig.module)).toBe(true);
    expect(rig.tokens.map((t) => [t.label, t.pin, t.keys.length])).toEqual([
      ['Signet Test A', '123456', 8],
      ['Signet Test B', '654321', 1],
    ]);
  });

  test('pkcs11-tool sees both tokens with their serials', () => {
    const out = execFileSync('pkcs11-tool', ['--module', rig.module, '--list-token-slots'], { env: { ...process.env, ...rig.env }, encoding: 'utf8' });
    for (const t of rig.tokens) {
      expect(out).toContain(`token label        : ${t.label}`);
      expect(out).toMatch(new RegExp(`serial num\\s+: ${t.serial}`));
    }
  });

  test('every key is a private key, public key and certificate with one CKA_ID and CKA_LABEL', () => {
    for (const token of rig.tokens) {
      const objects = listObjects(rig, token.label, token.pin);
      expect(objects).toHaveLength(token.keys.length * 3);
      for (const key of token.keys) {
        const mine = objects.filter((o) => o.id === key.idHex);
        expect(mine.map((o) => o.kind).sort(), key.name).toEqual(['cert', 'private', 'public']);
        expect(new Set(mine.map((o) => o.label)), key.name).toEqual(new Set([key.label]));
        const priv = mine.find((o) => o.kind === 'private');
        expect(priv?.access, key.name).toContain('sensitive');
        // Signing keys sign and nothing else; RSA authentication keys may also decrypt (TLS 1.2).
        expect(priv?.usage, key.name).toBe(key.purpose === 'authentication' && key.keyType === 'RSA' ? 'decrypt, sign' : 'sign');
        expect(priv?.access.includes('always authenticate'), key.name).toBe(key.alwaysAuthenticate);
      }
    }
    expect(rig.key(STD.alwaysAuthRsa2048).alwaysAuthenticate).toBe(true);
  });

  test('key types and sizes', () => {
    const types = Object.fromEntries(rig.tokens.flatMap((t) => t.keys).map((k) => [k.name, `${k.keyType}-${k.bits ?? k.curve}`]));
    expect(types).toEqual({
      'sign-rsa2048': 'RSA-2048', 'auth-rsa2048': 'RSA-2048', 'sign-p256': 'EC-P-256', 'auth-p256': 'EC-P-256',
      'sign-rsa3072': 'RSA-3072', 'sign-p384': 'EC-P-384', 'expired-rsa2048': 'RSA-2048', 'always-auth-rsa2048': 'RSA-2048',
      'b-sign-p256': 'EC-P-256',
    });
    for (const k of rig.tokens.flatMap((t) => t.keys)) {
      const text = x509Text(k);
      if (k.keyType === 'RSA') expect(text, k.name).toContain(`Public-Key: (${k.bits} bit)`);
      else expect(text, k.name).toContain(`NIST CURVE: ${k.curve}`);
      // The certificate carries exactly the key the rig says it does.
      const certKey = execFileSync('openssl', ['x509', '-in', k.certPath, '-noout', '-pubkey'], { encoding: 'utf8' });
      expect(certKey.trim(), k.name).toBe(k.publicKeyPem.trim());
    }
  });

  test('signing certificates: keyUsage critical nonRepudiation only, EKU emailProtection', () => {
    for (const name of [STD.signRsa2048, STD.signP256, STD.signRsa3072, STD.signP384, STD.expiredRsa2048, STD.alwaysAuthRsa2048, STD.bSignP256]) {
      const text = x509Text(rig.key(name));
      expect(extension(text, 'X509v3 Key Usage'), name).toBe('critical Non Repudiation');
      expect(extension(text, 'X509v3 Extended Key Usage'), name).toBe('E-mail Protection');
      expect(extension(text, 'X509v3 Basic Constraints'), name).toBe('critical CA:FALSE');
      expect(rig.key(name).purpose).toBe('signing');
    }
  });

  test('authentication certificates: keyUsage digitalSignature, EKU clientAuth', () => {
    for (const name of [STD.authRsa2048, STD.authP256]) {
      const text = x509Text(rig.key(name));
      expect(extension(text, 'X509v3 Key Usage'), name).toBe('critical Digital Signature');
      expect(extension(text, 'X509v3 Extended Key Usage'), name).toBe('TLS Web Client Authentication');
      expect(rig.key(name).purpose).toBe('authentication');
    }
  });

  test('chains verify with openssl; the expired certificate is expired and only that', () => {
    for (const k of rig.tokens.flatMap((t) => t.keys)) {
      const r = spawnSync('openssl', ['verify', '-CAfile', rig.ca.certPath, k.certPath], { encoding: 'utf8' });
      if (k.name === STD.expiredRsa2048) {
        expect(r.status).not.toBe(0);
        expect(r.stdout + r.stderr).toContain('certificate has expired');
        // Valid at a time inside its period: nothing else is wrong with it.
        const notAfter = execFileSync('openssl', ['x509', '-in', k.certPath, '-noout', '-enddate'], { encoding: 'utf8' });
        const at = Math.floor((new Date(notAfter.replace('notAfter=', '').trim()).getTime() - 3600_000) / 1000);
        const past = spawnSync('openssl', ['verify', '-attime', String(at), '-CAfile', rig.ca.certPath, k.certPath], { encoding: 'utf8' });
        expect(past.status, past.stderr).toBe(0);
        expect(k.expired).toBe(true);
      } else {
        expect(r.status, `${k.name}: ${r.stderr}`).toBe(0);
        expect(k.expired).toBe(false);
      }
    }
  });

  test('RFC 7512 URIs name token, serial, id and type', () => {
    const a = rig.token('Signet Test A');
    expect(a.uri).toBe(`pkcs11:token=Signet%20Test%20A;serial=${a.serial}`);
    expect(rig.key(STD.signRsa2048).keyUri).toBe(`pkcs11:token=Signet%20Test%20A;serial=${a.serial};id=%01;type=private`);
    expect(rig.key(STD.alwaysAuthRsa2048).certUri).toBe(`pkcs11:token=Signet%20Test%20A;serial=${a.serial};id=%08;type=cert`);
    const b = rig.token('Signet Test B');
    expect(rig.key(STD.bSignP256).keyUri).toBe(`pkcs11:token=Signet%20Test%20B;serial=${b.serial};id=%01;type=private`);
    expect(() => rig.key('nope')).toThrow(/no key "nope"/);
    expect(() => rig.token('nope')).toThrow(/no token "nope"/);
  });

  test('the token keys sign, and openssl verifies with the certificate key (RSA and EC)', () => {
    const data = path.join(rig.dir, 'data.txt');
    fs.writeFileSync(data, 'signet rig self-test\n');
    // SoftHSM2 has no CKM_ECDSA_SHA256: EC keys sign the digest (CKM_ECDSA), as the app does.
    const digest = path.join(rig.dir, 'data.sha256');
    execFileSync('openssl', ['dgst', '-sha256', '-binary', '-out', digest, data]);
    for (const name of [STD.signRsa2048, STD.authP256, STD.signP384, STD.bSignP256]) {
      const k = rig.key(name);
      const token = rig.token(k.token);
      const sig = path.join(rig.dir, `${name}.sig`);
      const rsa = k.keyType === 'RSA';
      execFileSync(
        'pkcs11-tool',
        [
          '--module', rig.module, '--token-label', token.label, '--login', '--pin', token.pin, '--sign', '--id', k.idHex,
          ...(rsa ? ['-m', 'SHA256-RSA-PKCS', '-i', data] : ['-m', 'ECDSA', '--signature-format', 'openssl', '-i', digest]),
          '-o', sig,
        ],
        { env: { ...process.env, ...rig.env }, stdio: 'pipe' },
      );
      const pub = path.join(rig.dir, `${name}.pub`);
      fs.writeFileSync(pub, k.publicKeyPem);
      const r = spawnSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sig, data], { encoding: 'utf8' });
      expect(r.stdout.trim(), name).toBe('Verified OK');
    }
  });

  test('CKA_ALWAYS_AUTHENTICATE: SoftHSM2 demands C_Login(CKU_CONTEXT_SPECIFIC) before each C_Sign', async () => {
    const probe = startProbe(rig.env);
    try {
      await probe.ok('load', { module: rig.module });
      await probe.ok('init');
      const slot = await probe.ok<string>('findToken', { label: 'Signet Test A' });
      // CK_TOKEN_INFO.label is blank-padded, as on real tokens (not NUL-padded).
      expect(await probe.ok('tokenInfo', { slot })).toMatchObject({ rawLabel: 'Signet Test A'.padEnd(32, ' '), serial: rig.token('Signet Test A').serial });
      const session = await probe.ok<string>('open', { slot });
      await probe.ok('login', { session, pin: '123456' });
      const digestInfo = '3031300d060960864801650304020105000420' + '11'.repeat(32);
      const id = rig.key(STD.alwaysAuthRsa2048).idHex;
      // Without the second login the signature is refused...
      expect(await probe.call('sign', { session, id, mechanism: 'RSA_PKCS', data: digestInfo })).toEqual({ ok: false, error: 'CKR_USER_NOT_LOGGED_IN' });
      // ...with it, it is made; and the next signature needs it again.
      expect((await probe.call('sign', { session, id, mechanism: 'RSA_PKCS', data: digestInfo, contextPin: '123456' })).ok).toBe(true);
      expect(await probe.call('sign', { session, id, mechanism: 'RSA_PKCS', data: digestInfo })).toEqual({ ok: false, error: 'CKR_USER_NOT_LOGGED_IN' });
      // An ordinary key on the same session signs without it.
      expect((await probe.call('sign', { session, id: rig.key(STD.signRsa2048).idHex, mechanism: 'RSA_PKCS', data: digestInfo })).ok).toBe(true);
    } finally {
      probe.kill();
    }
  });

  test('nssDb() trusts the root CA (CT,C,C) and NSS validates a signing certificate with it', () => {
    const dir = rig.nssDb();
    expect(rig.nssDb()).toBe(dir);
    const out = execFileSync('certutil', ['-L', '-d', `sql:${dir}`], { encoding: 'utf8' });
    expect(out).toMatch(/Signet Test Root CA\s+CT,C,C/);
    // certutil -V checks a certificate that is in the db: use a second db to add the leaf to.
    const other = rig.nssDb(path.join(rig.dir, 'nss-check'));
    expect(other).toBe(path.join(rig.dir, 'nss-check'));
    execFileSync('certutil', ['-A', '-d', `sql:${other}`, '-n', 'leaf', '-t', ',,', '-i', rig.key(STD.signRsa2048).certPath]);
    const v = spawnSync('certutil', ['-V', '-d', `sql:${other}`, '-n', 'leaf', '-u', 'S'], { encoding: 'utf8' });
    expect(v.stdout + v.stderr).toContain('certificate is valid');
  });
});

describe('custom tokens, addToken / removeToken, cleanup', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await provisionRig({
      tokens: [
        {
          label: 'Custom / Ü',
          pin: '1111',
          keys: [
            { name: 'both-p256', keyType: 'EC', purpose: 'both', idHex: 'a1b2' },
            { name: 'int-rsa', keyType: 'RSA', issuer: 'intermediate', notYetValid: true },
            { name: 'bare', keyType: 'EC', curve: 'P-384', noCertificate: true },
          ],
        },
      ],
      ocspUrl: 'http://127.0.0.1:9/ocsp',
      crlUrl: 'http://127.0.0.1:9/root.crl',
    });
  });
  afterAll(async () => {
    await rig?.cleanup();
  });

  test('purpose "both", custom CKA_ID, URI escaping', () => {
    const k = rig.key('both-p256');
    const text = x509Text(k);
    expect(extension(text, 'X509v3 Key Usage')).toBe('critical Digital Signature, Non Repudiation');
    expect(extension(text, 'X509v3 Extended Key Usage')).toBe('TLS Web Client Authentication, E-mail Protection');
    expect(k.keyUri).toBe(`pkcs11:token=Custom%20%2F%20%C3%9C;serial=${rig.tokens[0]?.serial};id=%A1%B2;type=private`);
  });

  test('AIA OCSP URL and CRL distribution point go into the leaves', () => {
    const text = x509Text(rig.key('both-p256'));
    expect(text).toContain('OCSP - URI:http://127.0.0.1:9/ocsp');
    expect(text).toContain('URI:http://127.0.0.1:9/root.crl');
  });

  test('intermediate-issued, not-yet-valid certificate chains through rig.intermediate', () => {
    const k = rig.key('int-rsa');
    expect(k.issuer).toBe(rig.intermediate);
    expect(k.chainPem).toBe(rig.intermediate.certPem);
    const r = spawnSync('openssl', ['verify', '-CAfile', rig.ca.certPath, '-untrusted', rig.intermediate.certPath, k.certPath], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('certificate is not yet valid');
    expect(k.expired).toBe(false);
  });

  test('a key without certificate has two objects and no certUri', () => {
    const objects = listObjects(rig, 'Custom / Ü', '1111').filter((o) => o.id === rig.key('bare').idHex);
    expect(objects.map((o) => o.kind).sort()).toEqual(['private', 'public']);
    expect(rig.key('bare').certUri).toBe('');
  });

  test('addToken adds a token next to the others; removeToken deletes it', async () => {
    const t = await rig.addToken({ label: 'Late', pin: '2222', keys: [{ name: 'late-p256', keyType: 'EC' }] });
    const slots = () => execFileSync('pkcs11-tool', ['--module', rig.module, '--list-token-slots'], { env: { ...process.env, ...rig.env }, encoding: 'utf8' });
    expect(slots()).toContain('token label        : Late');
    expect(slots()).toContain('token label        : Custom / Ü');
    expect(rig.key('late-p256').token).toBe('Late');
    expect(t.keys[0]?.keyUri).toContain('token=Late;');
    await expect(rig.addToken({ label: 'Late', pin: '2222', keys: [] })).rejects.toThrow(/duplicate token label/);
    await rig.removeToken('Late');
    expect(slots()).not.toContain('token label        : Late');
    expect(() => rig.token('Late')).toThrow();
  });

  test('invalid specs are refused before anything is made', async () => {
    await expect(provisionRig({ tokens: [{ label: 'X', pin: '1234', keys: [{ name: 'a', keyType: 'EC' }, { name: 'a', keyType: 'EC' }] }] })).rejects.toThrow(/duplicate key name/);
    await expect(provisionRig({ tokens: [{ label: 'X'.repeat(33), pin: '1234', keys: [] }] })).rejects.toThrow(/32 bytes/);
  });

  test('cleanup() removes the directory and can be called twice', async () => {
    const other = await provisionRig({ tokens: [{ label: 'Tmp', pin: '1234', keys: [] }] });
    expect(fs.existsSync(other.dir)).toBe(true);
    await other.cleanup();
    await other.cleanup();
    expect(fs.existsSync(other.dir)).toBe(false);
  });
});
