/**
 * `tokens.list`: every slot with a token present (C_GetSlotList(CK_TRUE)), initialised or not.
 * A listing is what the app's Refresh does: a module whose view went stale is re-initialised
 * first when that loses nothing (host/recover.ts).
 */
import { recoverStaleModule } from '../recover';
import type { Handler } from './types';

export const handle: Handler<'tokens.list'> = (_params, ctx) => {
  const slots = ctx.scan();
  // This request is the one in progress (busy 1).
  if (recoverStaleModule(ctx, { maxBusy: 1, minIntervalMs: 1000, backoff: false })) return ctx.scan().map((st) => st.token);
  return slots.map((st) => st.token);
};
