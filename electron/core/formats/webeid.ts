/**
 * Web eID authentication token, format `web-eid:1.0`
 * (web-eid-system-architecture-doc, "Authentication token format"; web-eid-authtoken-validation).
 *
 *   {
 *     "unverifiedCertificate": base64 DER of the authentication certificate,
 *     "algorithm":  "ES256" | "ES384" | "ES512" | "PS256" | … | "RS512"   (RFC 7518 §3.3–3.5),
 *     "signature":  base64 signature over  hash(origin) ‖ hash(challengeNonce),
 *     "format":     "web-eid:1.0",
 *     "appVersion": URL naming the issuing application and version
 *   }
 *
 * `hash` is the algorithm's own hash (SHA-256 for ES256/RS256/PS256, …); each part is hashed
 * before concatenation so the two fields cannot run into each other (origin "a.com" + nonce ".eu1"
 * vs "a.com.eu" + "1"). The signature algorithm then hashes the signed value once more, so the
 * digest the card signs is hash(hash(origin) ‖ hash(nonce)). ES* signatures are raw r‖s
 * (JWS style, RFC 7518 §3.4), not DER.
 *
 * `origin` is the ASCII serialisation of the page's origin (`https://host[:port]`, no path, no
 * trailing slash) and must come from the HTTP request's Origin header, never from the page's
 * body: the binding to the origin is what stops a phishing site from relaying a token.
 *
 * Authentication keys only: a token is a proof of presence for a login, not a signature.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import type { HashAlg, SignScheme } from '../../../native/types';

import { WEB_EID_FORMAT, type WebEidAlgorithm, type WebEidAuthToken } from './webeid-token';

export { WEB_EID_FORMAT, type WebEidAlgorithm, type WebEidAuthToken };
/** Web eID requires nonces of at least 256 bits: 44 base64 characters. */
export const MIN_NONCE_LENGTH = 44;
export const MAX_NONCE_LENGTH = 512;

export interface WebEidAlgorithmChoice {
  algorithm: WebEidAlgorithm;
  hash: HashAlg;
  scheme: SignScheme;
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;

/** The nonce is opaque text to us, but Web eID servers issue base64; refuse anything else. */
export function checkChallengeNonce(nonce: string): void {
  if (nonce.length < MIN_NONCE_LENGTH || nonce.length > MAX_NONCE_LENGTH) {
    throw new SignetError('INVALID_INPUT', `The challenge nonce must be ${MIN_NONCE_LENGTH}–${MAX_NONCE_LENGTH} base64 characters (at least 256 bits).`);
  }
  if (!BASE64_RE.test(nonce) && !BASE64URL_RE.test(nonce)) {
    throw new SignetError('INVALID_INPUT', 'The challenge nonce must be base64.');
  }
}

/**
 * Checks that `origin` is an ASCII-serialised origin ("https://host[:port]", lower case, no
 * default port, no path) and returns it unchanged.
 */
export function checkSerializedOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new SignetError('INVALID_INPUT', `Not an origin: ${JSON.stringify(origin)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
    throw new SignetError('INVALID_INPUT', `Not a serialised web origin: ${JSON.stringify(origin)}`);
  }
  return origin;
}

/** ES* follows the curve (RFC 7518 §3.4); RSA uses RS256 unless PSS is asked for. */
export function chooseAlgorithm(certificateDer: Uint8Array, rsaPadding: 'pkcs1' | 'pss' = 'pkcs1'): WebEidAlgorithmChoice {
  const key = new X509Certificate(certificateDer).publicKey;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    switch (curve) {
      case 'prime256v1':
        return { algorithm: 'ES256', hash: 'sha256', scheme: { kind: 'ecdsa', hash: 'sha256', format: 'raw' } };
      case 'secp384r1':
        return { algorithm: 'ES384', hash: 'sha384', scheme: { kind: 'ecdsa', hash: 'sha384', format: 'raw' } };
      case 'secp521r1':
        return { algorithm: 'ES512', hash: 'sha512', scheme: { kind: 'ecdsa', hash: 'sha512', format: 'raw' } };
      default:
        throw new SignetError('MECHANISM_UNSUPPORTED', `Web eID tokens need a P-256, P-384 or P-521 key (this one is ${curve ?? 'unknown'}).`);
    }
  }
  if (key.asymmetricKeyType === 'rsa') {
    return rsaPadding === 'pss'
      ? { algorithm: 'PS256', hash: 'sha256', scheme: { kind: 'pss', hash: 'sha256' } }
      : { algorithm: 'RS256', hash: 'sha256', scheme: { kind: 'pkcs1', hash: 'sha256' } };
  }
  throw new SignetError('MECHANISM_UNSUPPORTED', `Unsupported key type for Web eID: ${key.asymmetricKeyType ?? 'unknown'}.`);
}

/** Web eID's appVersion: a URL naming the application and its version. */
export const webEidAppVersion = (version: string): string => `https://signet.invalid/releases/v${encodeURIComponent(version)}`;

const hash = (alg: HashAlg, data: string | Uint8Array): Buffer => createHash(alg).update(data).digest();

/** hash(origin) ‖ hash(challengeNonce): the value the signature covers (strings as UTF-8). */
export function authTokenSignedValue(origin: string, challengeNonce: string, alg: HashAlg): Buffer {
  return Buffer.concat([hash(alg, origin), hash(alg, challengeNonce)]);
}

/** The digest handed to the card: the signature algorithm's hash of the signed value. */
export function authTokenDigest(origin: string, challengeNonce: string, alg: HashAlg): Buffer {
  return hash(alg, authTokenSignedValue(origin, challengeNonce, alg));
}

export interface CreateAuthTokenInput {
  /** From the request's Origin header. */
  origin: string;
  challengeNonce: string;
  /** The authentication certificate (DER); the caller has checked its purpose. */
  certificate: Uint8Array;
  /** URL naming Signet and its version. */
  appVersion: string;
  rsaPadding?: 'pkcs1' | 'pss';
  /** Signs a digest on the card (the key signer, which asks for the PIN). */
  signDigest: (digest: Uint8Array, scheme: SignScheme) => Promise<Uint8Array>;
}

export async function createAuthToken(input: CreateAuthTokenInput): Promise<WebEidAuthToken> {
  checkSerializedOrigin(input.origin);
  checkChallengeNonce(input.challengeNonce);
  const choice = chooseAlgorithm(input.certificate, input.rsaPadding);
  const digest = authTokenDigest(input.origin, input.challengeNonce, choice.hash);
  const signature = await input.signDigest(digest, choice.scheme);
  return {
    unverifiedCertificate: Buffer.from(input.certificate).toString('base64'),
    algorithm: choice.algorithm,
    signature: Buffer.from(signature).toString('base64'),
    format: WEB_EID_FORMAT,
    appVersion: input.appVersion,
  };
}
