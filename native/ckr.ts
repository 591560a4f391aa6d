/**
 * CK_RV → Signet error codes, in one place (PKCS#11 v2.40 §5.1 / pkcs11t.h; v3.0 additions
 * marked). The numeric values are the standard's, so this file needs no pkcs11js import and is
 * shared by the host (which sees CK_RVs) and tests.
 *
 * PIN_INCORRECT carries finalTry / retriesLeft only from CK_TOKEN_INFO read *after* the failure
 * (host/commands/login.ts adds them): PKCS#11 itself never gives a count.
 */
import { SignetError, type ErrorCode } from './errors';

export const CKR = {
  OK: 0x0,
  CANCEL: 0x1,
  HOST_MEMORY: 0x2,
  SLOT_ID_INVALID: 0x3,
  GENERAL_ERROR: 0x5,
  FUNCTION_FAILED: 0x6,
  ARGUMENTS_BAD: 0x7,
  NO_EVENT: 0x8,
  NEED_TO_CREATE_THREADS: 0x9,
  CANT_LOCK: 0xa,
  ATTRIBUTE_READ_ONLY: 0x10,
  ATTRIBUTE_SENSITIVE: 0x11,
  ATTRIBUTE_TYPE_INVALID: 0x12,
  ATTRIBUTE_VALUE_INVALID: 0x13,
  ACTION_PROHIBITED: 0x1b,
  DATA_INVALID: 0x20,
  DATA_LEN_RANGE: 0x21,
  DEVICE_ERROR: 0x30,
  DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32,
  ENCRYPTED_DATA_INVALID: 0x40,
  ENCRYPTED_DATA_LEN_RANGE: 0x41,
  FUNCTION_CANCELED: 0x50,
  FUNCTION_NOT_PARALLEL: 0x51,
  FUNCTION_NOT_SUPPORTED: 0x54,
  KEY_HANDLE_INVALID: 0x60,
  KEY_SIZE_RANGE: 0x62,
  KEY_TYPE_INCONSISTENT: 0x63,
  KEY_NOT_NEEDED: 0x64,
  KEY_CHANGED: 0x65,
  KEY_NEEDED: 0x66,
  KEY_INDIGESTIBLE: 0x67,
  KEY_FUNCTION_NOT_PERMITTED: 0x68,
  KEY_NOT_WRAPPABLE: 0x69,
  KEY_UNEXTRACTABLE: 0x6a,
  MECHANISM_INVALID: 0x70,
  MECHANISM_PARAM_INVALID: 0x71,
  OBJECT_HANDLE_INVALID: 0x82,
  OPERATION_ACTIVE: 0x90,
  OPERATION_NOT_INITIALIZED: 0x91,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_COUNT: 0xb1,
  SESSION_HANDLE_INVALID: 0xb3,
  SESSION_PARALLEL_NOT_SUPPORTED: 0xb4,
  SESSION_READ_ONLY: 0xb5,
  SESSION_EXISTS: 0xb6,
  SESSION_READ_ONLY_EXISTS: 0xb7,
  SESSION_READ_WRITE_SO_EXISTS: 0xb8,
  SIGNATURE_INVALID: 0xc0,
  SIGNATURE_LEN_RANGE: 0xc1,
  TEMPLATE_INCOMPLETE: 0xd0,
  TEMPLATE_INCONSISTENT: 0xd1,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  TOKEN_WRITE_PROTECTED: 0xe2,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  USER_PIN_NOT_INITIALIZED: 0x102,
  USER_TYPE_INVALID: 0x103,
  USER_ANOTHER_ALREADY_LOGGED_IN: 0x104,
  USER_TOO_MANY_TYPES: 0x105,
  RANDOM_NO_RNG: 0x121,
  DOMAIN_PARAMS_INVALID: 0x130,
  CURVE_NOT_SUPPORTED: 0x140,
  BUFFER_TOO_SMALL: 0x150,
  SAVED_STATE_INVALID: 0x160,
  INFORMATION_SENSITIVE: 0x170,
  STATE_UNSAVEABLE: 0x180,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
  MUTEX_BAD: 0x1a0,
  MUTEX_NOT_LOCKED: 0x1a1,
  /** v3.0 */
  LIBRARY_LOAD_FAILED: 0x1b7,
  /** v3.0 */
  PIN_TOO_WEAK: 0x1b8,
  FUNCTION_REJECTED: 0x200,
} as const;

const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(CKR).map(([k, v]) => [v, `CKR_${k}`]));

export function ckrName(rv: number): string {
  if (rv >= 0x80000000) return `CKR_VENDOR_DEFINED+0x${(rv - 0x80000000).toString(16)}`;
  return NAMES.get(rv) ?? `CKR_0x${rv.toString(16)}`;
}

interface Mapping {
  code: ErrorCode;
  message: string;
}

