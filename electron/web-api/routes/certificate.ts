/**
 * POST /v1/certificate — the user picks a signing certificate in Signet and the page gets it
 * (DER) with the algorithms the token supports. `acceptableIssuers` narrows the choice like a TLS
 * CertificateRequest's CA list; when nothing fits, the consent modal says so (never a silent
 * empty answer) and the page gets NO_TOKEN / KEY_NOT_FOUND explaining why.
 */
import { SignetError } from '../../../native/errors';
import { candidatesFor, supportedAlgorithms } from '../certificates';
import { certificateRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, consentDenied, parseWith, type Route } from './route';

export const certificateRoute: Route<'/v1/certificate'> = {
  method: 'POST',
  maxBodyBytes: () => SMALL_BODY_BYTES,
  parse: (body) => parseWith(certificateRequestSchema, body),
  async handle(req, ctx) {
    const [all, tokens] = await Promise.all([ctx.services.certificates(), ctx.services.tokens()]);
    const candidates = candidatesFor(all, 'signing', req.acceptableIssuers);
    const decision = await ctx.broker.ask(
      { origin: ctx.origin, operation: 'share-certificate', candidates, ...(req.acceptableIssuers ? { acceptableIssuers: req.acceptableIssuers } : {}) },
      ctx.signal,
    );
    if (!decision.approve) {
      if (candidates.length > 0) throw consentDenied('to share a certificate');
      if (!tokens.some((t) => t.flags.tokenInitialized)) throw new SignetError('NO_TOKEN', 'No card or token is inserted. Insert it and try again.');
      throw new SignetError(
        'KEY_NOT_FOUND',
        req.acceptableIssuers && req.acceptableIssuers.length > 0
          ? 'None of your signing certificates is issued by a CA this site accepts.'
          : 'The inserted tokens have no usable signing certificate.',
      );
    }
    const chosen = candidates.find((c) => c.uri === decision.certUri);
    if (chosen === undefined) throw new SignetError('INTERNAL', 'The chosen certificate is not among the offered ones.');
    return { certificate: chosen.certificate, supportedSignatureAlgorithms: supportedAlgorithms(chosen, tokens) };
  },
};
