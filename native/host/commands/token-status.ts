/** `token.status`: fresh CK_TOKEN_INFO and whether the user is logged in. */
import type { Handler } from './types';

export const handle: Handler<'token.status'> = (params, ctx) =>
  ctx.withSession(params.token, (st) => ({ token: st.token, loggedIn: ctx.loggedIn(st) }), { retry: true });
