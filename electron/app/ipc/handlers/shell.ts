import { err, ok } from '../../../../native/errors';
import type { Handler } from './types';

/** Only outputs Signet wrote can be shown (ids from a sign outcome or a diagnostics export). */
/** A portal that wants a client certificate, in Signet's hardened TLS window. */
export const tlsOpenPortal: Handler<'tls.openPortal'> = async (ctx, arg) => {
  if (!ctx.openPortal) return err({ code: 'INVALID_INPUT', message: 'Portal windows open in the Signet desktop app only.', retriable: false });
  ctx.logger.info('portal opened', { origin: new URL(arg.url).origin });
  await ctx.openPortal(arg.url);
  return ok(undefined);
};

export const shellShowInFolder: Handler<'shell.showInFolder'> = async (ctx, arg) => {
  ctx.shell.showItemInFolder(ctx.files.output(arg.outputId).path);
  return ok(undefined);
};
