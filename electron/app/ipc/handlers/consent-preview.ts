import { err, ok } from '../../../../native/errors';
import type { Handler } from './types';

/**
 * The document a web page asks to sign, for the consent dialog's preview (issue 12 §1): bytes of
 * the shown request's spooled document only, in bounded slices (pdf.js reads PDFs by ranges).
 */
export const consentDocumentBytes: Handler<'consent.documentBytes'> = async (ctx, arg) => {
  const consent = ctx.services.consent;
  if (!consent) return err({ code: 'INVALID_INPUT', message: 'The web API is not running.', retriable: false });
  const { bytes, total } = await consent.documentBytes(arg.requestId, arg.offset, arg.length);
  return ok({ base64: Buffer.from(bytes).toString('base64'), offset: arg.offset, total });
};
