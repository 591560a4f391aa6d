import { err, ok } from '../../../../native/errors';
import type { Handler } from './types';

/** The user's answer to a web page's request, routed to the web API's consent queue. */
export const consentRespond: Handler<'consent.respond'> = async (ctx, arg) => {
  const consent = ctx.services.consent;
  if (!consent) return err({ code: 'INVALID_INPUT', message: 'The web API is not running.', retriable: false });
  const decision = { approve: arg.decision.approve, ...(arg.decision.remember !== undefined ? { remember: arg.decision.remember } : {}), ...(arg.decision.certUri ? { certUri: arg.decision.certUri } : {}) };
  await consent.respond(arg.requestId, decision);
  ctx.logger.info('consent answered', { requestId: arg.requestId, approve: arg.decision.approve });
  return ok(undefined);
};

/** More text of the document a shown request asks to sign ("show the rest"). */
export const consentDocumentText: Handler<'consent.documentText'> = async (ctx, arg) => {
  const consent = ctx.services.consent;
  if (!consent) return err({ code: 'INVALID_INPUT', message: 'The web API is not running.', retriable: false });
  return ok(await consent.documentText(arg.requestId, arg.offset));
};
