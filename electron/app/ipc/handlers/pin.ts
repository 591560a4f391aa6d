import { ok } from '../../../../native/errors';
import type { Handler } from './types';

/** The PIN is passed on as bytes by the broker and never stored or logged here. */
export const pinSubmit: Handler<'pin.submit'> = async (ctx, arg) => {
  ctx.pins.submit(arg.requestId, arg.pin);
  return ok(undefined);
};

export const pinCancel: Handler<'pin.cancel'> = async (ctx, arg) => {
  ctx.pins.cancel(arg.requestId);
  return ok(undefined);
};
