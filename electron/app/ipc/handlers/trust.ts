import { readFile } from 'node:fs/promises';
import { ok } from '../../../../native/errors';
import { fileError } from '../../../core/hashing';
import type { Handler } from './types';

export const trustList: Handler<'trust.list'> = async (ctx) => {
  ctx.services.trust.reload();
  return ok(ctx.services.trust.list());
};

/** Settings → Add a trust anchor: a PEM/DER file the user picked or dropped (a registered input). */
export const trustAdd: Handler<'trust.add'> = async (ctx, arg) => {
  const input = ctx.files.input(arg.fileId);
  let bytes: Buffer;
  try {
    bytes = await readFile(input.path);
  } catch (e) {
    throw fileError(input.path, e);
  }
  const added = ctx.services.trust.add(bytes, input.ref.name);
  ctx.logger.info('trust anchors added', { fingerprints: added.map((a) => a.fingerprintSha256) });
  return ok(ctx.services.trust.list());
};

export const trustRemove: Handler<'trust.remove'> = async (ctx, arg) => {
  ctx.services.trust.remove(arg.fingerprintSha256);
  ctx.logger.info('trust anchor removed', { fingerprint: arg.fingerprintSha256 });
  return ok(ctx.services.trust.list());
};
