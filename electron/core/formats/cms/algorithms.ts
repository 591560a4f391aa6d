/**
 * Algorithm identifiers used in CMS signatures.
 *
 * - Digests: RFC 5754 §2 (id-sha256/384/512, parameters absent — we write them absent and accept
 *   NULL when reading, as RFC 5754 §2 requires of receivers).
 * - RSA PKCS#1 v1.5: RFC 5754 §3.2 / RFC 8017 A.2.4, sha256WithRSAEncryption etc., parameters NULL.
 * - RSASSA-PSS: RFC 4056 §2 / RFC 8017 A.2.3:
 *     RSASSA-PSS-params ::= SEQUENCE {
 *       hashAlgorithm      [0] HashAlgorithm      DEFAULT sha1,
 *       maskGenAlgorithm   [1] MaskGenAlgorithm   DEFAULT mgf1SHA1,
 *       saltLength         [2] INTEGER            DEFAULT 20,
 *       trailerField       [3] TrailerField       DEFAULT trailerFieldBC }
 *   We always sign with MGF1 over the same hash and salt length = hash length (design.md,
 *   `sign-hash --scheme pss`), and write every non-default field.
 * - ECDSA: RFC 5753 §7.1.3 / RFC 5758 §3.2, ecdsa-with-SHA256 etc., parameters absent.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  RsaSaPssParams,
  id_RSASSA_PSS,
  id_mgf1,
  id_rsaEncryption,
  id_sha256,
  id_sha384,
  id_sha512,
  id_sha256WithRSAEncryption,
  id_sha384WithRSAEncryption,
  id_sha512WithRSAEncryption,
} from '@peculiar/asn1-rsa';
import { id_ecdsaWithSHA256, id_ecdsaWithSHA384, id_ecdsaWithSHA512, id_ecPublicKey } from '@peculiar/asn1-ecc';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';

export type SignatureScheme = 'pkcs1' | 'pss' | 'ecdsa';

export const DIGEST_OID: Record<HashAlg, string> = { sha256: id_sha256, sha384: id_sha384, sha512: id_sha512 };

const RSA_OID: Record<HashAlg, string> = {
  sha256: id_sha256WithRSAEncryption,
  sha384: id_sha384WithRSAEncryption,
  sha512: id_sha512WithRSAEncryption,
};
const ECDSA_OID: Record<HashAlg, string> = { sha256: id_ecdsaWithSHA256, sha384: id_ecdsaWithSHA384, sha512: id_ecdsaWithSHA512 };

const NULL_PARAMS = new Uint8Array([0x05, 0x00]).buffer;

export function digestAlgorithm(hash: HashAlg): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: DIGEST_OID[hash] });
}

export function hashFromDigestOid(oid: string): HashAlg | undefined {
  return (Object.keys(DIGEST_OID) as HashAlg[]).find((h) => DIGEST_OID[h] === oid);
}

export function pssParams(hash: HashAlg): RsaSaPssParams {
  return new RsaSaPssParams({
    hashAlgorithm: digestAlgorithm(hash),
    maskGenAlgorithm: new AlgorithmIdentifier({ algorithm: id_mgf1, parameters: AsnConvert.serialize(digestAlgorithm(hash)) }),
    saltLength: HASH_BYTES[hash],
    trailerField: 1,
  });
}

const HASH_BYTES: Record<HashAlg, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** The SignerInfo.signatureAlgorithm for a scheme and hash. */
export function signatureAlgorithm(scheme: SignatureScheme, hash: HashAlg): AlgorithmIdentifier {
  switch (scheme) {
    case 'pkcs1':
      return new AlgorithmIdentifier({ algorithm: RSA_OID[hash], parameters: NULL_PARAMS });
    case 'pss':
      return new AlgorithmIdentifier({ algorithm: id_RSASSA_PSS, parameters: AsnConvert.serialize(pssParams(hash)) });
    case 'ecdsa':
      return new AlgorithmIdentifier({ algorithm: ECDSA_OID[hash] });
  }
}

/** What a SignerInfo's signatureAlgorithm asks a verifier to do (node:crypto terms). */
export interface VerifyAlgorithm {
  scheme: SignatureScheme;
  /** Hash for the signature; for rsaEncryption / ecPublicKey it is the SignerInfo's digestAlgorithm. */
  hash: HashAlg;
  /** PSS salt length from the parameters. */
  saltLength?: number;
}

/**
 * Read a signatureAlgorithm. `digestHash` is SignerInfo.digestAlgorithm, used when the signature
 * OID names no hash (rsaEncryption, RFC 5754 §3.2; id-ecPublicKey as some signers write it).
 */
export function parseSignatureAlgorithm(alg: AlgorithmIdentifier, digestHash: HashAlg): VerifyAlgorithm {
  const oid = alg.algorithm;
  for (const h of Object.keys(RSA_OID) as HashAlg[]) {
    if (RSA_OID[h] === oid) return { scheme: 'pkcs1', hash: h };
    if (ECDSA_OID[h] === oid) return { scheme: 'ecdsa', hash: h };
  }
  if (oid === id_rsaEncryption) return { scheme: 'pkcs1', hash: digestHash };
  if (oid === id_ecPublicKey) return { scheme: 'ecdsa', hash: digestHash };
  if (oid === id_RSASSA_PSS) {
    if (!alg.parameters) throw new SignetError('INVALID_INPUT', 'RSASSA-PSS signature without parameters (SHA-1 defaults are not accepted)');
    const p = AsnConvert.parse(alg.parameters, RsaSaPssParams);
    const hash = hashFromDigestOid(p.hashAlgorithm.algorithm);
    if (!hash) throw new SignetError('INVALID_INPUT', `Unsupported RSASSA-PSS hash ${p.hashAlgorithm.algorithm}`);
    if (p.maskGenAlgorithm.algorithm !== id_mgf1 || !p.maskGenAlgorithm.parameters) {
      throw new SignetError('INVALID_INPUT', 'Unsupported RSASSA-PSS mask generation function');
    }
    const mgfHash = hashFromDigestOid(AsnConvert.parse(p.maskGenAlgorithm.parameters, AlgorithmIdentifier).algorithm);
    if (mgfHash !== hash) throw new SignetError('INVALID_INPUT', 'RSASSA-PSS with an MGF1 hash different from the message hash is not supported');
    return { scheme: 'pss', hash, saltLength: p.saltLength };
  }
  throw new SignetError('INVALID_INPUT', `Unsupported signature algorithm ${oid}`);
}
