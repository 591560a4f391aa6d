import { err, ok, SignetError } from '../../../../native/errors';
import { checkFile } from '../../files/check';
import { readRange, MAX_READ_BYTES } from '../../files/read-range';
import type { Handler, PreloadHandler } from './types';

/** The open dialog (the harness: its files directory). Every refused pick is returned with its name and why. */
export const filesPick: Handler<'files.pick'> = async (ctx, arg) => {
  const paths = await ctx.dialogs.openFiles({ multiple: arg.multiple });
  const { refs, rejected } = await ctx.files.addMany(paths);
  return ok({ files: refs, rejected });
};

/** Drag and drop: paths the preload got from webUtils.getPathForFile for real dropped files. */
export const filesDropped: PreloadHandler<'files.dropped'> = async (ctx, arg) => {
  const { refs, rejected } = await ctx.files.addMany(arg.paths);
  return ok({ files: refs, rejected });
};

/** The checks of issue 12 §6, run when a file is added so problems show on its row. */
export const filesInspect: Handler<'files.inspect'> = async (ctx, arg) => {
  const input = ctx.files.input(arg.fileId);
  return ok(await checkFile(arg.fileId, input.path));
};

/** Preview bytes: only files the user gave (registered inputs), in bounded slices. */
export const filesRead: Handler<'files.read'> = async (ctx, arg) => {
  if (arg.length > MAX_READ_BYTES) return err(new SignetError('INVALID_INPUT', `At most ${MAX_READ_BYTES} bytes per read.`).toInfo());
  const input = ctx.files.input(arg.fileId);
  return ok(await readRange(input.path, arg.offset, arg.length));
};
