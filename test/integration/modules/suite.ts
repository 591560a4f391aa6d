/**
 * The same suite for every PKCS#11 module (SoftHSM2, p11-kit-proxy, tpm2-pkcs11 on swtpm,
 * openCryptoki's soft token), through Signet's CLI as a user runs it, each result checked by a
 * tool we did not write:
 *  - tokens and certificates: the URIs Signet prints are exactly GnuTLS p11tool's (p11-kit's
 *    format), p11tool finds the objects Signet's URIs name, Signet finds those p11tool's URIs
 *    name; OpenSC pkcs11-tool reads the same token fields and the certificate by Signet's CKA_ID,
 *    and a URI made from pkcs11-tool's listing signs;
 *  - purposes: the signing certificate is `signing`, the authentication one `authentication`;
 *  - sign-hash per scheme the token offers, verified with `openssl dgst -verify`;
 *  - CAdES, verified with `openssl cms -verify` against the rig's CA;
 *  - a wrong PIN: PIN_INCORRECT, exit code 3, no invented retry facts.
 * What a module cannot do is stated, and checked, in its capabilities (a module that gains a
 * mechanism fails the test until the suite covers it).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleRig, type ModuleKeySpec, type ModuleKind, type ModuleRig, type ModuleRigKey } from '../../rig/modules';
import { forgetCliHome, p11tool, pkcs11Tool, signet, tool, urlsOf } from './tools';

export type Scheme = 'pkcs1' | 'pss' | 'ecdsa';

export interface ModuleCapabilities {
  /** Keys the token is given (the module must be able to make / hold them). */
  keys: ModuleKeySpec[];
  /** (key name, scheme, hash) combinations signed and verified. */
  signatures: { key: string; scheme: Scheme; hash: 'sha256' | 'sha384' | 'sha512' }[];
  /** Mechanisms the token must advertise, and ones it must not (the reason a scheme is left out). */
  mechanisms: { present: string[]; absent: string[] };
  /** Schemes the token lacks: Signet must refuse them (MECHANISM_UNSUPPORTED), never fall back silently. */
  refused?: { key: string; scheme: Scheme; hash: 'sha256' | 'sha384' | 'sha512' }[];
  tpmMaxTries?: number;
}

export const RSA_KEYS: ModuleKeySpec[] = [
  { name: 'sign-rsa', keyType: 'RSA', bits: 2048, purpose: 'signing' },
  { name: 'auth-rsa', keyType: 'RSA', bits: 2048, purpose: 'authentication' },
];
export const EC_KEYS: ModuleKeySpec[] = [
  { name: 'sign-p256', keyType: 'EC', curve: 'P-256', purpose: 'signing' },
  { name: 'sign-p384', keyType: 'EC', curve: 'P-384', purpose: 'signing' },
];

interface SignetToken {
  uri: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  mechanisms: string[];
  flags: Record<string, boolean>;
}
interface SignetCert {
  uri: string;
  keyUri?: string;
  token: string;
  id: string;
  purposes: string[];
  fingerprintSha256: string;
  alwaysAuthenticate: boolean | null;
}

export interface SuiteContext {
  rig(): ModuleRig;
  token(): SignetToken;
}

