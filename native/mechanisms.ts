/**
 * Mechanism helpers for signing a precomputed digest on a token.
 *
 *  - RSA PKCS#1 v1.5: CKM_RSA_PKCS over DigestInfo (RFC 8017 §9.2 step 2; note 1 lists the DER
 *    prefixes). Hash-and-sign mechanisms (CKM_SHA256_RSA_PKCS, ...) would hash our digest again,
 *    so they are never used for digests.
 *        DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
 *  - RSA-PSS: CKM_RSA_PKCS_PSS over the digest, CK_RSA_PKCS_PSS_PARAMS with MGF1 of the same
 *    hash and sLen = hLen (PKCS#11 v2.40 §2.1.14; RFC 8017 §9.1, RFC 4055 §3.1 recommendation).
 *  - ECDSA: CKM_ECDSA over the digest (PKCS#11 v2.40 §2.3.6). The token returns r || s, each
 *    as long as the order; X.509/CMS want the DER form (RFC 3279 §2.2.3):
 *        Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { DigestInfo, id_sha256, id_sha384, id_sha512 } from '@peculiar/asn1-rsa';
import { ECDSASigValue } from '@peculiar/asn1-ecc';
import { SignetError } from './errors';
import type { SignMechanism } from './protocol';
import type { HashAlg, KeyType, SignScheme } from './types';

export const HASH_LENGTH: Record<HashAlg, number> = { sha256: 32, sha384: 48, sha512: 64 };

const HASH_OID: Record<HashAlg, string> = { sha256: id_sha256, sha384: id_sha384, sha512: id_sha512 };

export const HASH_ALGS: readonly HashAlg[] = ['sha256', 'sha384', 'sha512'];

export function isHashAlg(v: unknown): v is HashAlg {
  return typeof v === 'string' && (HASH_ALGS as readonly string[]).includes(v);
}

export function checkDigest(digest: Uint8Array, hash: HashAlg): void {
  if (!(digest instanceof Uint8Array)) throw new SignetError('INVALID_INPUT', 'The digest must be bytes.');
  const want = HASH_LENGTH[hash];
  if (digest.length !== want) {
    throw new SignetError('INVALID_INPUT', `A ${hash} digest is ${want} bytes; got ${digest.length}.`, {
      details: { expected: want, actual: digest.length },
    });
  }
}

const digestInfoPrefix = new Map<HashAlg, Uint8Array>();

/**
 * DER DigestInfo for `digest` (parameters NULL, as RFC 8017 §9.2 note 1 encodes them). The ASN.1
 * library encodes it once per hash; the encoding is that prefix followed by the digest.
 */
export function digestInfo(hash: HashAlg, digest: Uint8Array): Uint8Array {
  checkDigest(digest, hash);
  let prefix = digestInfoPrefix.get(hash);
  if (!prefix) {
    const n = HASH_LENGTH[hash];
    const di = new DigestInfo({
      digestAlgorithm: new AlgorithmIdentifier({ algorithm: HASH_OID[hash], parameters: null }),
      digest: new OctetString(new Uint8Array(n)),
    });
    const der = new Uint8Array(AsnConvert.serialize(di));
    prefix = der.slice(0, der.length - n);
    digestInfoPrefix.set(hash, prefix);
  }
  const out = new Uint8Array(prefix.length + digest.length);
  out.set(prefix);
  out.set(digest, prefix.length);
  return out;
}

/** Minimal positive INTEGER content: strip leading zeros, add one when the top bit is set. */
function positiveInteger(bytes: Uint8Array): ArrayBuffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  const out = new Uint8Array(((trimmed[0] ?? 0) & 0x80) !== 0 ? trimmed.length + 1 : trimmed.length);
  out.set(trimmed, out.length - trimmed.length);
  return out.buffer;
}

