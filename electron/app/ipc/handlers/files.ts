import { err, ok } from '../../../../native/errors';
import type { Handler, PreloadHandler } from './types';

/** The open dialog (the harness: its files directory). Unreadable picks are reported, the rest kept. */
export const filesPick: Handler<'files.pick'> = async (ctx, arg) => {
  const paths = await ctx.dialogs.openFiles({ multiple: arg.multiple });
  const { refs, errors } = await ctx.files.addMany(paths);
  if (refs.length === 0 && errors[0]) return err(errors[0].toInfo());
  return ok(refs);
};

/** Drag and drop: paths the preload got from webUtils.getPathForFile for real dropped files. */
export const filesDropped: PreloadHandler<'files.dropped'> = async (ctx, arg) => {
  const { refs, errors } = await ctx.files.addMany(arg.paths);
  if (refs.length === 0 && errors[0]) return err(errors[0].toInfo());
  return ok(refs);
};
