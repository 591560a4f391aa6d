/**
 * The one thing document formats need from a key: "sign this digest", plus the certificate and
 * the certificates that may complete its chain. Formats (CAdES, PAdES) are written against this
 * interface only, so they are unit-tested with a software key and run in the product through
 * KeySigner (login with a PinPrompt, per-signature PIN for always-authenticate keys, C_Sign in the
 * token host) — see key-document-signer.ts.
 */
import { X509Certificate } from 'node:crypto';
import { SignetError } from '../../native/errors';
import type { HashAlg } from '../../native/types';
import type { SignatureScheme } from './formats/cms/algorithms';
import type { UserAction } from './pin-prompt';

export type { SignatureScheme };

export interface DocumentSigner {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Other certificates that may complete the chain (e.g. CA certificates found on the token), DER. */
  readonly extraCertificates: readonly Uint8Array[];
  /** How the key signs: RSA PKCS#1 v1.5, RSA-PSS (MGF1 with the same hash, salt = hash length) or ECDSA. */
  readonly scheme: SignatureScheme;
  /** Upper bound of the length of what sign() returns (RSA: modulus bytes; ECDSA: DER Ecdsa-Sig-Value). */
  readonly maxSignatureLength: number;
  /**
   * Sign a digest made with `hash`. ECDSA signatures are returned DER-encoded
   * (Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, RFC 5753 §7.2).
   * May ask for a PIN (per-signature PIN for always-authenticate keys); honours `signal`.
   */
  sign(digest: Uint8Array, hash: HashAlg, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Whether sign() calls may overlap now (a batch keeps the next file's signature in flight
   * while it builds the one after; they queue at the token). A token key says so after a first
   * signature that asked no per-signature PIN. Absent or false: one signature at a time.
   */
  readonly concurrent?: boolean;
  /**
   * Run `fn` (every sign() of one confirmed batch) as one user action: one PIN for the batch,
   * logged out when it ends (KeySigner.runAction). Absent for signers without a token.
   */
  action?<T>(action: UserAction, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface KeyProfile {
  keyType: 'RSA' | 'EC';
  /** RSA modulus bits, or the curve's field size. */
  bits: number;
  curve?: 'P-256' | 'P-384' | 'P-521';
  /** Default digest for this key (SHA-256 for RSA and P-256, SHA-384 for P-384, SHA-512 for P-521). */
  defaultHash: HashAlg;
}

const CURVE_BITS = { 'P-256': 256, 'P-384': 384, 'P-521': 521 } as const;
const CURVE_HASH: Record<keyof typeof CURVE_BITS, HashAlg> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };
const NODE_CURVES: Record<string, keyof typeof CURVE_BITS> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Key type and size of a certificate's public key. */
export function keyProfile(certDer: Uint8Array): KeyProfile {
  let key;
  try {
    key = new X509Certificate(certDer).publicKey;
  } catch (e) {
    throw new SignetError('INVALID_INPUT', 'The certificate cannot be parsed', { cause: e });
  }
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = d.modulusLength ?? 0;
    return { keyType: 'RSA', bits, defaultHash: 'sha256' };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = NODE_CURVES[d.namedCurve ?? ''];
    if (!curve) throw new SignetError('MECHANISM_UNSUPPORTED', `Unsupported elliptic curve ${d.namedCurve ?? '(unknown)'}`);
    return { keyType: 'EC', bits: CURVE_BITS[curve], curve, defaultHash: CURVE_HASH[curve] };
  }
  throw new SignetError('MECHANISM_UNSUPPORTED', `Unsupported key type ${key.asymmetricKeyType ?? '(unknown)'}`);
}

/** The longest signature a key can produce, as DocumentSigner.sign returns it. */
export function maxSignatureLength(p: KeyProfile): number {
  if (p.keyType === 'RSA') return Math.ceil(p.bits / 8);
  // Ecdsa-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, each INTEGER up to n bytes + a 0x00 sign
  // byte, with a 1-byte tag and a 1–2-byte length; the SEQUENCE adds 1 tag + up to 2 length bytes.
  const n = Math.ceil(p.bits / 8);
  const intLen = 1 + (n + 1 > 127 ? 2 : 1) + n + 1;
  const body = 2 * intLen;
  return 1 + (body > 127 ? 2 : 1) + body;
}
