/**
 * POST /v1/sign — sign a digest the web server computed (the DSS / Web eID split: the server
 * builds the to-be-signed data, the card signs its hash, the server assembles the container).
 *
 * Signing keys only, judged per **key** (certificates.ts keyCanLogIn): if any certificate bound
 * to the key can authenticate — by Signet's rules, or by a relying party's, which ignore the
 * nonRepudiation bit — a raw signature over a hash the page chose could be a TLS
 * CertificateVerify or a Web eID login for another site (seeds: "TLS client auth is not a
 * signature"), so pages never get one from such a key.
 *
 * Order (issue 8 §4, no oracle before consent): only what the request itself says is checked
 * before asking (schema, digest length, the certificate's own extensions); whether that
 * certificate is on an inserted card, and every other fact about the cards, is looked up only
 * after the user approved.
 */
import { SignetError } from '../../../native/errors';
import type { SignScheme } from '../../../native/types';
import { WEB_HASH, derCanLogIn, findByDer, keyCanLogIn, pageCertificateView, requirePurpose } from '../certificates';
import type { SignatureAlgorithm } from '../protocol';
import { signRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, type Route } from './route';

const LOGIN_KEY =
  'This certificate’s key can also log you in to web sites, so Signet does not let a page choose what it signs. Use a signing-only certificate, or sign the document itself (sign-document).';

export const signRoute: Route<'/v1/sign'> = {
  method: 'POST',
  async handle(ctx) {
    const req = await ctx.input.json(signRequestSchema, SMALL_BODY_BYTES);
    const { alg, length } = WEB_HASH[req.hashAlgorithm];
    const digest = Buffer.from(req.hash, 'base64');
    if (digest.length !== length) {
      throw new SignetError('INVALID_INPUT', `A ${req.hashAlgorithm} hash has ${length} bytes; this one has ${digest.length}.`);
    }
    const der = Buffer.from(req.certificate, 'base64');
    const shown = pageCertificateView(der);
    // What the certificate says about itself (no card involved).
    if (!shown.purposes.includes('signing')) throw new SignetError('KEY_PURPOSE_MISMATCH', 'This certificate is not a signing certificate.');
    if (shown.purposes.includes('authentication') || derCanLogIn(der)) throw new SignetError('KEY_PURPOSE_MISMATCH', LOGIN_KEY);
    let scheme: SignScheme;
    let signatureAlgorithm: SignatureAlgorithm;
    if (shown.keyType === 'EC') {
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

    await ctx.ask({ operation: 'sign-hash', hash: { algorithm: alg, hex: digest.toString('hex') }, certificate: shown }, 'to sign');

    // Approved: now the cards.
    const all = await ctx.services.certificates();
    const cert = findByDer(all, der);
    if (cert === undefined) {
      throw new SignetError('NO_TOKEN', 'Insert the card or token with the certificate you chose, then try again.', { retriable: true });
    }
    requirePurpose(cert, 'signing');
    if (keyCanLogIn(cert, all)) throw new SignetError('KEY_PURPOSE_MISMATCH', LOGIN_KEY);
    const signature = await ctx.services.signDigest({ certificate: cert, digest, scheme, purpose: 'signing', signal: ctx.signal, origin: ctx.origin });
    return { signature: Buffer.from(signature).toString('base64'), signatureAlgorithm };
  },
};
