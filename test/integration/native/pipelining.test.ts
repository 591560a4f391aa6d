/**
 * Pipelined requests (issue 13 item 8): calls to one token are posted at once and queue in its
 * token host. What the token sees is taken from OpenSC's pkcs11-spy, loaded between the host and
 * SoftHSM2, which logs every PKCS#11 call the module receives: the calls are strictly one after
 * another, a cancelled request still queued never reaches the module, and a crash mid-queue
 * fails every queued request with MODULE_CRASHED while the next request works.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFaultModule, provisionRig, type FaultModule, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { chooseMechanism } from '../../../native/mechanisms';
import { digestOf, opensslVerify } from './helpers';

/** pkcs11-spy.so from the opensc package (.ci/run installs it), by distribution layout. */
const SPY = [
  '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so',
  '/usr/lib/aarch64-linux-gnu/pkcs11-spy.so',
  '/usr/lib64/pkcs11-spy.so',
  '/usr/lib/pkcs11-spy.so',
].find((p) => existsSync(p));

let rig: Rig;
let crash: FaultModule;
const pin = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeAll(async () => {
  rig = await provisionRig();
  crash = await buildFaultModule('crash-on-sign', { rig });
});
afterAll(async () => {
  await rig?.cleanup();
});

/** A client on SoftHSM2 behind pkcs11-spy, and the spy's log: the calls the module received, in order. */
function spiedClient(logName: string): { client: TokenClient; calls: () => string[] } {
  if (!SPY) throw new Error('pkcs11-spy.so (package opensc) is needed for this test');
  const log = path.join(rig.dir, logName);
  const client = new TokenClient({
    modules: [{ path: SPY, source: 'argument', env: { ...rig.env, PKCS11SPY: rig.module, PKCS11SPY_OUTPUT: log } }],
  });
  // The spy writes "<n>: C_Name" when a call enters the module and "Returned:  <rv> CKR_…" when it
  // returns (OpenSC src/pkcs11/pkcs11-spy.c, enter() / spy_retn()).
  const calls = (): string[] =>
    readFileSync(log, 'utf8')
      .split('\n')
      .flatMap((l) => {
        const enter = /^\d+: (C_\w+)/.exec(l);
        if (enter) return [`>${enter[1]}`];
        return l.startsWith('Returned:') ? ['<'] : [];
      });
  return { client, calls };
}

const mechFor = (data: Uint8Array) => chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest: digestOf(data, 'sha256'), advertised: ['CKM_RSA_PKCS'] });

describe('pipelined requests to one token', () => {
  it('concurrent requests all succeed and reach the token one at a time, in order', async () => {
    const { client, calls } = spiedClient('spy-concurrent.log');
    try {
      const a = rig.token('Signet Test A');
      const key = rig.key('sign-rsa2048');
      await client.login(a.uri, pin(a.pin));
      const docs = Array.from({ length: 24 }, (_, i) => Buffer.from(`pipelined document ${i}`));
      const before = calls().length;
      // All posted at once, status requests mixed in: nothing waits for an answer before posting.
      const signing = docs.map((d) => client.sign(key.keyUri, mechFor(d).mechanism, mechFor(d).data));
      const statuses = [client.tokenStatus(a.uri), client.tokenStatus(a.uri)];
      const outs = await Promise.all(signing);
      expect((await Promise.all(statuses)).every((s) => s.loggedIn)).toBe(true);
      for (const [i, out] of outs.entries()) {
        expect(out.kind).toBe('signed');
        if (out.kind === 'signed') expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data: docs[i]!, signature: out.signature, hash: 'sha256' })).toBe(true);
      }
      await client.close();
      const seen = calls().slice(before);
      // Every call returned before the next one entered the module: never two at once.
      for (let i = 0; i < seen.length; i += 2) {
        expect(seen[i]!.startsWith('>')).toBe(true);
        expect(seen[i + 1]).toBe('<');
      }
      const entered = seen.filter((c) => c.startsWith('>'));
      expect(entered.filter((c) => c === '>C_Sign')).toHaveLength(docs.length);
      // Each C_Sign right after its own C_SignInit.
      entered.forEach((c, i) => {
        if (c === '>C_Sign') expect(entered[i - 1]).toBe('>C_SignInit');
      });
    } finally {
      await client.close();
    }
  });

  it('a cancelled request still queued never reaches the token; the others are signed', async () => {
    const { client, calls } = spiedClient('spy-cancel.log');
    try {
      const a = rig.token('Signet Test A');
      const key = rig.key('sign-rsa2048');
      await client.login(a.uri, pin(a.pin));
      const docs = Array.from({ length: 50 }, (_, i) => Buffer.from(`queued document ${i}`));
      const controllers = docs.map(() => new AbortController());
      const before = calls().filter((c) => c === '>C_Sign').length;
      const results = docs.map((d, i) =>
        client.sign(key.keyUri, mechFor(d).mechanism, mechFor(d).data, { signal: controllers[i]!.signal }).then(
          (out) => ({ ok: true as const, out }),
          (e: unknown) => ({ ok: false as const, e }),
        ),
      );
      // The last 10 are behind 40 signatures in the host's queue when they are cancelled.
      await new Promise((r) => setImmediate(r));
      for (const ac of controllers.slice(40)) ac.abort();
      const settled = await Promise.all(results);
      for (const r of settled.slice(40)) expect(r).toMatchObject({ ok: false, e: { code: 'USER_CANCELLED' } });
      for (const [i, r] of settled.slice(0, 40).entries()) {
        expect(r.ok).toBe(true);
        if (r.ok && r.out.kind === 'signed') expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data: docs[i]!, signature: r.out.signature, hash: 'sha256' })).toBe(true);
      }
      // The token is free again and the next request is answered.
      const next = await client.sign(key.keyUri, mechFor(docs[0]!).mechanism, mechFor(docs[0]!).data);
      expect(next.kind).toBe('signed');
      await client.close();
      expect(calls().filter((c) => c === '>C_Sign').length - before).toBe(41);
    } finally {
      await client.close();
    }
  });

  it('a crash mid-queue fails every queued request with MODULE_CRASHED; the next request works after the restart', async () => {
    const client = new TokenClient({ modules: [{ path: crash.path, source: 'argument', env: crash.env }] });
    try {
      const a = rig.token('Signet Test A');
      const key = rig.key('sign-rsa2048');
      await client.login(a.uri, pin(a.pin));
      const docs = Array.from({ length: 6 }, (_, i) => Buffer.from(`doomed document ${i}`));
      const results = await Promise.allSettled([
        ...docs.map((d) => client.sign(key.keyUri, mechFor(d).mechanism, mechFor(d).data)),
        client.tokenStatus(a.uri),
      ]);
      for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'MODULE_CRASHED' } });
      // A new host: the token is there, without the lost login (no PIN is kept to redo it).
      const st = await client.tokenStatus(a.uri);
      expect(st.loggedIn).toBe(false);
      await client.login(a.uri, pin(a.pin));
      expect((await client.tokenStatus(a.uri)).loggedIn).toBe(true);
    } finally {
      await client.close();
    }
  });
});
