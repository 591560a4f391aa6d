/**
 * The verify view (issue 12 §4): a signed PDF → every signature in it; an ASiC-E container → its
 * XAdES signatures and the files each covers; a .p7s → its signers over
 * the content (encapsulated, given by the user, or the file of the same name beside it; when none
 * is found the view asks for it). Trust: the OS store, the anchors the user added in Settings, the
 * admin policy's. The verdicts are core's verify report, the same as `signet verify`.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { err, ok, SignetError } from '../../../../native/errors';
import type { FileRef } from '../../../api';
import { looksLikePdf } from '../../../core/signing/prepare';
import { checkFile } from '../../files/check';
import { looksLikeAsicFile, verifyAsice, verifyCades, verifyPades } from '../../../core/verify';
import { cmsIsDetached } from '../../../core/verify/detached';
import type { HandlerContext } from '../context';
import type { Handler } from './types';

const SIGNATURE_EXT = /\.(p7s|p7m|pkcs7)$/i;

export const verifyFile: Handler<'verify.file'> = async (ctx, arg) => {
  const input = ctx.files.input(arg.fileId);
  const opts = { trustAnchors: ctx.services.trust.ders() };
  // An ASiC-E container (.asice): its structure and every XAdES signature, with the files each covers.
  if (!arg.contentFileId && (await looksLikeAsicFile(input.path))) {
    const report = await verifyAsice(input.path, opts);
    ctx.logger.info('verified', { format: 'asice', signatures: report.signatures.length, valid: report.valid });
    return ok({ status: 'verified', file: input.ref, report });
  }
  if (!arg.contentFileId && (await looksLikePdf(input.path))) {
    const check = await checkFile(arg.fileId, input.path);
    if (check.problems[0]) return err(check.problems[0]);
    if (check.pdf?.signatureCount === 0)
      return err(new SignetError('INVALID_INPUT', `${input.ref.name} has no signature.`, { details: { name: input.ref.name, reason: 'no-signature' } }).toInfo());
    const report = await verifyPades(input.path, opts);
    ctx.logger.info('verified', { format: 'pades', signatures: report.signatures.length, valid: report.valid });
    return ok({ status: 'verified', file: input.ref, report });
  }
  let detached: boolean;
  try {
    detached = await cmsIsDetached(input.path);
  } catch (e) {
    if (!(e instanceof SignetError) || e.code !== 'INVALID_INPUT') throw e;
    return err(new SignetError('INVALID_INPUT', `${input.ref.name} is neither a signed PDF nor a signature file (.p7s).`, { details: { name: input.ref.name, reason: 'not-signed-file' } }).toInfo());
  }
  let content: FileRef | undefined;
  let contentPath = input.path;
  if (arg.contentFileId) {
    const c = ctx.files.input(arg.contentFileId);
    content = c.ref;
    contentPath = c.path;
  } else if (detached) {
    const found = await siblingContent(ctx, input.path);
    if (!found) {
      const expected = SIGNATURE_EXT.test(input.ref.name) ? input.ref.name.replace(SIGNATURE_EXT, '') : undefined;
      return ok({ status: 'needs-content', file: input.ref, ...(expected ? { expectedName: expected } : {}) });
    }
    content = found.ref;
    contentPath = found.path;
  }
  const report = await verifyCades(contentPath, input.path, opts);
  ctx.logger.info('verified', { format: 'cades', signatures: report.signatures.length, valid: report.valid });
  return ok({ status: 'verified', file: input.ref, ...(content ? { content } : {}), report });
};

/** data.csv.p7s → data.csv in the same folder, when it is there. */
async function siblingContent(ctx: HandlerContext, signaturePath: string): Promise<{ ref: FileRef; path: string } | undefined> {
  if (!SIGNATURE_EXT.test(signaturePath)) return undefined;
  const candidate = signaturePath.replace(SIGNATURE_EXT, '');
  if (!existsSync(candidate) || !statSync(candidate).isFile()) return undefined;
  const ref = await ctx.files.add(candidate);
  return { ref, path: path.resolve(candidate) };
}
