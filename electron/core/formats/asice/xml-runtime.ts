/**
 * The XML-DSig / XAdES libraries' runtime, set up once: xml-core's DOM (@xmldom/xmldom) and
 * xmldsigjs's WebCrypto engine (Node's webcrypto).
 *
 * The private key never leaves the token: xmldsigjs ends its Sign() with
 * `crypto.subtle.sign(algorithm, key, canonicalSignedInfo)` (its SignatureAlgorithm.Sign). The
 * engine given to the library is Node's webcrypto with one change: `sign` with a key made by
 * `tokenSigningKey()` hashes the canonical SignedInfo itself and has the DocumentSigner sign that
 * digest (KeySigner → C_Sign in the token host). Every other call goes to Node's webcrypto.
 * Keys are told apart by object identity (a WeakMap), so concurrent signatures with different
 * tokens cannot mix.
 */
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import * as xmldom from '@xmldom/xmldom';
import { setNodeDependencies } from 'xml-core';
import { Application } from 'xmldsigjs';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import type { DocumentSigner } from '../../document-signer';
import { ecdsaDerToRaw } from './ecdsa';

type TokenSign = (data: Uint8Array, signal?: AbortSignal) => Promise<Uint8Array>;

const tokenKeys = new WeakMap<object, TokenSign>();

const WEBCRYPTO_HASH: Record<HashAlg, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

let ready = false;

export function ensureXmlRuntime(): void {
  if (ready) return;
  setNodeDependencies({ DOMParser: xmldom.DOMParser, XMLSerializer: xmldom.XMLSerializer, DOMImplementation: xmldom.DOMImplementation });
  const subtle = webcrypto.subtle;
  const tokenSubtle = new Proxy(subtle, {
    get(target, prop) {
      if (prop === 'sign') {
        return (algorithm: unknown, key: webcrypto.CryptoKey, data: ArrayBuffer | ArrayBufferView) => {
          const sign = tokenKeys.get(key);
          if (!sign) return target.sign(algorithm as webcrypto.AlgorithmIdentifier, key, data);
          const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
          return sign(bytes).then((s) => s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength));
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const engine = {
    subtle: tokenSubtle,
    getRandomValues: <T extends ArrayBufferView | null>(a: T): T => webcrypto.getRandomValues(a as never) as T,
    randomUUID: () => webcrypto.randomUUID(),
  };
  Application.setEngine('signet', engine as never);
  ready = true;
}

/**
 * A CryptoKey standing for the token's private key: the certificate's public key with the
 * algorithm the signature will use (xmldsigjs picks SignatureMethod from key.algorithm), whose
 * `sign` goes to the DocumentSigner. What the token returns is checked against the certificate
 * before the library uses it, and ECDSA's DER Ecdsa-Sig-Value becomes r‖s (RFC 4050 §3.3 / RFC
 * 6931 §2.3.6: XML-DSig's ECDSA SignatureValue is the concatenation).
 */
export async function tokenSigningKey(signer: DocumentSigner, hash: HashAlg, signal?: AbortSignal): Promise<{ key: webcrypto.CryptoKey; algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.RsaPssParams }> {
  ensureXmlRuntime();
  const cert = new X509Certificate(signer.certificate);
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const h = WEBCRYPTO_HASH[hash];
  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  if (signer.scheme === 'ecdsa') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[cert.publicKey.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve) throw new SignetError('MECHANISM_UNSUPPORTED', 'This elliptic curve cannot be used for XAdES signatures');
    algorithm = { name: 'ECDSA', namedCurve: curve };
  } else {
    algorithm = { name: signer.scheme === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: h };
  }
  const key = await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
  const fieldBytes = signer.scheme === 'ecdsa' ? Math.ceil(({ 'P-256': 256, 'P-384': 384, 'P-521': 521 } as Record<string, number>)[(algorithm as webcrypto.EcKeyImportParams).namedCurve]! / 8) : 0;
  tokenKeys.set(key, async (data) => {
    const digest = createHash(hash).update(data).digest();
    const sig = await signer.sign(digest, hash, signal);
    return signer.scheme === 'ecdsa' ? ecdsaDerToRaw(sig, fieldBytes) : sig;
  });
  // The algorithm given to Sign(): ECDSA needs the hash there; PSS its salt length (= hash length).
  const signAlg =
    signer.scheme === 'ecdsa'
      ? ({ name: 'ECDSA', hash: h } as unknown as webcrypto.EcKeyImportParams)
      : signer.scheme === 'pss'
        ? ({ name: 'RSA-PSS', hash: h, saltLength: createHash(hash).digest().length } as webcrypto.RsaPssParams)
        : ({ name: 'RSASSA-PKCS1-v1_5', hash: h } as webcrypto.RsaHashedImportParams);
  return { key, algorithm: signAlg };
}
