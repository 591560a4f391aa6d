/**
 * Linux TLS client auth set-up: Signet registers its PKCS#11 module in an NSS db (a temp one
 * here, `sql:$HOME/.pki/nssdb` in the app) with the real modutil, and NSS — the store Chromium's
 * TLS uses — then sees the rig's token and its certificates (checked with certutil).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig } from '../../rig';
import type { Rig } from '../../rig/types';
import { ensureNssModules, listNssModules, registerNssModules, unregisterNssModules } from '../../../electron/app/tls/nss-modules';

let rig: Rig;
let dir: string;
beforeAll(async () => {
  rig = await provisionRig({ tokens: [{ label: 'Signet TLS', pin: '1234', keys: [{ name: 'tls-auth', keyType: 'EC', purpose: 'authentication' }] }] });
  dir = mkdtempSync(path.join(tmpdir(), 'signet-nssdb-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await rig?.cleanup();
});

describe('NSS module registration', () => {
  it('asks first, and registers nothing when the user says no', async () => {
    const db = path.join(dir, 'declined');
    let asked: string[] = [];
    const r = await ensureNssModules({ dbDir: db, modules: [{ name: 'SoftHSM', libraryPath: rig.module }], env: rig.env, confirm: async (missing) => ((asked = missing.map((m) => m.name)), false) });
    expect(asked).toEqual(['SoftHSM']);
    expect(r.registered).toBe(false);
  });

  it('registers the module once, NSS sees the token and its certificate, and unregisters', async () => {
    const db = path.join(dir, 'user');
    const r = await ensureNssModules({ dbDir: db, modules: [{ name: 'SoftHSM', libraryPath: rig.module }], env: rig.env, confirm: async () => true });
    expect(r).toMatchObject({ registered: true, result: { added: ['Signet: SoftHSM'] } });
    const mods = await listNssModules(db, rig.env);
    const ours = mods.find((m) => m.name === 'Signet: SoftHSM');
    expect(ours?.library).toBe(rig.module);
    expect(ours?.tokens).toContain('Signet TLS');
    // certutil (NSS) lists the token's certificate: Chromium's TLS stack can offer it.
    // (certutil logs in to list a token; the test token's PIN goes in a temp password file.)
    const pw = path.join(dir, 'pw.txt');
    writeFileSync(pw, '1234\n', { mode: 0o600 });
    const listing = execFileSync('certutil', ['-L', '-d', `sql:${db}`, '-h', 'Signet TLS', '-f', pw], { env: { ...process.env, ...rig.env } }).toString();
    expect(listing).toContain('Signet TLS:tls-auth');
    // Idempotent: a second run adds nothing and does not ask.
    let asked = false;
    const again = await ensureNssModules({ dbDir: db, modules: [{ name: 'SoftHSM', libraryPath: rig.module }], env: rig.env, confirm: async () => ((asked = true), true) });
    expect(again).toEqual({ registered: true });
    expect(asked).toBe(false);
    expect((await registerNssModules(db, [{ name: 'SoftHSM', libraryPath: rig.module }], rig.env)).alreadyPresent).toEqual(['Signet: SoftHSM']);
    expect(await unregisterNssModules(db, rig.env)).toEqual(['Signet: SoftHSM']);
    expect((await listNssModules(db, rig.env)).some((m) => m.name.startsWith('Signet: '))).toBe(false);
  });

  it('refuses a module path that does not exist', async () => {
    await expect(registerNssModules(path.join(dir, 'x'), [{ name: 'Nope', libraryPath: '/nonexistent/lib.so' }])).rejects.toMatchObject({ code: 'MODULE_LOAD_FAILED' });
  });
});
