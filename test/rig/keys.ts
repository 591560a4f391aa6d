// Key pairs for the tokens, generated outside the token by `openssl genpkey` and imported (the
// way a CA-issued card is personalised), so the rig knows the exact key material and tests can
// check signatures against it with tools we did not write.
//
// RSA-3072 generation takes most of a second; keys are therefore pooled per process, in memory: the n-th key
// of a given type in a rig is the same across rigs of one test process. Within one rig every key
// is distinct.
import crypto from 'node:crypto';
import { generateKeyPem } from './ca';
import type { RigCurve } from './types';

export interface KeyMaterial {
  keyType: 'RSA' | 'EC';
  bits?: number;
  curve?: RigCurve;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
}

const pool = new Map<string, Promise<KeyMaterial>>();

export function keyKind(keyType: 'RSA' | 'EC', bits?: number, curve?: RigCurve): string {
  return keyType === 'RSA' ? `rsa${bits ?? 2048}` : `ec-${curve ?? 'P-256'}`;
}

/** The `index`-th pooled key of a kind (index counts per rig, from 0). */
export function pooledKey(keyType: 'RSA' | 'EC', index: number, bits?: number, curve?: RigCurve): Promise<KeyMaterial> {
  const kind = keyKind(keyType, bits, curve);
  const id = `${kind}-${index}`;
  let p = pool.get(id);
  if (p === undefined) {
    p = makeKey(keyType, bits ?? 2048, curve ?? 'P-256');
    pool.set(id, p);
    // A failed generation must not poison the pool for the next rig.
    p.catch(() => pool.delete(id));
  }
  return p;
}

async function makeKey(keyType: 'RSA' | 'EC', bits: number, curve: RigCurve): Promise<KeyMaterial> {
  const privateKeyPem = await generateKeyPem(keyType, keyType === 'RSA' ? bits : curve);
  const publicKeyPem = crypto.createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return keyType === 'RSA'
    ? { keyType, bits, privateKeyPem, publicKeyPem }
    : { keyType, curve, privateKeyPem, publicKeyPem };
}

/** DER of the named-curve OID, as CKA_EC_PARAMS wants it (PKCS#11 v2.40 §2.3.3). */
const EC_PARAMS_HEX: Record<RigCurve, string> = {
  'P-256': '06082a8648ce3d030107',
  'P-384': '06052b81040022',
  'P-521': '06052b81040023',
};

/** The attribute values PKCS#11 needs to create the key objects (hex strings). */
export interface KeyComponents {
  rsa?: { modulus: string; publicExponent: string; privateExponent: string; prime1: string; prime2: string; exponent1: string; exponent2: string; coefficient: string };
  ec?: { params: string; point: string; value: string };
}

function b64urlToHex(s: string | undefined): string {
  if (s === undefined) throw new Error('rig: JWK component missing');
  return Buffer.from(s, 'base64url').toString('hex');
}

/** DER length octets. */
function derLength(n: number): string {
  if (n < 0x80) return n.toString(16).padStart(2, '0');
  const hex = n.toString(16).padStart(n > 0xff ? 4 : 2, '0');
  return (0x80 + hex.length / 2).toString(16) + hex;
}

export function keyComponents(k: KeyMaterial): KeyComponents {
  const jwk = crypto.createPrivateKey(k.privateKeyPem).export({ format: 'jwk' });
  if (k.keyType === 'RSA') {
    return {
      rsa: {
        modulus: b64urlToHex(jwk.n),
        publicExponent: b64urlToHex(jwk.e),
        privateExponent: b64urlToHex(jwk.d),
        prime1: b64urlToHex(jwk.p),
        prime2: b64urlToHex(jwk.q),
        exponent1: b64urlToHex(jwk.dp),
        exponent2: b64urlToHex(jwk.dq),
        coefficient: b64urlToHex(jwk.qi),
      },
    };
  }
  const curve = k.curve ?? 'P-256';
  // CKA_EC_POINT is the DER OCTET STRING holding the uncompressed point 04||X||Y (PKCS#11 v2.40
  // §2.3.3; SoftHSM2 and OpenSC read it that way).
  const point = `04${b64urlToHex(jwk.x)}${b64urlToHex(jwk.y)}`;
  return {
    ec: { params: EC_PARAMS_HEX[curve], point: `04${derLength(point.length / 2)}${point}`, value: b64urlToHex(jwk.d) },
  };
}
