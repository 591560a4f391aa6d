/**
 * `token.setPin`: C_SetPIN on a read/write session (PKCS#11 v2.40 §5.6) — changes the user PIN,
 * checked by the token against the old one. A wrong old PIN is reported like a failed login (with
 * the token's count flags read again); both buffers are wiped after the call.
 */
import { pinString, toSignetError } from '../pkcs11';
import { loginFailure } from '../login';
import type { Handler } from './types';

export const handle: Handler<'token.setPin'> = (params, ctx) => {
  try {
    const p = ctx.p11();
    const st = ctx.resolve(params.token);
    const session = ctx.session(st, true);
    try {
      p.C_SetPIN(session, pinString(params.oldPin), pinString(params.newPin));
    } catch (e) {
      const err = toSignetError(e, 'C_SetPIN');
      throw err.code === 'PIN_INCORRECT' || err.code === 'PIN_LOCKED' ? loginFailure(ctx, st, e) : err;
    }
    ctx.log('info', 'user PIN changed', { token: st.token.uri });
    return { changed: true as const };
  } finally {
    params.oldPin.fill(0);
    params.newPin.fill(0);
  }
};
