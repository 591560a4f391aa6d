/**
 * Pair certificates with private keys (design, "PKCS#11 facts"): by CKA_ID first (PKCS#11 v2.40
 * §4.6.3: "The CKA_ID attribute is intended as a means of distinguishing multiple public-key/
 * private-key pairs held by the same subject"), else by the public key (RSA modulus, EC point
 * via the public-key object). Cards that hide private keys until login get the key URI offered by
 * CKA_ID with keyConfirmed=false; the signer confirms it after login.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import type { RawCertificateObject, RawKeyObject, TokenObjects } from './protocol';
import type { TokenCertificate } from './types';
import { bytesOfHex, objectUri } from './uri';

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** CKA_EC_POINT is a DER OCTET STRING around the point (v2.40 §2.3.3); some modules give it bare. */
export function ecPointCandidates(p: Uint8Array): Uint8Array[] {
  const out = [p];
  if (p[0] === 0x04 && p.length > 2) {
    let len = p[1]!;
    let off = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | (p[2 + i] ?? 0);
      off = 2 + n;
    }
    if (off + len === p.length) out.push(p.subarray(off));
  }
  return out;
}

interface CertKey {
  kind: 'RSA' | 'EC' | 'other';
  modulus?: Uint8Array;
  point?: Uint8Array;
}

function certPublicKey(der: Uint8Array): CertKey {
  try {
    const cert = AsnConvert.parse(der, Certificate);
    const spki = cert.tbsCertificate.subjectPublicKeyInfo;
    const alg = spki.algorithm.algorithm;
    const key = new Uint8Array(spki.subjectPublicKey);
    if (alg === '1.2.840.113549.1.1.1' || alg === '1.2.840.113549.1.1.10') {
      const rsa = AsnConvert.parse(key, RSAPublicKey);
      return { kind: 'RSA', modulus: stripZeros(new Uint8Array(rsa.modulus)) };
    }
    if (alg === '1.2.840.10045.2.1') return { kind: 'EC', point: key };
    return { kind: 'other' };
  } catch {
    return { kind: 'other' };
  }
}

/** The private key object matching this certificate, if it is visible. */
function findPrivateKey(cert: RawCertificateObject, keys: RawKeyObject[]): RawKeyObject | undefined {
  const privates = keys.filter((k) => k.class === 'private');
  if (cert.id !== '') {
    const byId = privates.find((k) => k.id === cert.id);
    if (byId) return byId;
  }
  const pub = certPublicKey(cert.value);
  if (pub.kind === 'RSA' && pub.modulus) {
    const m = pub.modulus;
    const direct = privates.find((k) => k.modulus && equalBytes(stripZeros(k.modulus), m));
    if (direct) return direct;
    const viaPublic = keys.find((k) => k.class === 'public' && k.modulus && equalBytes(stripZeros(k.modulus), m));
    if (viaPublic) return privates.find((k) => k.id === viaPublic.id && k.id !== '');
  }
  if (pub.kind === 'EC' && pub.point) {
    const point = pub.point;
    const viaPublic = keys.find((k) => k.class === 'public' && k.ecPoint && ecPointCandidates(k.ecPoint).some((c) => equalBytes(c, point)));
    if (viaPublic) return privates.find((k) => k.id === viaPublic.id && k.id !== '');
  }
  return undefined;
}

export function keyUriFor(objects: Pick<TokenObjects, 'token'>, key: { id: string; label: string }): string {
  return objectUri(objects.token.uri, key.id !== '' ? { id: bytesOfHex(key.id), type: 'private' } : { label: key.label, type: 'private' });
}

export function pairCertificates(objects: TokenObjects): TokenCertificate[] {
  const tUri = objects.token.uri;
  // Private keys may be hidden until C_Login (e.g. OpenSC PIV): then offer the key by CKA_ID.
  const keysMayBeHidden = !objects.loggedIn && objects.token.flags.loginRequired;
  return objects.certificates.map((c): TokenCertificate => {
    const key = findPrivateKey(c, objects.keys);
    const uri = objectUri(objects.token.uri, c.id !== '' ? { id: bytesOfHex(c.id), label: c.label, type: 'cert' } : { label: c.label, type: 'cert' });
    const base = { uri, token: tUri, label: c.label, id: c.id, certificate: c.value };
    if (key) return { ...base, keyUri: keyUriFor(objects, key), keyConfirmed: true, alwaysAuthenticate: key.alwaysAuthenticate };
    if (keysMayBeHidden && c.id !== '') {
      // Hidden key: whether it needs a PIN per signature is only known once it can be read.
      return { ...base, keyUri: keyUriFor(objects, { id: c.id, label: '' }), keyConfirmed: false, alwaysAuthenticate: null };
    }
    return { ...base, keyConfirmed: false, alwaysAuthenticate: false };
  });
}
