/**
 * C_Login for the user and for a context-specific (per-signature) login, with the PIN facts
 * PKCS#11 offers: after a failure, CK_TOKEN_INFO is read again and only its flags speak
 * (CKF_USER_PIN_FINAL_TRY → finalTry and one attempt left; CKF_USER_PIN_LOCKED → PIN_LOCKED;
 * CKF_USER_PIN_COUNT_LOW → details.pinCountLow). Nothing is retried here.
 *
 * The PIN bytes are wiped in `finally`. pkcs11js's C_Login takes a JS string, so one short-lived
 * string copy exists in this process until garbage collection; it is never logged or sent.
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
  if (err.code === 'PIN_LOCKED' || token?.flags.pinLocked) {
    return new SignetError('PIN_LOCKED', 'The PIN is locked (too many wrong attempts). Unblock it with the PUK / SO PIN.', {
      retriable: false,
      details: { ...(err.details ?? {}) },
    });
  }
  const finalTry = token?.flags.pinFinalTry === true;
  const details: Record<string, string | number | boolean> = { ...(err.details ?? {}) };
  if (token?.flags.pinCountLow) details.pinCountLow = true;
  return new SignetError('PIN_INCORRECT', finalTry ? 'The PIN is incorrect. One attempt is left before the PIN locks.' : 'The PIN is incorrect.', {
    finalTry,
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
    if (userType === 'user' && st.token.flags.pinLocked) {
      throw new SignetError('PIN_LOCKED', 'The PIN is locked (too many wrong attempts). Unblock it with the PUK / SO PIN.', { retriable: false });
    }
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
