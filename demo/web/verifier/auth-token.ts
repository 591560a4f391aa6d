/**
 * Web eID `web-eid:1.0` authentication token validation, as a relying party does it
 * (web-eid-authtoken-validation, "Authentication token validation"):
 *   1. the token's shape and format ("web-eid:1"), an allowed algorithm;
 *   2. the certificate: in its validity period, for client authentication, chained to a CA we
 *      trust;
 *   3. the signature over hash(origin) ‖ hash(challengeNonce), rebuilt from OUR origin and the
 *      nonce WE issued (looked up by the caller and removed from its store: single use), so a
 *      token made for another site or replayed does not verify.
 */
import { X509Certificate, constants, createHash, verify as cryptoVerify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, KeyUsage, KeyUsageFlags, id_ce_keyUsage } from '@peculiar/asn1-x509';
import { verifyChain, type ChainResult } from './chain';

export interface AuthTokenVerdict {
  valid: boolean;
  errors: string[];
  chain?: ChainResult;
  /** The authenticated user's certificate (only meaningful when valid). */
  certificate?: X509Certificate;
  subject?: string;
}

const ALGORITHMS: Record<string, { hash: string; kind: 'ec' | 'rsa' | 'pss' }> = {
  ES256: { hash: 'sha256', kind: 'ec' },
  ES384: { hash: 'sha384', kind: 'ec' },
  ES512: { hash: 'sha512', kind: 'ec' },
  RS256: { hash: 'sha256', kind: 'rsa' },
  RS384: { hash: 'sha384', kind: 'rsa' },
  RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' },
  PS384: { hash: 'sha384', kind: 'pss' },
  PS512: { hash: 'sha512', kind: 'pss' },
};

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface VerifyAuthTokenOptions {
  /** This site's origin, from configuration — never from the request. */
  expectedOrigin: string;
  /** The nonce this site issued to this browser session (already removed from the store). */
  challengeNonce: string;
  anchors: readonly X509Certificate[];
  intermediates?: readonly X509Certificate[];
  at?: Date;
}

export function verifyAuthToken(token: unknown, opts: VerifyAuthTokenOptions): AuthTokenVerdict {
  const t = token as Record<string, unknown> | null;
  if (typeof t !== 'object' || t === null) return { valid: false, errors: ['the token is not an object'] };
  const { unverifiedCertificate, algorithm, signature, format } = t;
  if (typeof format !== 'string' || !/^web-eid:1(\.\d+)?$/.test(format)) return { valid: false, errors: ['unsupported token format'] };
  if (typeof algorithm !== 'string' || ALGORITHMS[algorithm] === undefined) return { valid: false, errors: ['unsupported algorithm'] };
  if (typeof unverifiedCertificate !== 'string' || typeof signature !== 'string') return { valid: false, errors: ['missing certificate or signature'] };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(unverifiedCertificate, 'base64'));
  } catch {
    return { valid: false, errors: ['unreadable certificate'] };
  }
  const errors: string[] = [];
  const eku = cert.keyUsage; // node: extended key usage OIDs, undefined when absent
  if (eku !== undefined && !eku.includes(CLIENT_AUTH)) errors.push('the certificate is not for client authentication');
  // RFC 5280 §4.2.1.3: an authentication signature needs digitalSignature (a nonRepudiation-only
  // key is for document signatures and must not log anyone in).
  const ku = AsnConvert.parse(cert.raw, Certificate).tbsCertificate.extensions?.find((x) => x.extnID === id_ce_keyUsage);
  if (ku !== undefined && (AsnConvert.parse(ku.extnValue.buffer, KeyUsage).toNumber() & KeyUsageFlags.digitalSignature) === 0) {
    errors.push('the certificate may not make authentication signatures (no digitalSignature key usage)');
  }
  const chain = verifyChain(cert, opts.intermediates ?? [], opts.anchors, opts.at);
  errors.push(...chain.errors);

  const alg = ALGORITHMS[algorithm] as { hash: string; kind: 'ec' | 'rsa' | 'pss' };
  const h = (s: string): Buffer => createHash(alg.hash).update(s, 'utf8').digest();
  const signedValue = Buffer.concat([h(opts.expectedOrigin), h(opts.challengeNonce)]);
  const key = cert.publicKey;
  const keyOk = alg.kind === 'ec' ? key.asymmetricKeyType === 'ec' : key.asymmetricKeyType === 'rsa';
  let ok = false;
  if (!keyOk) errors.push('the algorithm does not match the certificate key');
  else {
    try {
      const sig = Buffer.from(signature, 'base64');
      ok =
        alg.kind === 'ec'
          ? cryptoVerify(alg.hash, signedValue, { key, dsaEncoding: 'ieee-p1363' }, sig)
          : alg.kind === 'pss'
            ? cryptoVerify(alg.hash, signedValue, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, sig)
            : cryptoVerify(alg.hash, signedValue, key, sig);
    } catch {
      ok = false;
    }
    if (!ok) errors.push('the signature does not match this site and challenge (wrong origin, replayed or forged token)');
  }
  return { valid: errors.length === 0, errors, chain, certificate: cert, subject: cert.subject.replace(/\n/g, ', ') };
}
