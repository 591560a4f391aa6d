/** `tokens.list`: every slot with a token present (C_GetSlotList(CK_TRUE)), initialised or not. */
import type { Handler } from './types';

export const handle: Handler<'tokens.list'> = (_params, ctx) => ctx.scan().map((st) => st.token);
