import { ok } from '../../../../native/errors';
import type { Handler } from './types';

export const certificatesDetails: Handler<'certificates.details'> = async (ctx, arg) => ok(await ctx.services.tokens.details(arg.certUri));
