import { ok } from '../../../../native/errors';
import type { Handler } from './types';

export const tokensSnapshot: Handler<'tokens.snapshot'> = async (ctx) => ok(await ctx.services.tokens.snapshot());

export const tokensRefresh: Handler<'tokens.refresh'> = async (ctx) => ok(await ctx.services.tokens.refresh());

/** C_SetPIN. The PINs arrive once as strings; the bytes handed to core are wiped afterwards. */
export const tokensChangePin: Handler<'tokens.changePin'> = async (ctx, arg) => {
  const oldPin = new TextEncoder().encode(arg.oldPin);
  const newPin = new TextEncoder().encode(arg.newPin);
  try {
    await ctx.services.tokens.changePin(arg.tokenUri, oldPin, newPin);
    ctx.logger.info('pin changed', { tokenUri: arg.tokenUri });
    return ok(undefined);
  } finally {
    oldPin.fill(0);
    newPin.fill(0);
  }
};

/** Lock now: ends the token's cached signing login (no-op when nothing is cached). */
export const tokensLockNow: Handler<'tokens.lockNow'> = async (ctx, arg) => {
  await ctx.services.pinCache?.lock(arg.tokenUri);
  ctx.logger.info('signing login locked', { tokenUri: arg.tokenUri });
  return ok(undefined);
};
