/**
 * POST /v1/certificate — the user picks a signing certificate in Signet and the page gets it
 * (DER) with the algorithms the token supports. `acceptableIssuers` narrows the choice like a TLS
 * CertificateRequest's CA list; when nothing fits, the consent dialog tells the user. The page
 * learns nothing about the cards unless the user shares a certificate: a refusal is
 * CONSENT_DENIED whether the user declined or nothing fitted (no issuer oracle).
 */
import { SignetError } from '../../../native/errors';
import { candidatesFor, supportedAlgorithms } from '../certificates';
import { certificateRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, type Route } from './route';

export const certificateRoute: Route<'/v1/certificate'> = {
  method: 'POST',
  async handle(ctx) {
    const req = await ctx.input.json(certificateRequestSchema, SMALL_BODY_BYTES);
    const [all, tokens] = await Promise.all([ctx.services.certificates(), ctx.services.tokens()]);
    const candidates = candidatesFor(all, 'signing', req.acceptableIssuers);
    const decision = await ctx.ask(
      { operation: 'share-certificate', candidates, ...(req.acceptableIssuers ? { acceptableIssuers: req.acceptableIssuers } : {}) },
      'to share a certificate',
    );
    const chosen = candidates.find((c) => c.uri === decision.certUri);
    if (chosen === undefined) throw new SignetError('INTERNAL', 'The chosen certificate is not among the offered ones.');
    return { certificate: chosen.certificate, supportedSignatureAlgorithms: supportedAlgorithms(chosen, tokens) };
  },
};
