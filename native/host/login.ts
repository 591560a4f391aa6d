/**
 * C_Login for the user and for a context-specific (per-signature) login, with the PIN facts
 * PKCS#11 offers: after a failure, CK_TOKEN_INFO is read again and only its flags speak
 * (PKCS#11 v2.40 §3.2, CK_TOKEN_INFO flags). Nothing is retried here.
 *  - CKF_USER_PIN_FINAL_TRY → finalTry: true and one attempt left;
 *  - CKF_USER_PIN_COUNT_LOW alone → finalTry: false (the token counts, and this was not the last)
 *    and details.pinCountLow;
 *  - neither → finalTry absent: the token tells nothing about attempts (SoftHSM2, tpm2-pkcs11),
 *    so "not the final try" would be a guess;
 *  - CKF_USER_PIN_LOCKED → PIN_LOCKED (unblock with the PUK / SO PIN);
 *  - CKR_PIN_LOCKED while the token does *not* flag the PIN as locked → PIN_LOCKED with
 *    details.temporary: the token refuses attempts for now. tpm2-pkcs11 answers this way during
 *    the TPM's dictionary-attack lockout (TPM 2.0 Part 1 §19.8.6, "Dictionary Attack Protection"),
 *    which ends by itself after the recovery time or with the TPM's lockout authorisation —
 *    there is no PUK to use.
 *
 * The PIN bytes are wiped in `finally`. pkcs11js's C_Login takes a JS string, so one short-lived
 * string copy exists in this process until garbage collection; it is never logged or sent, and the
 * process is non-dumpable (native/hardening.ts). The upstream pkcs11js change that removes this
 * last copy (a Buffer PIN for C_Login) is in docs/token-host.md, "PINs".
 */
import { SignetError } from '../errors';
import { CKR } from '../ckr';
import type { TokenInfo } from '../types';
import type { HostContext, SlotState } from './context';
import { pinString, pkcs11js, rvOf, toSignetError, type Handle } from './pkcs11';

export type UserType = 'user' | 'context-specific';

function checkLength(token: TokenInfo, pin: Uint8Array): void {
  // Refuse what the token would refuse, before it can count a failed attempt.
  const n = pin.length;
  if ((token.minPinLength > 0 && n < token.minPinLength) || (token.maxPinLength > 0 && token.maxPinLength < 1024 && n > token.maxPinLength)) {
    throw new SignetError('PIN_LEN_RANGE', `The PIN must be ${token.minPinLength}–${token.maxPinLength} characters long for this token.`, {
      retriable: true,
      details: { minPinLength: token.minPinLength, maxPinLength: token.maxPinLength },
    });
  }
}

const pinLocked = (details?: Record<string, string | number | boolean>): SignetError =>
  new SignetError('PIN_LOCKED', 'The PIN is locked (too many wrong attempts). Unblock it with the PUK / SO PIN.', { retriable: false, details: { ...(details ?? {}) } });

/** Turn a failed C_Login into PIN_INCORRECT/PIN_LOCKED with what the token says now. */
export function loginFailure(ctx: HostContext, st: SlotState, e: unknown): SignetError {
  const err = toSignetError(e, 'C_Login');
  if (err.code !== 'PIN_INCORRECT' && err.code !== 'PIN_LOCKED') return err;
  let token: TokenInfo | undefined;
  try {
    token = ctx.readToken(st.slot, st.token.mechanisms);
    st.token = token;
  } catch {
    // Token gone right after the attempt: report what C_Login said.
  }
  if (token?.flags.pinLocked) return pinLocked(err.details);
  if (err.code === 'PIN_LOCKED') {
    if (!token) return new SignetError('PIN_LOCKED', 'The token refuses the PIN (locked after too many wrong attempts).', { retriable: false, details: { ...(err.details ?? {}) } });
    return new SignetError(
      'PIN_LOCKED',
      'The token refuses PIN attempts for now after too many wrong PINs, but does not report the PIN as locked: wait and try again later. (On a TPM this is its dictionary-attack lockout, which clears with time or with the TPM owner\'s lockout authorisation; a PUK does not apply.)',
      { retriable: true, details: { ...(err.details ?? {}), temporary: true } },
    );
  }
  const finalTry = token?.flags.pinFinalTry ? true : token?.flags.pinCountLow ? false : undefined;
  const details: Record<string, string | number | boolean> = { ...(err.details ?? {}) };
  if (token?.flags.pinCountLow) details.pinCountLow = true;
  return new SignetError('PIN_INCORRECT', finalTry ? 'The PIN is incorrect. One attempt is left before the PIN locks.' : 'The PIN is incorrect.', {
    ...(finalTry !== undefined ? { finalTry } : {}),
    ...(finalTry ? { retriesLeft: 1 } : {}),
    details,
  });
}

/**
 * C_Login(userType) on `session`. `pin` undefined = protected authentication path (the reader's
 * PIN pad; pkcs11js passes an empty PIN, length 0). Wipes `pin` whatever happens.
 */
export function login(ctx: HostContext, st: SlotState, session: Handle, userType: UserType, pin: Uint8Array | undefined): void {
  try {
    if (pin) checkLength(st.token, pin);
    if (userType === 'user' && st.token.flags.pinLocked) throw pinLocked();
    const type = userType === 'user' ? pkcs11js.CKU_USER : pkcs11js.CKU_CONTEXT_SPECIFIC;
    try {
      ctx.p11().C_Login(session, type, pinString(pin));
    } catch (e) {
      if (userType === 'user' && rvOf(e) === CKR.USER_ALREADY_LOGGED_IN) return;
      throw loginFailure(ctx, st, e);
    }
  } finally {
    pin?.fill(0);
  }
}
