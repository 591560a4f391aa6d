import { ok } from '../../../../native/errors';
import type { Handler } from './types';

export const historyList: Handler<'history.list'> = async (ctx) => ok(ctx.services.history.list());

/** Settings → Clear history. */
export const historyClear: Handler<'history.clear'> = async (ctx) => {
  ctx.services.history.clear();
  ctx.logger.info('history cleared');
  return ok(undefined);
};