/** r || s (as CKM_ECDSA returns it) → DER Ecdsa-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new SignetError('INTERNAL', `ECDSA signature of odd length ${raw.length} from the token.`);
  const n = raw.length / 2;
  const sig = new ECDSASigValue({ r: positiveInteger(raw.subarray(0, n)), s: positiveInteger(raw.subarray(n)) });
  return new Uint8Array(AsnConvert.serialize(sig));
}

/** DER Ecdsa-Sig-Value → r || s, each padded to `size` bytes (the order's length). */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  const sig = AsnConvert.parse(der, ECDSASigValue);
  const fit = (v: ArrayBuffer): Uint8Array => {
    let b = new Uint8Array(v);
    while (b.length > size && b[0] === 0) b = b.subarray(1);
    if (b.length > size) throw new SignetError('INVALID_INPUT', 'ECDSA integer longer than the curve order.');
    const out = new Uint8Array(size);
    out.set(b, size - b.length);
    return out;
  };
  const out = new Uint8Array(size * 2);
  out.set(fit(sig.r), 0);
  out.set(fit(sig.s), size);
  return out;
}

export type SchemeKind = SignScheme['kind'];

export interface MechanismChoice {
  mechanism: SignMechanism;
  /** What goes into C_Sign. */
  data: Uint8Array;
  scheme: SignScheme;
}

/**
 * Pick the mechanism for a digest from what the token advertises (TokenInfo.mechanisms).
 * `preferred` is a requirement when given (the caller asked for that scheme); otherwise RSA keys
 * use PKCS#1 v1.5 when the token has it (widest verifier support), else PSS.
 */
export function chooseMechanism(args: {
  keyType: KeyType | 'other';
  hash: HashAlg;
  digest: Uint8Array;
  advertised: readonly string[];
  preferred?: SchemeKind;
  ecdsaFormat?: 'der' | 'raw';
}): MechanismChoice {
  const { keyType, hash, digest, advertised, preferred } = args;
  checkDigest(digest, hash);
  const has = (m: string): boolean => advertised.includes(m);
  const unsupported = (m: string): SignetError =>
    new SignetError('MECHANISM_UNSUPPORTED', `The token does not offer ${m}, which this signature needs.`, { details: { mechanism: m }, retriable: false });

  if (keyType === 'RSA') {
    if (preferred === 'ecdsa') throw new SignetError('INVALID_INPUT', 'ECDSA cannot be used with an RSA key.');
    const kind: 'pkcs1' | 'pss' = preferred ?? (has('CKM_RSA_PKCS') || !has('CKM_RSA_PKCS_PSS') ? 'pkcs1' : 'pss');
    if (kind === 'pkcs1') {
      if (!has('CKM_RSA_PKCS')) throw unsupported('CKM_RSA_PKCS');
      return { mechanism: { name: 'CKM_RSA_PKCS' }, data: digestInfo(hash, digest), scheme: { kind: 'pkcs1', hash } };
    }
    if (!has('CKM_RSA_PKCS_PSS')) throw unsupported('CKM_RSA_PKCS_PSS');
    return {
      mechanism: { name: 'CKM_RSA_PKCS_PSS', hash, saltLength: HASH_LENGTH[hash] },
      data: digest,
      scheme: { kind: 'pss', hash },
    };
  }
  if (keyType === 'EC') {
    if (preferred !== undefined && preferred !== 'ecdsa') throw new SignetError('INVALID_INPUT', `${preferred === 'pss' ? 'RSA-PSS' : 'PKCS#1 v1.5'} cannot be used with an EC key.`);
    if (!has('CKM_ECDSA')) throw unsupported('CKM_ECDSA');
    return { mechanism: { name: 'CKM_ECDSA' }, data: digest, scheme: { kind: 'ecdsa', hash, format: args.ecdsaFormat ?? 'der' } };
  }
  throw new SignetError('MECHANISM_UNSUPPORTED', 'Signet signs with RSA and EC keys only; this key has another type.', { retriable: false });
}

/** Turn what C_Sign returned into the scheme's output form. */
export function finishSignature(scheme: SignScheme, tokenOutput: Uint8Array): Uint8Array {
  if (scheme.kind === 'ecdsa' && scheme.format === 'der') return ecdsaRawToDer(tokenOutput);
  return tokenOutput;
}
