import { ok } from '../../../../native/errors';
import type { Handler } from './types';

export const settingsGet: Handler<'settings.get'> = async (ctx) => ok(ctx.settings.get());

export const settingsUpdate: Handler<'settings.update'> = async (ctx, arg) => ok(ctx.settings.update(arg));

export const settingsRevokeOrigin: Handler<'settings.revokeOrigin'> = async (ctx, arg) => {
  ctx.logger.info('origin revoked', { origin: arg.origin });
  const settings = ctx.settings.revokeOrigin(arg.origin);
  ctx.services.consent?.revokeOrigin?.(arg.origin);
  return ok(settings);
};
