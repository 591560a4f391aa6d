/**
 * POST /v1/authenticate — Web eID `web-eid:1.0` token (core/formats/webeid.ts) over
 * hash(origin) ‖ hash(challengeNonce), the origin being the request's Origin header.
 * Authentication certificates only: the user picks one; signing-only keys never answer a
 * challenge. A refusal is CONSENT_DENIED whether the user declined or nothing fitted.
 */
import { SignetError } from '../../../native/errors';
import { createAuthToken, webEidAppVersion } from '../../core/formats/webeid';
import { candidatesFor } from '../certificates';
import { authenticateRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, type Route } from './route';

export const authenticateRoute: Route<'/v1/authenticate'> = {
  method: 'POST',
  async handle(ctx) {
    const req = await ctx.input.json(authenticateRequestSchema, SMALL_BODY_BYTES);
    const candidates = candidatesFor(await ctx.services.certificates(), 'authentication');
    const decision = await ctx.ask({ operation: 'authenticate', candidates }, 'to log in');
    const cert = candidates.find((c) => c.uri === decision.certUri);
    if (cert === undefined) throw new SignetError('INTERNAL', 'The chosen certificate is not among the offered ones.');
    return createAuthToken({
      origin: ctx.origin,
      challengeNonce: req.challengeNonce,
      certificate: Buffer.from(cert.certificate, 'base64'),
      appVersion: webEidAppVersion(ctx.services.appVersion),
      signDigest: (digest, scheme) => ctx.services.signDigest({ certificate: cert, digest, scheme, purpose: 'authentication', signal: ctx.signal, origin: ctx.origin }),
    });
  },
};