/** Register the suite for one module; returns accessors for module-specific tests in the same file. */
export function moduleSuite(kind: ModuleKind, caps: ModuleCapabilities): SuiteContext {
  let rig: ModuleRig;
  let token: SignetToken;
  let certs: SignetCert[];
  const work = mkdtempSync(path.join(tmpdir(), `signet-${kind}-`));
  const key = (name: string): ModuleRigKey => rig.keys.find((k) => k.name === name)!;
  const certOf = (k: ModuleRigKey): SignetCert => certs.find((c) => c.fingerprintSha256 === createHash('sha256').update(k.certDer).digest('hex'))!;

  beforeAll(async () => {
    rig = await startModuleRig(kind, caps.keys, caps.tpmMaxTries !== undefined ? { tpmMaxTries: caps.tpmMaxTries } : {});
    const t = await signet(rig, ['tokens', '--json']);
    expect(t.code, t.stderr).toBe(0);
    token = (t.json as SignetToken[]).find((x) => x.label === rig.token.label)!;
    expect(token, `token ${rig.token.label} in ${t.text}`).toBeDefined();
    const c = await signet(rig, ['certs', '--json', '--token', token.uri]);
    expect(c.code, c.stderr).toBe(0);
    certs = c.json as SignetCert[];
  });
  afterAll(async () => {
    if (rig) forgetCliHome(rig);
    rmSync(work, { recursive: true, force: true });
    await rig?.cleanup();
  });

  describe(`tokens (${kind})`, () => {
    it('lists the token with the fields the module reports, initialised and login-required', () => {
      expect(token.serial).toBe(rig.token.serial);
      expect(token.flags).toMatchObject({ tokenInitialized: true, loginRequired: true, pinLocked: false });
      expect(token.mechanisms).toEqual(expect.arrayContaining(caps.mechanisms.present));
      for (const m of caps.mechanisms.absent) expect(token.mechanisms, `${m} is new: add it to the suite`).not.toContain(m);
    });

    it("prints exactly p11tool's token URI, and p11tool accepts Signet's", async () => {
      const listed = await p11tool(rig, ['--list-tokens']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(urlsOf(listed.text)).toContain(token.uri);
      const certsByUri = await p11tool(rig, ['--list-all-certs', token.uri]);
      expect(urlsOf(certsByUri.text).length).toBe(rig.keys.length);
    });

    it('agrees with pkcs11-tool on label, manufacturer, model and serial', async () => {
      const l = await pkcs11Tool(rig, ['-L']);
      expect(l.code, l.stderr).toBe(0);
      const block = l.text.split(/\nSlot /).find((b) => new RegExp(`token label\\s*:\\s*${rig.token.label}\\s*$`, 'm').test(b));
      expect(block, l.text).toBeDefined();
      const field = (name: string): string => new RegExp(`${name}\\s*:\\s*(.*)$`, 'm').exec(block!)![1]!.trim();
      expect(field('token manufacturer')).toBe(token.manufacturer);
      expect(field('token model')).toBe(token.model.trim());
      expect(field('serial num')).toBe(token.serial);
    });
  });

  describe(`certificates (${kind})`, () => {
    it('lists every certificate with its purposes and a private key URI', () => {
      expect(certs.length).toBe(rig.keys.length);
      for (const k of rig.keys) {
        const c = certOf(k);
        expect(c, k.name).toBeDefined();
        expect(c.token).toBe(token.uri);
        expect(c.keyUri).toMatch(/;type=private$/);
        // The rig's private keys are CKA_PRIVATE: hidden before login, so per-signature PIN or not is unknown.
        expect(c.alwaysAuthenticate).toBeNull();
        if (k.purpose === 'signing') expect(c.purposes).toEqual(['signing']);
        else expect(c.purposes).toEqual(['authentication']);
      }
    });

    it("prints exactly p11tool's certificate URIs, and p11tool exports the certificate Signet's URI names", async () => {
      const listed = await p11tool(rig, ['--list-all-certs', token.uri]);
      expect(new Set(urlsOf(listed.text))).toEqual(new Set(certs.map((c) => c.uri)));
      for (const k of rig.keys) {
        const exported = await p11tool(rig, ['--export', certOf(k).uri]);
        expect(exported.code, exported.stderr).toBe(0);
        expect(new X509Certificate(exported.text).raw.equals(k.certDer), k.name).toBe(true);
      }
    });

    it("p11tool finds the private key Signet's key URI names (after login)", async () => {
      const k = key(caps.signatures[0]!.key);
      const listed = await p11tool(rig, ['--login', '--list-privkeys', certOf(k).keyUri!], rig.token.pin);
      expect(listed.code, listed.stderr).toBe(0);
      const urls = urlsOf(listed.text);
      expect(urls.length).toBe(1);
      expect(urls[0]).toContain(`id=%${k.idHex.toUpperCase()};`);
    });

    it('pkcs11-tool reads the certificate by the CKA_ID in Signet’s URI', async () => {
      const k = key(caps.signatures[0]!.key);
      const id = /;id=((?:%[0-9A-F]{2})+)/.exec(certOf(k).uri)![1]!.replace(/%/g, '');
      const r = await pkcs11Tool(rig, ['--token-label', rig.token.label, '--read-object', '--type', 'cert', '--id', id]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.equals(k.certDer)).toBe(true);
    });
  });

  describe(`signatures (${kind})`, () => {
    const data = Buffer.from(`Signet cross-module test (${kind})\n`);
    const verify = async (k: ModuleRigKey, hash: string, sig: Buffer, pss: boolean): Promise<string> => {
      const dir = mkdtempSync(path.join(work, 'v-'));
      writeFileSync(path.join(dir, 'pub.pem'), k.publicKeyPem);
      writeFileSync(path.join(dir, 'data'), data);
      writeFileSync(path.join(dir, 'sig'), sig);
      const extra = pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest', '-sigopt', `rsa_mgf1_md:${hash}`] : [];
      const r = await tool('openssl', ['dgst', `-${hash}`, ...extra, '-verify', path.join(dir, 'pub.pem'), '-signature', path.join(dir, 'sig'), path.join(dir, 'data')]);
      return r.text.trim();
    };

    for (const s of caps.signatures) {
      it(`sign-hash ${s.key} ${s.scheme}/${s.hash}: openssl dgst -verify accepts it`, async () => {
        const k = key(s.key);
        const digest = createHash(s.hash).update(data).digest('hex');
        const r = await signet(rig, ['sign-hash', '--json', '--key', certOf(k).keyUri!, '--hash', digest, '--hash-alg', s.hash, '--scheme', s.scheme, '--pin-stdin'], { input: `${rig.token.pin}\n` });
        expect(r.code, r.stderr).toBe(0);
        const out = r.json as { signature: string; scheme: string; certificate: string };
        expect(out.scheme).toBe(s.scheme);
        expect(Buffer.from(out.certificate, 'base64').equals(k.certDer)).toBe(true);
        expect(await verify(k, s.hash, Buffer.from(out.signature, 'base64'), s.scheme === 'pss')).toBe('Verified OK');
      });
    }

    for (const s of caps.refused ?? []) {
      it(`sign-hash ${s.key} ${s.scheme}/${s.hash}: refused as MECHANISM_UNSUPPORTED (the token lacks it)`, async () => {
        const digest = createHash(s.hash).update(data).digest('hex');
        const r = await signet(rig, ['sign-hash', '--json', '--key', certOf(key(s.key)).keyUri!, '--hash', digest, '--scheme', s.scheme, '--pin-stdin'], { input: `${rig.token.pin}\n` });
        expect(r.code).not.toBe(0);
        expect((r.json as { error: { code: string } }).error.code).toBe('MECHANISM_UNSUPPORTED');
      });
    }

    it("signs with the key p11tool's URI names (vice versa)", async () => {
      const s = caps.signatures[0]!;
      const k = key(s.key);
      const listed = await p11tool(rig, ['--login', '--list-privkeys', token.uri], rig.token.pin);
      const url = urlsOf(listed.text).find((u) => u.includes(`id=%${k.idHex.toUpperCase()};`));
      expect(url, listed.text).toBeDefined();
      const digest = createHash(s.hash).update(data).digest('hex');
      const r = await signet(rig, ['sign-hash', '--json', '--key', url!, '--hash', digest, '--scheme', s.scheme, '--pin-stdin'], { input: `${rig.token.pin}\n` });
      expect(r.code, r.stderr).toBe(0);
      expect(await verify(k, s.hash, Buffer.from((r.json as { signature: string }).signature, 'base64'), s.scheme === 'pss')).toBe('Verified OK');
    });

    it("signs with a URI made from pkcs11-tool's listing (token label, serial, CKA_ID)", async () => {
      const s = caps.signatures[0]!;
      const k = key(s.key);
      const objects = await pkcs11Tool(rig, ['--token-label', rig.token.label, '--login', '--pin', rig.token.pin, '--list-objects', '--type', 'privkey']);
      expect(objects.code, objects.stderr).toBe(0);
      const id = [...objects.text.matchAll(/^\s*ID:\s*([0-9a-f]+)\s*$/gm)].map((m) => m[1]!).find((x) => x === k.idHex);
      expect(id, objects.text).toBe(k.idHex);
      const uri = `pkcs11:token=${encodeURIComponent(rig.token.label)};serial=${encodeURIComponent(rig.token.serial)};id=${id!.replace(/../g, '%$&')};type=private`;
      const digest = createHash(s.hash).update(data).digest('hex');
      const r = await signet(rig, ['sign-hash', '--json', '--key', uri, '--hash', digest, '--scheme', s.scheme, '--pin-stdin'], { input: `${rig.token.pin}\n` });
      expect(r.code, r.stderr).toBe(0);
      expect(await verify(k, s.hash, Buffer.from((r.json as { signature: string }).signature, 'base64'), s.scheme === 'pss')).toBe('Verified OK');
    });

    it('CAdES: openssl cms -verify accepts the detached .p7s against the test CA', async () => {
      const k = key(caps.signatures[0]!.key);
      const dir = mkdtempSync(path.join(work, 'cades-'));
      const file = path.join(dir, 'contract.txt');
      writeFileSync(file, `A contract signed on ${kind}.\n`);
      const r = await signet(rig, ['sign', file, '--json', '--format', 'cades', '--no-tsa', '--key', certOf(k).keyUri!, '--pin-stdin'], { input: `${rig.token.pin}\n` });
      expect(r.code, r.stderr).toBe(0);
      const [res] = r.json as { output: string }[];
      const v = await tool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', res!.output, '-content', file, '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null']);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stderr).toMatch(/Verification successful/);
      expect(readFileSync(file, 'utf8')).toBe(`A contract signed on ${kind}.\n`);
    });

    it('a wrong PIN is PIN_INCORRECT (exit 3), with retry facts only where the token gives them', async () => {
      const k = key(caps.signatures[0]!.key);
      const r = await signet(rig, ['sign-hash', '--json', '--key', certOf(k).keyUri!, '--hash', 'ab'.repeat(32), '--pin-stdin'], { input: '999999\n' });
      expect(r.code).toBe(3);
      const e = (r.json as { error: { code: string; finalTry?: boolean; retriesLeft?: number; details?: Record<string, unknown> } }).error;
      expect(e.code).toBe('PIN_INCORRECT');
      if (!token.flags.pinCountLow && e.details?.pinCountLow !== true) expect(e).not.toHaveProperty('finalTry');
      expect(e).not.toHaveProperty('retriesLeft');
    });
  });

  return { rig: () => rig, token: () => token };
}
