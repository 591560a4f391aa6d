/**
 * POST /v1/authenticate — Web eID `web-eid:1.0` token (core/formats/webeid.ts) over
 * hash(origin) ‖ hash(challengeNonce), the origin being the request's Origin header.
 * Authentication certificates only: the user picks one; signing-only keys never answer a
 * challenge.
 */
import { SignetError } from '../../../native/errors';
import { createAuthToken, webEidAppVersion } from '../../core/formats/webeid';
import { candidatesFor } from '../certificates';
import { authenticateRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, consentDenied, parseWith, type Route } from './route';

export const authenticateRoute: Route<'/v1/authenticate'> = {
  method: 'POST',
  maxBodyBytes: () => SMALL_BODY_BYTES,
  parse: (body) => parseWith(authenticateRequestSchema, body),
  async handle(req, ctx) {
    const candidates = candidatesFor(await ctx.services.certificates(), 'authentication');
    const decision = await ctx.broker.ask({ origin: ctx.origin, operation: 'authenticate', candidates }, ctx.signal);
    if (!decision.approve) {
      if (candidates.length === 0) throw new SignetError('NO_TOKEN', 'No authentication certificate is available. Insert your card and try again.');
      throw consentDenied('to log in');
    }
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
