/**
 * Checking the signature of a signed PKIX structure (an OCSP BasicOCSPResponse, a CRL) over its
 * to-be-signed bytes with a certificate's key: RFC 5280 §5.1.1.3 / RFC 6960 §4.2.1, using the
 * same algorithm table as CMS (formats/cms/algorithms.ts) and node:crypto.
 */
import { constants, verify, X509Certificate } from 'node:crypto';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { parseSignatureAlgorithm } from '../../formats/cms/algorithms';

export function verifySignedStructure(tbs: ArrayBuffer | Uint8Array, alg: AlgorithmIdentifier, signature: ArrayBuffer | Uint8Array, signerDer: Uint8Array): boolean {
  try {
    const a = parseSignatureAlgorithm(alg, 'sha256');
    const key = new X509Certificate(signerDer).publicKey;
    const data = Buffer.from(tbs instanceof Uint8Array ? tbs : new Uint8Array(tbs));
    const sig = Buffer.from(signature instanceof Uint8Array ? signature : new Uint8Array(signature));
    if (a.scheme === 'ecdsa') return verify(a.hash, data, { key, dsaEncoding: 'der' }, sig);
    if (a.scheme === 'pss') return verify(a.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: a.saltLength ?? 0 }, sig);
    return verify(a.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
  } catch {
    return false;
  }
}
