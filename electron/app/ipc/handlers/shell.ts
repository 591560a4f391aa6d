import { ok } from '../../../../native/errors';
import type { Handler } from './types';

/** Only outputs Signet wrote can be shown (ids from a sign outcome or a diagnostics export). */
export const shellShowInFolder: Handler<'shell.showInFolder'> = async (ctx, arg) => {
  ctx.shell.showItemInFolder(ctx.files.output(arg.outputId).path);
  return ok(undefined);
};
