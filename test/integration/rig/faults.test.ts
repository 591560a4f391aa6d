// The fault modules behave as specified, exercised by a raw pkcs11js client in a child process
// (p11-probe.mjs): the crash kills that child, never the test runner.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildFaultModule, provisionRig, STD, type FaultModule, type Rig } from '../../rig';
import { startProbe, type Probe } from './probe';

const DIGEST_INFO = '3031300d060960864801650304020105000420' + 'ab'.repeat(32);

describe('fault modules', () => {
  let rig: Rig;
  const probes: Probe[] = [];
  const modules: FaultModule[] = [];

  beforeAll(async () => {
    rig = await provisionRig();
  });
  afterEach(() => {
    for (const p of probes.splice(0)) p.kill();
  });
  afterAll(async () => {
    for (const m of modules) m.cleanup();
    await rig?.cleanup();
  });

  async function build(kind: Parameters<typeof buildFaultModule>[0]): Promise<FaultModule> {
    const m = await buildFaultModule(kind, { rig });
    modules.push(m);
    return m;
  }

  /** A probe with the module loaded, initialised, logged in to token A; returns the session. */
  async function loggedIn(m: FaultModule): Promise<{ probe: Probe; session: string; slot: string }> {
    const probe = startProbe(m.env);
    probes.push(probe);
    await probe.ok('load', { module: m.path });
    await probe.ok('init');
    const slot = await probe.ok<string>('findToken', { label: 'Signet Test A' });
    const session = await probe.ok<string>('open', { slot });
    await probe.ok('login', { session, pin: '123456' });
    return { probe, session, slot };
  }

  /** Slot events pending, with CKF_DONT_BLOCK until CKR_NO_EVENT (bounded, so a bug cannot loop). */
  async function drainEvents(probe: Probe): Promise<string[]> {
    const events: string[] = [];
    for (let i = 0; i < 20; i++) {
      const e = await probe.ok<string | null>('wait', { dontBlock: true });
      if (e === null) return events;
      events.push(e);
    }
    throw new Error(`event queue does not drain: ${events.join(', ')}`);
  }

  const signArgs = (session: string) => ({ session, id: rig.key(STD.signRsa2048).idHex, mechanism: 'RSA_PKCS', data: DIGEST_INFO });

  test('builds: one exported symbol, C_GetFunctionList; same source → cached bytes', async () => {
    const a = await build('crash-on-sign');
    const b = await build('crash-on-sign');
    expect(a.path).not.toBe(b.path);
    expect(fs.readFileSync(a.path).equals(fs.readFileSync(b.path))).toBe(true);
    const symbols = execFileSync('nm', ['-D', '--defined-only', a.path], { encoding: 'utf8' });
    expect(symbols.split('\n').filter((l) => / T /.test(l)).map((l) => l.split(' ').pop())).toEqual(['C_GetFunctionList']);
    expect(a.env).toEqual(rig.env);
    expect(() => a.remove()).toThrow(/no card/);
  });

  test('crash-on-sign: everything works until C_Sign, which kills the process with SIGSEGV', async () => {
    const m = await build('crash-on-sign');
    const { probe, session } = await loggedIn(m);
    // C_WaitForSlotEvent is forwarded: SoftHSM2 answers CKR_NO_EVENT without blocking and does
    // not support the blocking form.
    expect(await probe.ok('wait', { dontBlock: true })).toBeNull();
    expect(await probe.call('wait', { dontBlock: false })).toEqual({ ok: false, error: 'CKR_FUNCTION_NOT_SUPPORTED' });
    await probe.ok('signInit', signArgs(session));
    const answer = await probe.call('signOnly', { session, data: DIGEST_INFO });
    expect(answer.ok).toBe(false);
    expect(await probe.exited).toEqual({ code: null, signal: 'SIGSEGV' });
  });

  test('hang-on-sign: C_Sign never returns; the process stays alive until killed', async () => {
    const m = await build('hang-on-sign');
    const { probe, session } = await loggedIn(m);
    // The same key signs through SoftHSM2 directly (the wrapper changes nothing before C_Sign).
    let answered = false;
    void probe.call('sign', signArgs(session)).then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(answered).toBe(false);
    expect(probe.child.exitCode).toBeNull();
    probe.kill();
    expect(await probe.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  test('removable: pull → DEVICE_REMOVED / TOKEN_NOT_PRESENT; reinsert → old sessions invalid, new tokens visible', async () => {
    const m = await build('removable');
    const { probe, session, slot } = await loggedIn(m);
    const before = await probe.ok<string[]>('slots', { present: true });
    expect(before).toContain(slot);
    expect((await probe.call('sign', signArgs(session))).ok).toBe(true);
    expect(await probe.ok('wait', { dontBlock: true })).toBeNull();

    m.remove();
    expect(m.present).toBe(false);
    expect(await probe.ok('slots', { present: true })).toEqual([]);
    expect(await probe.ok('slots', { present: false })).toEqual(expect.arrayContaining(before));
    expect((await probe.ok<{ flags: number }>('slotInfo', { slot })).flags & 1).toBe(0);
    expect(await probe.call('tokenInfo', { slot })).toEqual({ ok: false, error: 'CKR_TOKEN_NOT_PRESENT' });
    expect(await probe.call('sign', signArgs(session))).toEqual({ ok: false, error: 'CKR_DEVICE_REMOVED' });
    expect(await probe.call('sessionInfo', { session })).toEqual({ ok: false, error: 'CKR_DEVICE_REMOVED' });
    expect(await probe.call('open', { slot })).toEqual({ ok: false, error: 'CKR_TOKEN_NOT_PRESENT' });
    // One event per slot that lost its token (SoftHSM2's free slot too), then none.
    expect((await drainEvents(probe)).sort()).toEqual([...before].sort());

    // A card provisioned while the reader is empty shows up at insertion.
    await rig.addToken({ label: 'Inserted Later', pin: '4321', keys: [{ name: 'later-p256', keyType: 'EC' }] });
    m.insert();
    const after = await probe.ok<string[]>('slots', { present: true });
    // Token A keeps its slot; one more token (SoftHSM2 then offers a new free slot, too).
    expect(after).toContain(slot);
    expect(after).toHaveLength(before.length + 1);
    expect((await probe.ok<{ flags: number }>('slotInfo', { slot })).flags & 1).toBe(1);
    expect((await drainEvents(probe)).sort()).toEqual([...after].sort());
    expect(await probe.call('sign', signArgs(session))).toEqual({ ok: false, error: 'CKR_SESSION_HANDLE_INVALID' });
    expect(await probe.call('close', { session })).toEqual({ ok: false, error: 'CKR_SESSION_HANDLE_INVALID' });
    // A new session needs a new login, then signs.
    const fresh = await probe.ok<string>('open', { slot });
    expect(fresh).not.toBe(session);
    // CKS_RW_PUBLIC_SESSION (2): the pull ended the login, as a real card does.
    expect(await probe.ok('sessionInfo', { session: fresh })).toMatchObject({ state: 2 });
    await probe.ok('login', { session: fresh, pin: '123456' });
    expect((await probe.call('sign', signArgs(fresh))).ok).toBe(true);
    expect(await probe.ok('findToken', { label: 'Inserted Later' })).toMatch(/^[0-9a-f]+$/);
    await rig.removeToken('Inserted Later');
  });

  test('removable: a quick pull-and-reinsert between two calls is still seen', async () => {
    const m = await build('removable');
    const { probe, session } = await loggedIn(m);
    m.remove();
    m.insert();
    expect(await probe.call('sign', signArgs(session))).toEqual({ ok: false, error: 'CKR_SESSION_HANDLE_INVALID' });
  });

  test('removable: a blocking C_WaitForSlotEvent returns when the card is pulled', async () => {
    const m = await build('removable');
    const { probe } = await loggedIn(m);
    const slots = await probe.ok<string[]>('slots', { present: true });
    const waiter = startProbe(m.env);
    probes.push(waiter);
    await waiter.ok('load', { module: m.path });
    await waiter.ok('init');
    const event = waiter.call('wait', { dontBlock: false });
    await new Promise((r) => setTimeout(r, 300));
    m.remove();
    const answer = await event;
    expect(answer.ok).toBe(true);
    expect(slots).toContain((answer as { value: string }).value);
    m.insert();
  });
});
