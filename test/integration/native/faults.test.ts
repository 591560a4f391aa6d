/**
 * Vendor modules that crash or hang (R's gcc-built fault modules wrapping SoftHSM2): the caller
 * gets MODULE_CRASHED / TIMEOUT, this test process (the caller) survives, the next call works,
 * and another module's login is untouched (one host per module).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFaultModule, provisionRig, type FaultModule, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { chooseMechanism } from '../../../native/mechanisms';
import { digestOf, opensslVerify } from './helpers';

let rig: Rig;
let crash: FaultModule;
let hang: FaultModule;
const pin = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeAll(async () => {
  rig = await provisionRig();
  [crash, hang] = await Promise.all([buildFaultModule('crash-on-sign', { rig }), buildFaultModule('hang-on-sign', { rig })]);
});
afterAll(async () => {
  await rig?.cleanup();
});

/** The same key, reached through one module (all modules here see the same SoftHSM2 tokens). */
const via = (uri: string, module: string): string => `${uri}?module-path=${encodeURIComponent(module)}`;

async function signOnce(client: TokenClient, keyUri: string) {
  const data = Buffer.from(`fault test ${Math.random()}`);
  const m = chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest: digestOf(data, 'sha256'), advertised: ['CKM_RSA_PKCS'] });
  return { data, out: await client.sign(keyUri, m.mechanism, m.data) };
}

describe('fault injection', () => {
  it('a module that crashes in C_Sign: MODULE_CRASHED, caller alive, next call works, other module keeps its login', async () => {
    const client = new TokenClient({
      modules: [
        { path: crash.path, source: 'argument', env: crash.env },
        { path: rig.module, source: 'argument', env: rig.env },
      ],
    });
    try {
      const a = rig.token('Signet Test A');
      const key = rig.key('sign-rsa2048');
      // The same tokens seen through two modules are one token each: every certificate is listed once.
      const perModule = rig.tokens.reduce((n, t) => n + t.keys.length, 0);
      expect(await client.listCertificates()).toHaveLength(perModule);
      await client.login(via(a.uri, crash.path), pin(a.pin));
      await client.login(via(a.uri, rig.module), pin(a.pin));
      await expect(signOnce(client, via(key.keyUri, crash.path))).rejects.toMatchObject({ code: 'MODULE_CRASHED', details: { signal: 'SIGSEGV' } });
      expect(process.pid).toBeGreaterThan(0); // we are still here
      // The crashed module's host is back on the next call, without its login (none is kept).
      const st = await client.tokenStatus(via(a.uri, crash.path));
      expect(st.loggedIn).toBe(false);
      expect((await client.listTokens()).filter((t) => t.label === 'Signet Test A')).toHaveLength(1);
      // The other module's host was not touched: still logged in, signs without a PIN.
      const r = await signOnce(client, via(key.keyUri, rig.module));
      expect(r.out.kind).toBe('signed');
      if (r.out.kind === 'signed') expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data: r.data, signature: r.out.signature, hash: 'sha256' })).toBe(true);
      // And it crashes again, cleanly, every time it is asked to sign.
      await client.login(via(a.uri, crash.path), pin(a.pin));
      await expect(signOnce(client, via(key.keyUri, crash.path))).rejects.toMatchObject({ code: 'MODULE_CRASHED' });
      expect((await client.moduleStatus()).every((m) => m.loaded)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('a module that hangs in C_Sign: TIMEOUT after the call timeout, host restarted, next call works', async () => {
    const client = new TokenClient({
      modules: [
        { path: hang.path, source: 'argument', env: hang.env },
        { path: rig.module, source: 'argument', env: rig.env },
      ],
      callTimeoutMs: 3000,
    });
    try {
      const a = rig.token('Signet Test A');
      const key = rig.key('sign-rsa2048');
      await client.login(via(a.uri, hang.path), pin(a.pin));
      await client.login(via(a.uri, rig.module), pin(a.pin));
      const started = Date.now();
      await expect(signOnce(client, via(key.keyUri, hang.path))).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
      // The token lock was released with the timeout: the next call on that token goes through.
      const st = await client.tokenStatus(via(a.uri, hang.path));
      expect(st.loggedIn).toBe(false);
      const r = await signOnce(client, via(key.keyUri, rig.module));
      expect(r.out.kind).toBe('signed');

      // Cancelling a hung call: the caller is released at once, but the token stays busy until
      // the host has really finished — here, until the timeout restarts it. The call queued
      // behind it in the host fails then with MODULE_CRASHED (it never started; the login it
      // may have relied on is gone); the one after works on the new host.
      await client.login(via(a.uri, hang.path), pin(a.pin));
      const ac = new AbortController();
      const m = { name: 'CKM_RSA_PKCS' as const };
      const hung = client.sign(via(key.keyUri, hang.path), m, new Uint8Array(51), { signal: ac.signal });
      setTimeout(() => ac.abort(), 100);
      const t0 = Date.now();
      await expect(hung).rejects.toMatchObject({ code: 'USER_CANCELLED' });
      expect(Date.now() - t0).toBeLessThan(2500);
      await expect(client.tokenStatus(via(a.uri, hang.path))).rejects.toMatchObject({ code: 'MODULE_CRASHED' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(2800);
      const next = await client.tokenStatus(via(a.uri, hang.path));
      expect(next.loggedIn).toBe(false);
    } finally {
      await client.close();
    }
  });
});
