/**
 * KeySigner's PIN-pad path (CKF_PROTECTED_AUTHENTICATION_PATH), which SoftHSM2 cannot show: a
 * stub TokenClient stands in for the token, the orchestration under test is the real one.
 */
import { describe, expect, it } from 'vitest';
import { SignetError } from '../../../native/errors';
import type { TokenClient } from '../../../native/client';
import type { TokenInfo } from '../../../native/types';
import { KeySigner } from '../../../electron/core/key-signer';
import type { PinPrompt, PinRequest } from '../../../electron/core/pin-prompt';

const token: TokenInfo = {
  uri: 'pkcs11:token=Pad',
  module: '/m.so',
  slotId: '1',
  label: 'Pad',
  manufacturer: 'M',
  model: 'X',
  serial: '1',
  flags: { loginRequired: true, protectedAuthPath: true, pinCountLow: false, pinFinalTry: false, pinLocked: false, pinToBeChanged: false, tokenInitialized: true },
  minPinLength: 4,
  maxPinLength: 8,
  mechanisms: ['CKM_ECDSA'],
};

function stubClient(opts: { loginOutcome: 'ok' | 'wrong' | 'block' }) {
  const calls: string[] = [];
  let loggedIn = false;
  const client = {
    describeKey: async () => ({ uri: 'k', token, loggedIn, confirmed: false, id: '01', label: 'k', keyType: 'EC', alwaysAuthenticate: false }),
    tokenStatus: async () => ({ token, loggedIn }),
    logout: async () => {
      calls.push('logout');
      loggedIn = false;
    },
    login: (_uri: string, pin: Uint8Array | null, o: { signal?: AbortSignal }) => {
      calls.push(`login:${pin === null ? 'pinpad' : 'typed'}`);
      if (opts.loginOutcome === 'ok') {
        loggedIn = true;
        return Promise.resolve();
      }
      if (opts.loginOutcome === 'wrong') return Promise.reject(new SignetError('PIN_INCORRECT', 'wrong'));
      return new Promise<void>((_r, reject) => o.signal?.addEventListener('abort', () => reject(new SignetError('USER_CANCELLED', 'Cancelled.'))));
    },
    sign: async () => {
      calls.push('sign');
      return loggedIn ? { kind: 'signed', signature: new Uint8Array(64) } : { kind: 'login-required' };
    },
  } as unknown as TokenClient;
  return { client, calls };
}

function pinPadPrompt(onShow?: (cancel: () => void) => void) {
  const shown: PinRequest[] = [];
  let closed = 0;
  const prompt: PinPrompt = {
    askPin: () => Promise.reject(new Error('a PIN pad token must not ask for a typed PIN')),
    showPinPad: (req, cancel) => {
      shown.push(req);
      onShow?.(cancel);
      return () => void closed++;
    },
  };
  return { prompt, shown, closed: () => closed };
}

describe('KeySigner on a PIN-pad reader', () => {
  it('logs in on the reader (no PIN typed), shows and closes the notice with the 120 s timeout', async () => {
    const { client, calls } = stubClient({ loginOutcome: 'ok' });
    const p = pinPadPrompt();
    const r = await new KeySigner(client).signDigest({ keyUri: 'pkcs11:token=Pad;id=%01', digest: new Uint8Array(32), hash: 'sha256', pinPrompt: p.prompt });
    expect(r.signature.length).toBeGreaterThan(0);
    // One action: starts logged out, one reader login, logged out at its end.
    expect(calls).toEqual(['logout', 'sign', 'login:pinpad', 'sign', 'logout']);
    expect(p.shown[0]).toMatchObject({ pinPad: true, kind: 'login', timeoutMs: 120_000, action: { purpose: 'sign-data' } });
    expect(p.closed()).toBe(1);
  });

  it('a wrong PIN on the pad is reported, not restarted by itself', async () => {
    const { client, calls } = stubClient({ loginOutcome: 'wrong' });
    const p = pinPadPrompt();
    await expect(new KeySigner(client).signDigest({ keyUri: 'pkcs11:token=Pad;id=%01', digest: new Uint8Array(32), hash: 'sha256', pinPrompt: p.prompt })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    expect(calls.filter((c) => c.startsWith('login'))).toHaveLength(1);
    expect(p.closed()).toBe(1);
  });

  it('cancel from the notice aborts the blocked login', async () => {
    const { client } = stubClient({ loginOutcome: 'block' });
    const p = pinPadPrompt((cancel) => setTimeout(cancel, 10));
    await expect(new KeySigner(client).signDigest({ keyUri: 'pkcs11:token=Pad;id=%01', digest: new Uint8Array(32), hash: 'sha256', pinPrompt: p.prompt })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(p.closed()).toBe(1);
  });
});
