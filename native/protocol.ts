/**
 * The token-host protocol: every method the host answers, with its request and response types,
 * declared once and imported by both sides (native/host and native/client). No other file
 * spells a method name as a string.
 *
 * One host process serves exactly one PKCS#11 module (design: a crashing or hanging vendor
 * module only takes down its own host). The first request on a fresh host is always
 * `module.init`, which applies the module's environment and loads it.
 *
 * Byte strings are Uint8Array: they cross Node's 'advanced' IPC serialization and Electron's
 * structured clone unchanged. PINs appear only in `token.login` / `token.setPin` / `key.sign` (and admin) requests, as
 * Uint8Array, and are wiped on both sides right after use (see client.ts, host/commands/login.ts).
 */
import type { ErrorInfo, Result } from './errors';
import type { HashAlg, KeyType, ModuleInfo, SlotEvent, TokenInfo } from './types';

/** 2: requests on one token queue in the host; the client can `cancel` a queued request. */
export const PROTOCOL_VERSION = 2;

// ---------------------------------------------------------------------------------------------
// Objects on a token, as the host reads them. The client pairs certificates with keys
// (native/pairing.ts) so the host bundle stays free of ASN.1 code.

export interface RawCertificateObject {
  /** CKA_ID, hex (lower case). */
  id: string;
  /** CKA_LABEL. */
  label: string;
  /** CKA_VALUE: the DER certificate. */
  value: Uint8Array;
}

export interface RawKeyObject {
  class: 'private' | 'public';
  id: string;
  label: string;
  /** CKA_KEY_TYPE; 'other' for types Signet does not sign with (DSA, GOST, EdDSA, ...). */
  keyType: KeyType | 'other';
  /** RSA: CKA_MODULUS (big-endian, as the token gives it). Private keys may not expose it. */
  modulus?: Uint8Array;
  /** EC: CKA_EC_PARAMS (DER, usually a namedCurve OID). */
  ecParams?: Uint8Array;
  /** EC public keys: CKA_EC_POINT (DER OCTET STRING around the point, or the bare point). */
  ecPoint?: Uint8Array;
  /** Private keys: CKA_ALWAYS_AUTHENTICATE (false when the token does not say). */
  alwaysAuthenticate: boolean;
}

export interface TokenObjects {
  token: TokenInfo;
  /** The token is in a user-functions state (C_GetSessionInfo: CKS_R*_USER_FUNCTIONS). */
  loggedIn: boolean;
  certificates: RawCertificateObject[];
  /** Private and public keys. Before login many cards hide private keys: pair by CKA_ID. */
  keys: RawKeyObject[];
}

/** Mechanisms Signet signs with (PKCS#11 v2.40 §2.1.6, §2.1.14, §2.3.6). */
export type SignMechanism =
  | { name: 'CKM_RSA_PKCS' }
  | { name: 'CKM_RSA_PKCS_PSS'; hash: HashAlg; saltLength: number }
  | { name: 'CKM_ECDSA' };

/** Credentials for C_Login(CKU_CONTEXT_SPECIFIC) between C_SignInit and C_Sign. */
export interface ContextLogin {
  /** The per-signature PIN; absent on a protected-authentication-path (PIN pad) token. */
  pin?: Uint8Array;
  protectedAuthPath: boolean;
}

export type SignOutcome =
  | { kind: 'signed'; signature: Uint8Array }
  /** The key needs a user login first (or is hidden until login). No PKCS#11 state changed. */
  | { kind: 'login-required' }
  /** CKA_ALWAYS_AUTHENTICATE key and no context credentials were sent. No C_SignInit was made. */
  | { kind: 'context-login-required' };

/** A private key and what signing with it needs to know (`key.describe`). */
export interface KeyDescription {
  /** The key URI as given. */
  uri: string;
  token: TokenInfo;
  loggedIn: boolean;
  /** The private key object was seen (false: only a certificate/public key with its CKA_ID). */
  confirmed: boolean;
  id: string;
  label: string;
  keyType: KeyType | 'other';
  /** RSA modulus (from the key or its public key) or EC params when known. */
  modulus?: Uint8Array;
  ecParams?: Uint8Array;
  alwaysAuthenticate: boolean;
  /** DER of the certificate with the same CKA_ID, when there is one. */
  certificate?: Uint8Array;
  /** The certificate object's URI. */
  certificateUri?: string;
}

