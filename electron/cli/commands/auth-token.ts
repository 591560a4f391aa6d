/**
 * `signet auth-token --key URI --origin URL --nonce STR`: a Web eID `web-eid:1.0` authentication
 * token (electron/core/formats/webeid.ts) — the signature over hash(origin) ‖ hash(nonce) that
 * proves to that origin's server that the card is present. For scripts and for testing a portal's
 * back end; web pages get the same token through the loopback API, with the origin taken from the
 * browser's Origin header.
 *
 * Authentication keys only (design "Purposes"): a signing key never answers a challenge, since a
 * login proof is not a signature over a document; the certificate must carry the clientAuth EKU
 * (Web eID validators refuse others). The PIN unlocks this one login (KeySigner.runAction).
 * Output: the token JSON.
 */
import { SignetError } from '../../../native/errors';
import { createAuthToken, webEidAppVersion } from '../../core/formats/webeid';
import { authenticationRules } from '../../core/pin-policy';
import { assertPurpose } from '../../core/pki/purposes';
import { SIGNET_VERSION } from '../../core/version';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

/** The serialised origin of `--origin`: scheme://host[:port]; anything after the origin is an error, not ignored. */
function originOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SignetError('INVALID_INPUT', `--origin must be a web origin such as https://portal.example (got ${JSON.stringify(value)}).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SignetError('INVALID_INPUT', '--origin must be an https:// (or http://) origin.');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new SignetError('INVALID_INPUT', `--origin names a page, not an origin; use ${url.origin}`);
  }
  return url.origin;
}

export const command: CliCommand = {
  name: 'auth-token',
  description: 'Make a Web eID (web-eid:1.0) authentication token for an origin and a challenge nonce.',
  usesPin: true,
  options: {
    key: { type: 'string', valueName: 'URI', required: true, description: 'Authentication key (RFC 7512 URI, from "signet certs")' },
    origin: { type: 'string', valueName: 'URL', required: true, description: 'The web origin the token is for: scheme://host[:port]' },
    nonce: { type: 'string', valueName: 'STR', required: true, description: 'The challenge nonce the server issued (base64, at least 44 characters)' },
    pss: { type: 'boolean', description: 'RSA keys: PS256 instead of RS256' },
  },
  async run(args, ctx) {
    const keyUri = String(args.values.key);
    const origin = originOf(String(args.values.origin));
    const nonce = String(args.values.nonce);
    const signer = ctx.keySigner();
    const { description } = await signer.describe(keyUri, ctx.signal);
    const certificate = description.certificate;
    if (!certificate) throw new SignetError('KEY_NOT_FOUND', 'The key has no certificate on the token; a Web eID token carries the authentication certificate.');
    // Checked before any PIN is asked (KeySigner checks again at signing): an authentication key
    // whose certificate has the clientAuth EKU, as Web eID validators require (pki/purposes.ts);
    // details.rule names the rule that refused it.
    assertPurpose(certificate, 'authentication', { webEid: true, rules: authenticationRules(ctx.config().policy) });
    ctx.logger.log('info', 'auth-token', { key: keyUri, origin });
    const token = await createAuthToken({
      origin,
      challengeNonce: nonce,
      certificate,
      appVersion: webEidAppVersion(SIGNET_VERSION),
      ...(args.values.pss === true ? { rsaPadding: 'pss' as const } : {}),
      signDigest: async (digest, scheme) => {
        const r = await signer.signDigest({
          keyUri,
          digest,
          hash: scheme.hash,
          scheme: scheme.kind,
          ...(scheme.kind === 'ecdsa' ? { ecdsaFormat: scheme.format } : {}),
          pinPrompt: ctx.pinPrompt(),
          signal: ctx.signal,
          requirePurpose: 'authentication',
          webEid: true,
          // One login for this origin: its own PIN, logged out right after.
          action: { purpose: 'authenticate', origin },
        });
        return r.signature;
      },
    });
    // The token is JSON either way: what a portal's back end receives.
    ctx.print(token, () => JSON.stringify(token, null, 2));
    return EXIT.OK;
  },
};
