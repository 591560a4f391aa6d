/** `token.login`: C_Login(CKU_USER) with the PIN from the request, or on the PIN pad. */
import { SignetError } from '../../errors';
import { login } from '../login';
import type { Handler } from './types';

export const handle: Handler<'token.login'> = async (params, ctx) => {
  const pin = params.pin;
  try {
    if (!params.protectedAuthPath && !pin) throw new SignetError('INVALID_INPUT', 'A PIN is required for this token.');
    return await ctx.withSession(params.token, (st, session) => {
      if (ctx.loggedIn(st)) return { loggedIn: true as const };
      ctx.log('info', 'login', { token: st.token.uri, pinPad: params.protectedAuthPath });
      login(ctx, st, session, 'user', params.protectedAuthPath ? undefined : pin);
      return { loggedIn: true as const };
    });
  } finally {
    pin?.fill(0);
  }
};
