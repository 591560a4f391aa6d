import { err, ok } from '../../../../native/errors';
import type { Handler } from './types';

/** A portal that wants a client certificate, in Signet's hardened TLS window. */
export const tlsOpenPortal: Handler<'tls.openPortal'> = async (ctx, arg) => {
  if (!ctx.openPortal) return err({ code: 'INVALID_INPUT', message: 'Portal windows open in the Signet desktop app only.', retriable: false });
  ctx.logger.info('portal opened', { origin: new URL(arg.url).origin });
  await ctx.openPortal(arg.url);
  return ok(undefined);
};

/** Only outputs Signet wrote can be shown or opened (ids from a sign outcome or a diagnostics export). */
export const shellShowInFolder: Handler<'shell.showInFolder'> = async (ctx, arg) => {
  ctx.shell.showItemInFolder(ctx.files.output(arg.outputId).path);
  return ok(undefined);
};

export const shellOpenOutput: Handler<'shell.openOutput'> = async (ctx, arg) => {
  const output = ctx.files.output(arg.outputId);
  if (!ctx.shell.openPath) return err({ code: 'INVALID_INPUT', message: 'Opening files needs the Signet desktop app.', retriable: false });
  const problem = await ctx.shell.openPath(output.path);
  if (problem) return err({ code: 'FILE_UNREADABLE', message: problem, retriable: true, details: { name: output.ref.name, reason: 'cannot-open' } });
  return ok(undefined);
};
