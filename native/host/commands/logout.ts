/** `token.logout`: C_Logout (not logged in counts as done). */
import { CKR } from '../../ckr';
import { rvOf, toSignetError } from '../pkcs11';
import type { Handler } from './types';

export const handle: Handler<'token.logout'> = (params, ctx) =>
  ctx.withSession(params.token, (st, session) => {
    try {
      ctx.p11().C_Logout(session);
    } catch (e) {
      if (rvOf(e) !== CKR.USER_NOT_LOGGED_IN) throw toSignetError(e, 'C_Logout');
    }
    st.keys.clear();
    return { loggedIn: false as const };
  });
