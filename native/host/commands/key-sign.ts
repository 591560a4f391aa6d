/**
 * `key.sign`: C_SignInit → [C_Login(CKU_CONTEXT_SPECIFIC) for CKA_ALWAYS_AUTHENTICATE keys,
 * PKCS#11 v2.40 §5.7 / §4.9] → C_Sign (async, on libuv's pool, so slot polling goes on).
 *
 * Answers 'login-required' / 'context-login-required' without touching the token's state when
 * credentials are missing, so the caller can ask the user and come back. A refused
 * context-specific login leaves the signing operation active on some modules: the session is
 * renewed (new one opened before the old closes, so the user login stays).
 */
import { SignetError } from '../../errors';
import { CKR } from '../../ckr';
import type { SignMechanism, SignOutcome } from '../../protocol';
import type { HashAlg } from '../../types';
import type { HostContext, KeyHandle, SlotState } from '../context';
import { login } from '../login';
import { findObjects, readAttributes, bool, templateFor } from '../objects';
import { pkcs11js, rvOf, toSignetError, type Handle } from '../pkcs11';
import type { Handler } from './types';

const PSS_HASH: Record<HashAlg, { hashAlg: number; mgf: number }> = {
  sha256: { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  sha384: { hashAlg: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  sha512: { hashAlg: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
};

function mechanism(m: SignMechanism): pkcs11js.Mechanism {
  switch (m.name) {
    case 'CKM_RSA_PKCS':
      return { mechanism: pkcs11js.CKM_RSA_PKCS };
    case 'CKM_ECDSA':
      return { mechanism: pkcs11js.CKM_ECDSA };
    case 'CKM_RSA_PKCS_PSS': {
      const h = PSS_HASH[m.hash];
      if (!h) throw new SignetError('INVALID_INPUT', `Unknown hash ${String(m.hash)} for RSA-PSS.`);
      // CK_RSA_PKCS_PSS_PARAMS (v2.40 §2.1.14): MGF1 with the same hash, sLen from the caller (= hLen).
      return { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter: { type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg: h.hashAlg, mgf: h.mgf, saltLen: m.saltLength } as pkcs11js.RsaPSS };
    }
    default: {
      const name: unknown = (m as { name?: unknown }).name;
      throw new SignetError('MECHANISM_UNSUPPORTED', `Unknown signature mechanism ${String(name)}.`);
    }
  }
}

/** Below this, a signature is made synchronously (see below). */
const FAST_SIGN_MS = 10;

function findKey(ctx: HostContext, st: SlotState, session: Handle, uri: string): KeyHandle | undefined {
  const cached = st.keys.get(uri);
  if (cached) return cached;
  const p = ctx.p11();
  const [h] = findObjects(p, session, templateFor(uri, pkcs11js.CKO_PRIVATE_KEY), 1);
  if (!h) return undefined;
  const a = readAttributes(p, session, h, [pkcs11js.CKA_ALWAYS_AUTHENTICATE]);
  const key = { handle: h, alwaysAuthenticate: bool(a.get(pkcs11js.CKA_ALWAYS_AUTHENTICATE)) };
  st.keys.set(uri, key);
  return key;
}

export const handle: Handler<'key.sign'> = async (params, ctx) => {
  const contextPin = params.contextLogin?.pin;
  try {
    const mech = mechanism(params.mechanism);
    if (!(params.data instanceof Uint8Array) || params.data.length === 0) throw new SignetError('INVALID_INPUT', 'Nothing to sign.');
    if (params.contextLogin && !params.contextLogin.protectedAuthPath && !contextPin) throw new SignetError('INVALID_INPUT', 'A signature PIN is required for this key.');
    return await ctx.withSession(
      params.token,
      async (st, session): Promise<SignOutcome> => {
        const p = ctx.p11();
        // The login state is asked of the token only when something is missing (C_GetSessionInfo
        // on every signature would cost a call; a lost login shows as CKR_USER_NOT_LOGGED_IN).
        let key = st.keys.get(params.key);
        if (!key) {
          if (!ctx.loggedIn(st) && st.token.flags.loginRequired) return { kind: 'login-required' };
          key = findKey(ctx, st, session, params.key);
        }
        if (!key) throw new SignetError('KEY_NOT_FOUND', 'No private key matching the URI is on the token.', { details: { key: params.key } });
        if (key.alwaysAuthenticate && !params.contextLogin) return { kind: 'context-login-required' };
        for (let attempt = 0; ; attempt++) {
          try {
            p.C_SignInit(session, mech, key.handle);
            break;
          } catch (e) {
            const rv = rvOf(e);
            if (rv === CKR.USER_NOT_LOGGED_IN) return { kind: 'login-required' };
            if (rv !== CKR.KEY_HANDLE_INVALID && rv !== CKR.OBJECT_HANDLE_INVALID) throw toSignetError(e, 'C_SignInit');
            // The cached handle died: the token went away (files deleted, card swapped) or the
            // key was deleted. Tell which, and use a key found again only once.
            st.keys.delete(params.key);
            if (!ctx.scan().includes(st)) throw new SignetError('TOKEN_REMOVED', 'The token was removed or reset; insert it again (a new login will be needed).', { details: { token: params.token } });
            const again = attempt === 0 ? findKey(ctx, st, session, params.key) : undefined;
            if (!again) throw new SignetError('KEY_NOT_FOUND', 'The key is no longer on the token.', { details: { key: params.key } });
            if (again.alwaysAuthenticate && !params.contextLogin) return { kind: 'context-login-required' };
            key = again;
          }
        }
        if (key.alwaysAuthenticate && params.contextLogin) {
          try {
            login(ctx, st, session, 'context-specific', params.contextLogin.protectedAuthPath ? undefined : contextPin);
          } catch (e) {
            // End the pending operation: a fresh session (the user login survives).
            ctx.renewSession(st);
            throw e;
          }
        }
        const out = Buffer.alloc(2048);
        const input = Buffer.from(params.data.buffer, params.data.byteOffset, params.data.byteLength);
        let sig: Buffer;
        const started = performance.now();
        try {
          // A key that signed fast last time (HSMs, soft tokens) signs on this thread: the trip
          // through libuv's pool costs more than the signature. Slow cards (and unknown keys)
          // sign on the pool, so this host keeps answering (slot polling, other tokens).
          sig = key.lastSignMs !== undefined && key.lastSignMs < FAST_SIGN_MS ? p.C_Sign(session, input, out) : await p.C_SignAsync(session, input, out);
        } catch (e) {
          if (rvOf(e) === CKR.USER_NOT_LOGGED_IN) return { kind: 'login-required' };
          throw toSignetError(e, 'C_Sign');
        }
        key.lastSignMs = performance.now() - started;
        return { kind: 'signed', signature: new Uint8Array(sig) };
      },
      { verify: false },
    );
  } finally {
    contextPin?.fill(0);
  }
};
