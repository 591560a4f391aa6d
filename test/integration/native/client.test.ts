/**
 * TokenClient + token host against SoftHSM2 (R's rig): every operation and error path of issue 2
 * §4–§5. Signatures are checked with `openssl dgst -verify`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { chooseMechanism, finishSignature, type SchemeKind } from '../../../native/mechanisms';
import type { HashAlg } from '../../../native/types';
import { digestOf, opensslVerify } from './helpers';

let rig: Rig;
let client: TokenClient;
const pin = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeAll(async () => {
  rig = await provisionRig();
  client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
});
afterAll(async () => {
  await client?.close();
  await rig?.cleanup();
});

async function signWith(name: string, hash: HashAlg, scheme?: SchemeKind, format: 'der' | 'raw' = 'der') {
  const key = rig.key(name);
  const d = await client.describeKey(key.keyUri);
  const data = Buffer.from(`Signet test document for ${name}/${hash}/${scheme ?? 'auto'}`);
  const choice = chooseMechanism({ keyType: d.keyType, hash, digest: digestOf(data, hash), advertised: d.token.mechanisms, ecdsaFormat: format, ...(scheme ? { preferred: scheme } : {}) });
  const out = await client.sign(key.keyUri, choice.mechanism, choice.data);
  if (out.kind !== 'signed') throw new Error(`not signed: ${out.kind}`);
  return { key, data, choice, signature: finishSignature(choice.scheme, out.signature) };
}

describe('listing', () => {
  it('lists both tokens and the uninitialised slot SoftHSM2 offers, with CK_TOKEN_INFO flags and mechanisms', async () => {
    const tokens = await client.listTokens();
    const a = tokens.find((t) => t.label === 'Signet Test A');
    const b = tokens.find((t) => t.label === 'Signet Test B');
    expect(a?.serial).toBe(rig.token('Signet Test A').serial);
    expect(b?.serial).toBe(rig.token('Signet Test B').serial);
    expect(a?.flags).toMatchObject({ loginRequired: true, tokenInitialized: true, pinLocked: false, protectedAuthPath: false });
    expect(a?.mechanisms).toEqual(expect.arrayContaining(['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS', 'CKM_ECDSA']));
    expect(a?.module).toBe(rig.module);
    expect(a?.minPinLength).toBeGreaterThan(0);
    const free = tokens.filter((t) => !t.flags.tokenInitialized);
    expect(free.length).toBeGreaterThanOrEqual(1);
    expect(a?.uri).toMatch(/^pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=[0-9a-f]+;token=Signet%20Test%20A$/);
  });

  it('reports module status, and a module that cannot load does not stop the others', async () => {
    const c = new TokenClient({
      modules: [
        { path: '/nonexistent/libnothing.so', source: 'argument' },
        { path: '/etc/hostname', source: 'argument' },
        { path: rig.module, source: 'argument', env: rig.env },
      ],
    });
    try {
      const status = await c.moduleStatus();
      expect(status[0]).toMatchObject({ loaded: false, error: { code: 'MODULE_LOAD_FAILED' } });
      expect(status[1]).toMatchObject({ loaded: false, error: { code: 'MODULE_LOAD_FAILED' } });
      expect(status[2]).toMatchObject({ loaded: true, info: { cryptokiVersion: expect.stringMatching(/^2\./) } });
      const errors: string[] = [];
      const tokens = await c.listTokens({ onModuleError: (m, e) => errors.push(`${m}:${e.code}`) });
      expect(tokens.some((t) => t.label === 'Signet Test A')).toBe(true);
      expect(errors).toHaveLength(2);
    } finally {
      await c.close();
    }
  });

  it('pairs every certificate with its key by CKA_ID; SoftHSM hides private keys until login', async () => {
    const tokenA = rig.token('Signet Test A');
    const before = await client.listCertificates(tokenA.uri);
    expect(before).toHaveLength(tokenA.keys.length);
    for (const k of tokenA.keys) {
      const c = before.find((x) => x.id === k.idHex)!;
      expect(Buffer.from(c.certificate).equals(k.certDer)).toBe(true);
      expect(c.keyUri).toContain(`id=%${k.idHex.toUpperCase()};type=private`);
      expect(c.keyConfirmed).toBe(false);
    }
    await client.login(tokenA.uri, pin(tokenA.pin));
    const after = await client.listCertificates(tokenA.uri);
    expect(after.every((c) => c.keyConfirmed)).toBe(true);
    expect(after.find((c) => c.label === 'always-auth-rsa2048')?.alwaysAuthenticate).toBe(true);
    expect(after.find((c) => c.label === 'sign-rsa2048')?.alwaysAuthenticate).toBe(false);
    // All tokens at once.
    const all = await client.listCertificates();
    expect(all.length).toBe(rig.tokens.reduce((n, t) => n + t.keys.length, 0));
    await client.logout(tokenA.uri);
  });
});

describe('login', () => {
  it('a wrong PIN is PIN_INCORRECT, wiped, and never retried; the right one logs in', async () => {
    const t = rig.token('Signet Test A');
    const wrong = pin('000000');
    await expect(client.login(t.uri, wrong)).rejects.toMatchObject({ code: 'PIN_INCORRECT', finalTry: false });
    expect(wrong.every((b) => b === 0)).toBe(true);
    expect((await client.tokenStatus(t.uri)).loggedIn).toBe(false);
    // SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a failure: it shows in the token flags.
    expect((await client.tokenStatus(t.uri)).token.flags.pinCountLow).toBe(true);
    await expect(client.login(t.uri, pin('12'))).rejects.toMatchObject({ code: 'PIN_LEN_RANGE' });
    const right = pin(t.pin);
    await client.login(t.uri, right);
    expect(right.every((b) => b === 0)).toBe(true);
    expect((await client.tokenStatus(t.uri)).loggedIn).toBe(true);
    // Logging in again is a no-op success.
    await client.login(t.uri, pin(t.pin));
  });
});

describe('signing (after login), checked with openssl dgst -verify', () => {
  beforeAll(async () => {
    await client.login(rig.token('Signet Test A').uri, pin(rig.token('Signet Test A').pin));
  });

  it.each([
    ['sign-rsa2048', 'sha256', 'pkcs1'],
    ['sign-rsa2048', 'sha384', 'pss'],
    ['sign-rsa2048', 'sha512', 'pkcs1'],
    ['sign-rsa3072', 'sha256', 'pss'],
    ['sign-rsa3072', 'sha512', 'pkcs1'],
    ['sign-p256', 'sha256', 'ecdsa'],
    ['sign-p384', 'sha384', 'ecdsa'],
    ['sign-p384', 'sha512', 'ecdsa'],
    ['auth-p256', 'sha256', 'ecdsa'],
  ] as const)('%s %s %s', async (name, hash, scheme) => {
    const r = await signWith(name, hash, scheme);
    expect(opensslVerify({ publicKeyPem: r.key.publicKeyPem, data: r.data, signature: r.signature, hash, pss: scheme === 'pss' })).toBe(true);
    // The same signature must fail for other data (the check can fail).
    expect(opensslVerify({ publicKeyPem: r.key.publicKeyPem, data: Buffer.from('other'), signature: r.signature, hash, pss: scheme === 'pss' })).toBe(false);
  });

  it('ECDSA raw r||s has the curve size', async () => {
    const r = await signWith('sign-p384', 'sha384', 'ecdsa', 'raw');
    expect(r.signature.length).toBe(96);
  });

  it('errors: unknown key, unknown token, bad URI, ambiguous URI, no data', async () => {
    const a = rig.token('Signet Test A');
    const d = await client.describeKey(rig.key('sign-rsa2048').keyUri);
    const m = chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest: new Uint8Array(32), advertised: d.token.mechanisms });
    await expect(client.sign(`${a.uri};id=%7F;type=private`, m.mechanism, m.data)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    await expect(client.describeKey(`${a.uri};id=%7F;type=private`)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    await expect(client.sign('pkcs11:token=No%20Such%20Token;id=%01', m.mechanism, m.data)).rejects.toMatchObject({ code: 'NO_TOKEN' });
    await expect(client.sign('pkcs11:token=Signet Test A', m.mechanism, m.data)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(client.sign('pkcs11:id=%01;type=private', m.mechanism, m.data)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // Nothing to sign is refused by the host before any PKCS#11 call.
    await expect(client.sign(rig.key('sign-rsa2048').keyUri, { name: 'CKM_RSA_PKCS' }, new Uint8Array(0))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // The token still works after all that.
    expect((await signWith('sign-p256', 'sha256')).signature.length).toBeGreaterThan(60);
  });

  it('two tokens sign concurrently, each with its own login', async () => {
    const b = rig.token('Signet Test B');
    await client.login(b.uri, pin(b.pin));
    const [ra, rb] = await Promise.all([signWith('sign-rsa2048', 'sha256'), signWith('b-sign-p256', 'sha256')]);
    expect(opensslVerify({ publicKeyPem: ra.key.publicKeyPem, data: ra.data, signature: ra.signature, hash: 'sha256' })).toBe(true);
    expect(opensslVerify({ publicKeyPem: rb.key.publicKeyPem, data: rb.data, signature: rb.signature, hash: 'sha256' })).toBe(true);
    // Many interleaved calls on both tokens: per-token serialisation keeps them all correct.
    const many = await Promise.all(Array.from({ length: 16 }, (_, i) => signWith(i % 2 ? 'sign-p256' : 'b-sign-p256', 'sha256')));
    for (const r of many) expect(opensslVerify({ publicKeyPem: r.key.publicKeyPem, data: r.data, signature: r.signature, hash: 'sha256' })).toBe(true);
  });

  it('CKA_ALWAYS_AUTHENTICATE: a context-specific login before every signature; a wrong one keeps the user login', async () => {
    const key = rig.key('always-auth-rsa2048');
    const a = rig.token('Signet Test A');
    const d = await client.describeKey(key.keyUri);
    expect(d.alwaysAuthenticate).toBe(true);
    const data = Buffer.from('always-auth document');
    const m = chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest: digestOf(data, 'sha256'), advertised: d.token.mechanisms });
    expect((await client.sign(key.keyUri, m.mechanism, m.data)).kind).toBe('context-login-required');
    const wrong = pin('999999');
    await expect(client.sign(key.keyUri, m.mechanism, m.data, { contextLogin: { pin: wrong, protectedAuthPath: false } })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    expect(wrong.every((b) => b === 0)).toBe(true);
    expect((await client.tokenStatus(a.uri)).loggedIn).toBe(true);
    for (let i = 0; i < 2; i++) {
      const out = await client.sign(key.keyUri, m.mechanism, m.data, { contextLogin: { pin: pin(a.pin), protectedAuthPath: false } });
      expect(out.kind).toBe('signed');
      if (out.kind === 'signed') expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data, signature: out.signature, hash: 'sha256' })).toBe(true);
      // No credentials: asked again for the next signature.
      expect((await client.sign(key.keyUri, m.mechanism, m.data)).kind).toBe('context-login-required');
    }
  });

  it('logout ends the login: the next signature asks for one', async () => {
    const b = rig.token('Signet Test B');
    await client.logout(b.uri);
    const d = await client.describeKey(rig.key('b-sign-p256').keyUri);
    const m = chooseMechanism({ keyType: 'EC', hash: 'sha256', digest: new Uint8Array(32), advertised: d.token.mechanisms });
    expect((await client.sign(rig.key('b-sign-p256').keyUri, m.mechanism, m.data)).kind).toBe('login-required');
  });

  it('a token removed while a session is open (files deleted): TOKEN_REMOVED, then NO_TOKEN; the other token goes on', async () => {
    const b = rig.token('Signet Test B');
    const key = rig.key('b-sign-p256');
    await client.login(b.uri, pin(b.pin));
    expect((await signWith('b-sign-p256', 'sha256')).signature.length).toBeGreaterThan(0);
    await rig.removeToken('Signet Test B');
    const m = { name: 'CKM_ECDSA' as const };
    await expect(client.sign(key.keyUri, m, new Uint8Array(32))).rejects.toMatchObject({ code: 'TOKEN_REMOVED' });
    await expect(client.sign(key.keyUri, m, new Uint8Array(32))).rejects.toMatchObject({ code: 'NO_TOKEN' });
    expect((await client.listTokens()).some((t) => t.label === 'Signet Test B')).toBe(false);
    const r = await signWith('sign-p256', 'sha256');
    expect(opensslVerify({ publicKeyPem: r.key.publicKeyPem, data: r.data, signature: r.signature, hash: 'sha256' })).toBe(true);
  });
});
