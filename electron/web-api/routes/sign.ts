/**
 * POST /v1/sign — sign a digest the web server computed (the DSS / Web eID split: the server
 * builds the to-be-signed data, the card signs its hash, the server assembles the container).
 *
 * Signing keys only. A certificate that can also authenticate is refused: a raw signature over a
 * hash the page chose could be a TLS CertificateVerify or a login challenge for another site
 * (seeds: "TLS client auth is not a signature"), so pages never get one from such a key.
 */
import { SignetError } from '../../../native/errors';
import type { SignScheme } from '../../../native/types';
import { WEB_HASH, findByDer, requirePurpose } from '../certificates';
import type { SignatureAlgorithm } from '../protocol';
import { signRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, consentDenied, parseWith, type Route } from './route';

export const signRoute: Route<'/v1/sign'> = {
  method: 'POST',
  maxBodyBytes: () => SMALL_BODY_BYTES,
  parse: (body) => parseWith(signRequestSchema, body),
  async handle(req, ctx) {
    const { alg, length } = WEB_HASH[req.hashAlgorithm];
    const digest = Buffer.from(req.hash, 'base64');
    if (digest.length !== length) {
      throw new SignetError('INVALID_INPUT', `A ${req.hashAlgorithm} hash has ${length} bytes; this one has ${digest.length}.`);
    }
    const cert = findByDer(await ctx.services.certificates(), Buffer.from(req.certificate, 'base64'));
    if (cert === undefined) {
      throw new SignetError('NO_TOKEN', 'Insert the card or token with the certificate you chose, then try again.', { retriable: true });
    }
    requirePurpose(cert, 'signing');
    if (cert.purposes.includes('authentication')) {
      throw new SignetError(
        'KEY_PURPOSE_MISMATCH',
        'This certificate can also log you in to web sites, so Signet does not let a page choose what it signs. Use a signing-only certificate, or sign the document itself (sign-document).',
      );
    }
    let scheme: SignScheme;
    let signatureAlgorithm: SignatureAlgorithm;
    if (cert.keyType === 'EC') {
      if (req.paddingScheme !== undefined) throw new SignetError('INVALID_INPUT', 'paddingScheme applies to RSA keys only.');
      scheme = { kind: 'ecdsa', hash: alg, format: 'raw' };
      signatureAlgorithm = { cryptoAlgorithm: 'ECC', hashFunction: req.hashAlgorithm, paddingScheme: 'NONE' };
    } else if (req.paddingScheme === 'PSS') {
      scheme = { kind: 'pss', hash: alg };
      signatureAlgorithm = { cryptoAlgorithm: 'RSA', hashFunction: req.hashAlgorithm, paddingScheme: 'PSS' };
    } else {
      scheme = { kind: 'pkcs1', hash: alg };
      signatureAlgorithm = { cryptoAlgorithm: 'RSA', hashFunction: req.hashAlgorithm, paddingScheme: 'PKCS1.5' };
    }
    const decision = await ctx.broker.ask(
      { origin: ctx.origin, operation: 'sign-hash', hash: { algorithm: alg, hex: digest.toString('hex') }, certificate: cert },
      ctx.signal,
    );
    if (!decision.approve) throw consentDenied('to sign');
    const signature = await ctx.services.signDigest({ certificate: cert, digest, scheme, purpose: 'signing', signal: ctx.signal, origin: ctx.origin });
    return { signature: Buffer.from(signature).toString('base64'), signatureAlgorithm };
  },
};
