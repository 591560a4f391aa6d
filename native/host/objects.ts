/**
 * Object search and attribute reads (PKCS#11 v2.40 §5.7). C_GetAttributeValue fails as a whole
 * when one attribute is missing or sensitive (CKR_ATTRIBUTE_TYPE_INVALID / _SENSITIVE), so
 * optional attributes fall back to one read each.
 */
import { CKR } from '../ckr';
import type { RawKeyObject } from '../protocol';
import { hexOf, parsePkcs11Uri, bytesOfHex } from '../uri';
import { pkcs11js, rvOf, ulongOf, type Handle } from './pkcs11';

export function findObjects(p: pkcs11js.PKCS11, session: Handle, template: pkcs11js.Template, max = 1000): Handle[] {
  p.C_FindObjectsInit(session, template);
  try {
    const out: Handle[] = [];
    for (;;) {
      const batch = p.C_FindObjects(session, 64);
      out.push(...batch);
      if (batch.length < 64 || out.length >= max) return out;
    }
  } finally {
    p.C_FindObjectsFinal(session);
  }
}

/** Attribute values by type; missing/sensitive ones are absent from the map. */
export function readAttributes(p: pkcs11js.PKCS11, session: Handle, object: Handle, types: number[]): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  try {
    for (const a of p.C_GetAttributeValue(session, object, types.map((type) => ({ type })))) out.set(a.type, a.value);
    return out;
  } catch (e) {
    const rv = rvOf(e);
    if (rv !== CKR.ATTRIBUTE_TYPE_INVALID && rv !== CKR.ATTRIBUTE_SENSITIVE) throw e;
  }
  for (const type of types) {
    try {
      const [a] = p.C_GetAttributeValue(session, object, [{ type }]);
      if (a) out.set(a.type, a.value);
    } catch (e) {
      const rv = rvOf(e);
      if (rv !== CKR.ATTRIBUTE_TYPE_INVALID && rv !== CKR.ATTRIBUTE_SENSITIVE) throw e;
    }
  }
  return out;
}

export const bool = (b: Buffer | undefined): boolean => b !== undefined && b.length > 0 && b[0] !== 0;
export const text = (b: Buffer | undefined): string => (b ? b.toString('utf8') : '');
export const bytes = (b: Buffer | undefined): Uint8Array | undefined => (b ? new Uint8Array(b) : undefined);

export function keyTypeOf(b: Buffer | undefined): RawKeyObject['keyType'] {
  const t = ulongOf(b);
  if (t === pkcs11js.CKK_RSA) return 'RSA';
  if (t === pkcs11js.CKK_EC) return 'EC';
  return 'other';
}

/** Read a key object's attributes into the protocol's shape. */
export function readKey(p: pkcs11js.PKCS11, session: Handle, h: Handle, cls: 'private' | 'public'): RawKeyObject {
  const A = pkcs11js;
  const types = cls === 'private' ? [A.CKA_ID, A.CKA_LABEL, A.CKA_KEY_TYPE, A.CKA_MODULUS, A.CKA_EC_PARAMS, A.CKA_ALWAYS_AUTHENTICATE] : [A.CKA_ID, A.CKA_LABEL, A.CKA_KEY_TYPE, A.CKA_MODULUS, A.CKA_EC_PARAMS, A.CKA_EC_POINT];
  const a = readAttributes(p, session, h, types);
  const key: RawKeyObject = {
    class: cls,
    id: a.get(A.CKA_ID) ? hexOf(a.get(A.CKA_ID)!) : '',
    label: text(a.get(A.CKA_LABEL)),
    keyType: keyTypeOf(a.get(A.CKA_KEY_TYPE)),
    alwaysAuthenticate: bool(a.get(A.CKA_ALWAYS_AUTHENTICATE)),
  };
  const modulus = bytes(a.get(A.CKA_MODULUS));
  const ecParams = bytes(a.get(A.CKA_EC_PARAMS));
  const ecPoint = bytes(a.get(A.CKA_EC_POINT));
  if (modulus?.length) key.modulus = modulus;
  if (ecParams?.length) key.ecParams = ecParams;
  if (ecPoint?.length) key.ecPoint = ecPoint;
  return key;
}

/** Search template for the object an RFC 7512 URI names (id / object label), of one class. */
export function templateFor(uri: string, cls: number): pkcs11js.Template {
  const u = parsePkcs11Uri(uri);
  const t: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: cls }];
  if (u.id !== undefined) t.push({ type: pkcs11js.CKA_ID, value: Buffer.from(u.id) });
  if (u.object !== undefined) t.push({ type: pkcs11js.CKA_LABEL, value: u.object });
  return t;
}

export const idBuffer = (idHex: string): Buffer => Buffer.from(bytesOfHex(idHex));
