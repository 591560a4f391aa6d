/**
 * pkcs11js, loaded once per host. This folder is the only place that imports it (lint rule).
 * Constants missing from pkcs11js's export list are spelled here with their PKCS#11 v2.40 values.
 */
import * as pkcs11js from 'pkcs11js';
import { SignetError } from '../errors';
import { ckrToError, isSessionGone } from '../ckr';

export { pkcs11js };
export type Handle = Buffer;

/** CK_STATE (PKCS#11 v2.40 §5.6, CK_SESSION_INFO). */
export const CKS = { RO_PUBLIC_SESSION: 0, RO_USER_FUNCTIONS: 1, RW_PUBLIC_SESSION: 2, RW_USER_FUNCTIONS: 3, RW_SO_FUNCTIONS: 4 } as const;

/** A CK_RV from a thrown pkcs11js error, or undefined for other errors. */
export function rvOf(e: unknown): number | undefined {
  if (e instanceof pkcs11js.Pkcs11Error) return e.code;
  return undefined;
}

/** Any error from a PKCS#11 call as a SignetError (CKR mapping in native/ckr.ts). */
export function toSignetError(e: unknown, fn?: string): SignetError {
  if (e instanceof SignetError) return e;
  const rv = rvOf(e);
  if (rv !== undefined) return ckrToError(rv, fn ?? (e as { method?: string }).method);
  return new SignetError('INTERNAL', `PKCS#11 call${fn ? ` ${fn}` : ''} failed: ${e instanceof Error ? e.message : String(e)}`);
}

export function sessionGone(e: unknown): boolean {
  const rv = rvOf(e);
  return rv !== undefined && isSessionGone(rv);
}

/** CK_ULONG handles/IDs arrive as native-endian byte buffers; show slot IDs as decimal strings. */
export function ulongString(h: Handle): string {
  if (h.length === 8) return h.readBigUInt64LE(0).toString();
  if (h.length === 4) return String(h.readUInt32LE(0));
  return h.toString('hex');
}

export function ulongOf(b: Buffer | undefined): number | undefined {
  if (!b || b.length === 0) return undefined;
  if (b.length >= 8) return Number(b.readBigUInt64LE(0));
  if (b.length >= 4) return b.readUInt32LE(0);
  return b[0];
}

let mechanismNames: Map<number, string> | undefined;

/** CKM_* name of a mechanism number (vendor mechanisms as CKM_VENDOR_DEFINED+0x…). */
export function mechanismName(m: number): string {
  if (!mechanismNames) {
    mechanismNames = new Map();
    for (const [k, v] of Object.entries(pkcs11js)) {
      // First name wins for aliases, except the EC/ECDSA key-pair alias: v2.40 prefers CKM_EC_KEY_PAIR_GEN.
      if (k.startsWith('CKM_') && typeof v === 'number' && (!mechanismNames.has(v) || k === 'CKM_EC_KEY_PAIR_GEN')) mechanismNames.set(v, k);
    }
  }
  if (m >= 0x80000000) return `CKM_VENDOR_DEFINED+0x${(m - 0x80000000).toString(16)}`;
  return mechanismNames.get(m) ?? `CKM_0x${m.toString(16)}`;
}

/** Blank-padded, 32-byte UTF-8 label for C_InitToken (PKCS#11 v2.40 §5.6: "must be padded"). */
export function paddedLabel(label: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of label) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > 32) break;
    out += ch;
    bytes += n;
  }
  return out + ' '.repeat(32 - bytes);
}

/** PIN bytes → the string pkcs11js's C_Login wants (it reads a JS string, UTF-8 encoded again). */
export function pinString(pin: Uint8Array | undefined): string {
  if (!pin) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(pin);
  } catch {
    throw new SignetError('PIN_LEN_RANGE', 'The PIN contains bytes that are not text; this module accepts text PINs only.');
  }
}
