import { describe, expect, it } from 'vitest';
import * as pkcs11js from 'pkcs11js';
import { loginFailure } from '../../../native/host/login';
import type { HostContext, SlotState } from '../../../native/host/context';
import type { TokenInfo } from '../../../native/types';
import { exitCodeFor } from '../../../electron/cli/exit-codes';

// SoftHSM2 never locks a PIN, so the PIN facts after a failed C_Login are checked here with a
// stub context whose CK_TOKEN_INFO says what a real card would.
const flags = (f: Partial<TokenInfo['flags']>): TokenInfo => ({
  uri: 'pkcs11:token=T',
  module: '/m.so',
  slotId: '1',
  label: 'T',
  manufacturer: 'M',
  model: 'X',
  serial: '1',
  flags: { loginRequired: true, protectedAuthPath: false, pinCountLow: false, pinFinalTry: false, pinLocked: false, pinToBeChanged: false, tokenInitialized: true, ...f },
  minPinLength: 4,
  maxPinLength: 8,
  mechanisms: [],
});
const ckr = (code: number): Error => new pkcs11js.Pkcs11Error(`CKR_X:${code}`, code, 'C_Login');
const stub = (after: TokenInfo): { ctx: HostContext; st: SlotState } => ({
  ctx: { readToken: () => after } as unknown as HostContext,
  st: { token: flags({}), slot: Buffer.alloc(8), slotId: '1', session: null, rw: false, keys: new Map() } as SlotState,
});

describe('PIN facts after a failed login (from CK_TOKEN_INFO only)', () => {
  it('plain wrong PIN on a token that reports no counts: no count and no "not the final try" invented', () => {
    const { ctx, st } = stub(flags({}));
    const e = loginFailure(ctx, st, ckr(0xa0));
    expect(e.code).toBe('PIN_INCORRECT');
    expect(e.finalTry).toBeUndefined();
    expect(e.toInfo()).not.toHaveProperty('finalTry');
    expect(e.retriesLeft).toBeUndefined();
  });
  it('CKF_USER_PIN_COUNT_LOW is reported as such (the token counts: finalTry false), still without a number', () => {
    const { ctx, st } = stub(flags({ pinCountLow: true }));
    const e = loginFailure(ctx, st, ckr(0xa0));
    expect(e.details?.pinCountLow).toBe(true);
    expect(e.finalTry).toBe(false);
    expect(e.retriesLeft).toBeUndefined();
  });
  it('CKR_PIN_LOCKED while CK_TOKEN_INFO does not flag the PIN locked (TPM dictionary-attack lockout): temporary, no PUK advice', () => {
    const { ctx, st } = stub(flags({}));
    const e = loginFailure(ctx, st, ckr(0xa4));
    expect(e).toMatchObject({ code: 'PIN_LOCKED', retriable: true, details: { temporary: true } });
    expect(e.message).not.toMatch(/PUK \/ SO PIN\.$/);
    expect(e.message).toMatch(/for now/);
  });
  it('CKF_USER_PIN_FINAL_TRY → finalTry, one attempt left', () => {
    const { ctx, st } = stub(flags({ pinFinalTry: true }));
    const e = loginFailure(ctx, st, ckr(0xa0));
    expect(e).toMatchObject({ code: 'PIN_INCORRECT', finalTry: true, retriesLeft: 1 });
    expect(st.token.flags.pinFinalTry).toBe(true);
  });
  it('CKF_USER_PIN_LOCKED after the attempt, or CKR_PIN_LOCKED → PIN_LOCKED (exit code 4), not retriable', () => {
    const a = loginFailure(stub(flags({ pinLocked: true })).ctx, stub(flags({})).st, ckr(0xa0));
    expect(a.code).toBe('PIN_LOCKED');
    expect(a.retriable).toBe(false);
    expect(a.message).toMatch(/PUK/);
    expect(a.details?.temporary).toBeUndefined();
    const b = loginFailure(stub(flags({ pinLocked: true })).ctx, stub(flags({})).st, ckr(0xa4));
    expect(b.code).toBe('PIN_LOCKED');
    expect(b.retriable).toBe(false);
    expect(exitCodeFor(b.code)).toBe(4);
  });
});