const MAP: ReadonlyMap<number, Mapping> = new Map<number, Mapping>([
  [CKR.CANCEL, { code: 'USER_CANCELLED', message: 'The operation was cancelled.' }],
  [CKR.FUNCTION_CANCELED, { code: 'USER_CANCELLED', message: 'The operation was cancelled on the token.' }],
  [CKR.FUNCTION_REJECTED, { code: 'USER_CANCELLED', message: 'The token or reader refused the operation (rejected by the user?).' }],
  [CKR.SLOT_ID_INVALID, { code: 'NO_TOKEN', message: 'The slot no longer exists (reader unplugged?).' }],
  [CKR.TOKEN_NOT_RECOGNIZED, { code: 'NO_TOKEN', message: 'The token in this slot is not recognised (not initialised?).' }],
  [CKR.TOKEN_NOT_PRESENT, { code: 'TOKEN_REMOVED', message: 'The token is not present (card removed?).' }],
  [CKR.DEVICE_REMOVED, { code: 'TOKEN_REMOVED', message: 'The token was removed during the operation.' }],
  [CKR.SESSION_HANDLE_INVALID, { code: 'TOKEN_REMOVED', message: 'The session with the token ended (card removed or reset?).' }],
  [CKR.SESSION_CLOSED, { code: 'TOKEN_REMOVED', message: 'The session with the token was closed (card removed or reset?).' }],
  [CKR.KEY_HANDLE_INVALID, { code: 'KEY_NOT_FOUND', message: 'The key is no longer on the token.' }],
  [CKR.OBJECT_HANDLE_INVALID, { code: 'KEY_NOT_FOUND', message: 'The object is no longer on the token.' }],
  [CKR.PIN_INCORRECT, { code: 'PIN_INCORRECT', message: 'The PIN is incorrect.' }],
  [CKR.PIN_INVALID, { code: 'PIN_LEN_RANGE', message: 'The token does not accept a PIN of this form (length or characters).' }],
  [CKR.PIN_LEN_RANGE, { code: 'PIN_LEN_RANGE', message: 'The PIN is too short or too long for this token.' }],
  [CKR.PIN_TOO_WEAK, { code: 'PIN_LEN_RANGE', message: 'The token refuses this PIN as too weak.' }],
  [CKR.PIN_EXPIRED, { code: 'PIN_EXPIRED', message: 'The PIN has expired and must be changed before use.' }],
  [CKR.PIN_LOCKED, { code: 'PIN_LOCKED', message: 'The token refuses the PIN (locked after too many wrong attempts).' }],
  [CKR.USER_PIN_NOT_INITIALIZED, { code: 'PIN_EXPIRED', message: 'The token has no user PIN yet; set one first.' }],
  [CKR.MECHANISM_INVALID, { code: 'MECHANISM_UNSUPPORTED', message: 'The token does not support this signature mechanism.' }],
  [CKR.MECHANISM_PARAM_INVALID, { code: 'MECHANISM_UNSUPPORTED', message: 'The token does not support these mechanism parameters.' }],
  [CKR.KEY_TYPE_INCONSISTENT, { code: 'MECHANISM_UNSUPPORTED', message: 'The mechanism does not fit this key type.' }],
  [CKR.KEY_SIZE_RANGE, { code: 'MECHANISM_UNSUPPORTED', message: 'The token does not support this key size for the mechanism.' }],
  [CKR.CURVE_NOT_SUPPORTED, { code: 'MECHANISM_UNSUPPORTED', message: 'The token does not support this elliptic curve.' }],
  [CKR.KEY_FUNCTION_NOT_PERMITTED, { code: 'KEY_PURPOSE_MISMATCH', message: 'The token does not allow this key to sign (CKA_SIGN is false).' }],
  [CKR.DATA_LEN_RANGE, { code: 'INVALID_INPUT', message: 'The data to sign has the wrong length for this key and mechanism.' }],
  [CKR.DATA_INVALID, { code: 'INVALID_INPUT', message: 'The token refused the data to sign.' }],
  [CKR.LIBRARY_LOAD_FAILED, { code: 'MODULE_LOAD_FAILED', message: 'The PKCS#11 module could not load a library it needs.' }],
  [CKR.USER_NOT_LOGGED_IN, { code: 'INTERNAL', message: 'The token needs a login first.' }],
]);

/** The Signet error for a CK_RV a module returned from `fn` (e.g. "C_Sign"). */
export function ckrToError(rv: number, fn?: string): SignetError {
  const m = MAP.get(rv);
  const name = ckrName(rv);
  const details: Record<string, string | number | boolean> = { ckr: name };
  if (fn) details.function = fn;
  if (m) return new SignetError(m.code, m.message, { details });
  return new SignetError('INTERNAL', `The PKCS#11 module failed${fn ? ` in ${fn}` : ''} with ${name}.`, { details, retriable: false });
}

/** CK_RVs after which the session handle is dead and a new session must be opened. */
export function isSessionGone(rv: number): boolean {
  return (
    rv === CKR.DEVICE_REMOVED ||
    rv === CKR.SESSION_HANDLE_INVALID ||
    rv === CKR.SESSION_CLOSED ||
    rv === CKR.TOKEN_NOT_PRESENT ||
    rv === CKR.TOKEN_NOT_RECOGNIZED ||
    rv === CKR.DEVICE_ERROR
  );
}
