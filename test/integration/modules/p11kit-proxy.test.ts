/**
 * The cross-module suite (suite.ts) through p11-kit-proxy fronting SoftHSM2 (Debian registers
 * SoftHSM2 in p11-kit's package directory; SOFTHSM2_CONF reaches it inside the proxy), plus the
 * same token reached twice — through the proxy and directly:
 *  - listed once (`tokens`, `certs`), through the direct module, and `modules` says so;
 *  - `?module-path=` naming the proxy by the path users know (a link to libp11-kit.so) is matched
 *    by real path, and every step of a signature (describe, login, sign) stays on the proxy.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenClient } from '../../../native/client';
import { chooseMechanism } from '../../../native/mechanisms';
import { EC_KEYS, moduleSuite, RSA_KEYS } from './suite';
import { signet } from './tools';

const s = moduleSuite('p11-kit-proxy', {
  keys: [...RSA_KEYS, ...EC_KEYS],
  signatures: [
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha256' },
    { key: 'sign-rsa', scheme: 'pss', hash: 'sha256' },
    { key: 'sign-p256', scheme: 'ecdsa', hash: 'sha256' },
  ],
  mechanisms: { present: ['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS', 'CKM_ECDSA'], absent: [] },
});

describe('the same token through p11-kit-proxy and directly', () => {
  const direct = (): string => s.rig().fronts!;
  const both = (): string[] => [s.rig().module, direct()];
  const keyUri = (): string => `${s.token().uri};id=%01;type=private`;

  it('lists the token and its certificates once, through the direct module', async () => {
    const t = await signet(s.rig(), ['tokens', '--json'], { modules: both() });
    expect(t.code, t.stderr).toBe(0);
    const mine = (t.json as { label: string; module: string }[]).filter((x) => x.label === s.rig().token.label);
    expect(mine.length).toBe(1);
    expect(mine[0]!.module).toBe(direct());
    const c = await signet(s.rig(), ['certs', '--json'], { modules: both() });
    expect(c.code, c.stderr).toBe(0);
    expect((c.json as unknown[]).length).toBe(s.rig().keys.length);
  });

  it('`modules` marks the proxy and names the module used instead for the token it shares', async () => {
    const m = await signet(s.rig(), ['modules', '--json'], { modules: both() });
    expect(m.code, m.stderr).toBe(0);
    const list = m.json as { path: string; proxy: boolean; shadowed?: { token: string; usedThrough: string }[] }[];
    const proxy = list.find((x) => x.path === realpathSync(s.rig().module))!;
    expect(proxy.proxy).toBe(true);
    expect(proxy.shadowed).toContainEqual({ token: s.token().uri, usedThrough: direct() });
    expect(list.find((x) => x.path === direct())!.proxy).toBe(false);
    const text = await signet(s.rig(), ['modules'], { modules: both() });
    expect(text.text).toMatch(/loaded \(proxy\)/);
    expect(text.text).toContain(`Signet uses the direct module ${direct()}`);
  });

  it('sign-hash with ?module-path= naming the proxy link: no ambiguity, signature verifies', async () => {
    const digest = createHash('sha256').update('proxy').digest('hex');
    const uri = `${keyUri()}?module-path=${s.rig().module}`;
    const r = await signet(s.rig(), ['sign-hash', '--json', '--key', uri, '--hash', digest, '--pin-stdin'], { modules: both(), input: `${s.rig().token.pin}\n` });
    expect(r.code, r.stderr).toBe(0);
    const pub = createPublicKey(s.rig().keys.find((k) => k.name === 'sign-rsa')!.publicKeyPem);
    expect(verify('sha256', Buffer.from('proxy'), pub, Buffer.from((r.json as { signature: string }).signature, 'base64'))).toBe(true);
  });

  it('every step stays on the module the URI chose: describe → login → sign through the proxy', async () => {
    const client = new TokenClient({
      modules: [
        { path: realpathSync(s.rig().module), source: 'argument', env: s.rig().env },
        { path: direct(), source: 'argument', env: s.rig().env },
      ],
    });
    try {
      const viaProxy = `${keyUri()}?module-path=${s.rig().module}`;
      const d = await client.describeKey(viaProxy);
      expect(d.token.module).toBe(realpathSync(s.rig().module));
      expect(d.token.uri).toContain(`?module-path=${realpathSync(s.rig().module)}`);
      // Without the query the direct module is used.
      expect((await client.describeKey(keyUri())).token.module).toBe(direct());
      await client.login(d.token.uri, new TextEncoder().encode(s.rig().token.pin));
      expect((await client.tokenStatus(d.token.uri)).loggedIn).toBe(true);
      // The direct module's host has its own login state: still logged out.
      expect((await client.tokenStatus(s.token().uri)).loggedIn).toBe(false);
      const digest = createHash('sha256').update('steps').digest();
      const choice = chooseMechanism({ keyType: 'RSA', hash: 'sha256', digest, advertised: d.token.mechanisms });
      const out = await client.sign(viaProxy, choice.mechanism, choice.data);
      expect(out.kind).toBe('signed');
      await client.logout(d.token.uri);
    } finally {
      await client.close();
    }
  });
});
