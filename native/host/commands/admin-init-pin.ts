/**
 * `admin.initPin`: Security Officer login + C_InitPIN (PKCS#11 v2.40 §5.6). The SO may not log in
 * while read-only sessions exist (CKR_SESSION_READ_ONLY_EXISTS), so the token's sessions are
 * closed first; the user is not logged in afterwards.
 */
import { pinString, pkcs11js, toSignetError } from '../pkcs11';
import { loginFailure } from '../login';
import type { Handler } from './types';

export const handle: Handler<'admin.initPin'> = (params, ctx) => {
  try {
    const p = ctx.p11();
    const st = ctx.resolve(params.token);
    ctx.dropSlot(st.slotId);
    try {
      p.C_CloseAllSessions(st.slot);
    } catch {
      // none open
    }
    const fresh = ctx.resolve(params.token);
    const session = ctx.session(fresh, true);
    try {
      p.C_Login(session, pkcs11js.CKU_SO, pinString(params.soPin));
    } catch (e) {
      throw loginFailure(ctx, fresh, e);
    }
    try {
      p.C_InitPIN(session, pinString(params.userPin));
    } catch (e) {
      throw toSignetError(e, 'C_InitPIN');
    } finally {
      try {
        p.C_Logout(session);
      } catch {
        // ignore
      }
    }
    ctx.log('info', 'user PIN initialised', { token: fresh.token.uri });
    return ctx.readToken(fresh.slot);
  } finally {
    params.soPin.fill(0);
    params.userPin.fill(0);
  }
};