export interface GeneratedKeyPair {
  privateKeyUri: string;
  publicKeyUri: string;
  keyType: KeyType;
  /** RSA: modulus and public exponent. EC: CKA_EC_PARAMS and CKA_EC_POINT. */
  modulus?: Uint8Array;
  publicExponent?: Uint8Array;
  ecParams?: Uint8Array;
  ecPoint?: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Methods. `token` / `key` parameters are RFC 7512 URIs (native/uri.ts). `token` is the token's
// own URI (TokenInfo.uri, as the client resolved it); the host finds its slot again each time
// (slot IDs change when readers come and go). `key` contributes only its object attributes.

export interface HostMethods {
  /** Apply the module's environment, load it and C_Initialize it. Always the first request. */
  'module.init': { params: { path: string; env: Record<string, string> }; result: { info: ModuleInfo } };
  /** Every slot with a token, including uninitialised tokens (flags.tokenInitialized false). */
  'tokens.list': { params: Record<string, never>; result: TokenInfo[] };
  /** Token info plus whether the application is logged in to it. */
  'token.status': { params: { token: string }; result: { token: TokenInfo; loggedIn: boolean } };
  /** Certificates and keys on one token (read-only session). */
  'token.objects': { params: { token: string }; result: TokenObjects };
  /**
   * C_Login(CKU_USER). `pin` absent = protected authentication path (PIN pad): the module asks
   * the reader. Already logged in counts as success. The host wipes `pin` after the call.
   */
  'token.login': { params: { token: string; pin?: Uint8Array; protectedAuthPath: boolean }; result: { loggedIn: true } };
  'token.logout': { params: { token: string }; result: { loggedIn: false } };
  /** C_SetPIN on a R/W session: change the user PIN (old and new wiped by the host after the call). */
  'token.setPin': { params: { token: string; oldPin: Uint8Array; newPin: Uint8Array }; result: { changed: true } };
  /** Find the private key a URI names (or, before login, what its certificate says about it). */
  'key.describe': { params: { token: string; key: string }; result: KeyDescription };
  /** C_SignInit [+ C_Login(CKU_CONTEXT_SPECIFIC)] + C_Sign over `data` (already the mechanism's input). */
  'key.sign': {
    params: { token: string; key: string; mechanism: SignMechanism; data: Uint8Array; contextLogin?: ContextLogin };
    result: SignOutcome;
  };
  /** Start (intervalMs > 0) or stop (0) slot-event polling; events arrive as `slot-event` messages. */
  'slots.watch': { params: { intervalMs: number }; result: { watching: boolean } };

  // Administration (used by `signet demo init`; any conformant module works).
  /** C_InitToken on an uninitialised slot (or the given one); returns the new token. */
  'admin.initToken': { params: { slotId?: string; soPin: Uint8Array; label: string }; result: TokenInfo };
  /** SO login + C_InitPIN. */
  'admin.initPin': { params: { token: string; soPin: Uint8Array; userPin: Uint8Array }; result: TokenInfo };
  /** C_GenerateKeyPair on the token (user must be logged in): token objects, sensitive, CKA_SIGN. */
  'admin.generateKeyPair': {
    params: {
      token: string;
      keyType: KeyType;
      /** RSA modulus bits. */
      bits?: number;
      /** EC: DER of the namedCurve OID (CKA_EC_PARAMS). */
      ecParams?: Uint8Array;
      idHex: string;
      label: string;
      alwaysAuthenticate?: boolean;
    };
    result: GeneratedKeyPair;
  };
  /** C_CreateObject of a CKO_CERTIFICATE (CKC_X_509) token object (user must be logged in). */
  'admin.createCertificate': {
    params: { token: string; der: Uint8Array; subject: Uint8Array; issuer: Uint8Array; serialNumber: Uint8Array; idHex: string; label: string };
    result: { uri: string };
  };
}

export type HostMethod = keyof HostMethods;
export type HostParams<M extends HostMethod> = HostMethods[M]['params'];
export type HostResult<M extends HostMethod> = HostMethods[M]['result'];

/** Runtime list of methods, checked against the interface at compile time. */
export const HOST_METHODS = {
  'module.init': true,
  'tokens.list': true,
  'token.status': true,
  'token.objects': true,
  'token.login': true,
  'token.logout': true,
  'token.setPin': true,
  'key.describe': true,
  'key.sign': true,
  'slots.watch': true,
  'admin.initToken': true,
  'admin.initPin': true,
  'admin.generateKeyPair': true,
  'admin.createCertificate': true,
} as const satisfies Record<HostMethod, true>;

export function isHostMethod(value: unknown): value is HostMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(HOST_METHODS, value);
}

// ---------------------------------------------------------------------------------------------
// Messages

export interface HostRequestMessage<M extends HostMethod = HostMethod> {
  kind: 'request';
  id: number;
  method: M;
  params: HostParams<M>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything the host sends. */
export type HostMessage =
  /** Sent once when the host process is up (before any module is loaded). */
  | { kind: 'hello'; protocol: number; pid: number }
  | { kind: 'response'; id: number; result: Result<unknown> }
  | { kind: 'slot-event'; event: SlotEvent }
  /** Host-side log line; fields are already redacted by the host's logger. */
  | { kind: 'log'; level: LogLevel; message: string; fields?: Record<string, string | number | boolean> }
  /**
   * Responses finished in one turn of the host's event loop, posted together: a pipelined batch
   * on a fast token costs one write and one wake-up of the client per group, not per signature.
   */
  | { kind: 'batch'; messages: HostMessage[] };

/**
 * Withdraw a request that is still waiting in its token's queue in the host: it is answered with
 * USER_CANCELLED and never reaches the token. A request already started runs to its end (a
 * PKCS#11 call cannot be interrupted); the cancel is then ignored.
 */
export interface HostCancelMessage {
  kind: 'cancel';
  id: number;
}

export type ClientMessage = HostRequestMessage | HostCancelMessage;

/**
 * The queue a request waits in, in the host: requests naming a token (`params.token`) run one at
 * a time per token, in arrival order (a card does one thing at a time; a login and a signature
 * must not interleave on its session); other requests (module.init, tokens.list, slots.watch,
 * admin.initToken) run at once. Both sides use this: the host to queue, the client to know which
 * of its requests the token is working on now (its timeout runs from then, not from posting).
 */
export function tokenQueueOf(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const token = (params as { token?: unknown }).token;
  return typeof token === 'string' ? token : undefined;
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'hello' || kind === 'response' || kind === 'slot-event' || kind === 'log' || kind === 'batch';
}

export type { ErrorInfo };
