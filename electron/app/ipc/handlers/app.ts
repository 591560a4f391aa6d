import { ok } from '../../../../native/errors';
import type { Handler } from './types';

export const appInfo: Handler<'app.info'> = async (ctx) => ok(ctx.appInfo());
