import { ok } from '../../../../native/errors';
import type { Handler } from './types';

export const stampGetPlacement: Handler<'stamp.getPlacement'> = async (ctx, arg) => ok(ctx.services.placements.get(arg.layout));

export const stampSetPlacement: Handler<'stamp.setPlacement'> = async (ctx, arg) => {
  ctx.services.placements.set(arg.layout, arg.placement);
  return ok(undefined);
};
