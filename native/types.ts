/**
 * Data that crosses the token-host protocol and goes up unchanged to core, the CLI (`--json`),
 * IPC and the renderer. Shapes follow the CLI contract in ../shared/design.md exactly; add fields
 * only where a consumer needs them, never rename.
 */

/** Where a module path came from (`signet modules`). */
export type ModuleSource = 'argument' | 'config' | 'policy' | 'p11-kit' | 'well-known' | 'demo';

export interface ModuleSpec {
  path: string;
  source: ModuleSource;
  /**
   * Environment the module reads at C_Initialize (e.g. a config-file variable), applied in the
   * module's host process only. Never a PIN.
   */
  env?: Record<string, string>;
  /**
   * p11-kit's `critical`: a failure to load is worth a warning everywhere (default true: the user
   * named the module). Discovered modules are not critical unless their registry entry says so.
   */
  critical?: boolean;
}

export interface ModuleInfo {
  manufacturer: string;
  description: string;
  cryptokiVersion: string;
  libraryVersion: string;
}

/** `signet modules --json` item. */
export interface ModuleStatus {
  path: string;
  source: ModuleSource;
  loaded: boolean;
  error?: { code: string; message: string };
  info?: ModuleInfo;
  /** Whether a load failure is reported beyond `signet modules` (p11-kit's `critical`). */
  critical: boolean;
  /** The module fronts other modules (p11-kit-proxy, p11-kit-client, pkcs11-spy). */
  proxy: boolean;
  /**
   * Tokens this module also reaches but Signet uses through another module (a proxy's tokens
   * that a directly loaded module holds too): token URI and the module used instead.
   */
  shadowed?: { token: string; usedThrough: string }[];
}

/** From CK_TOKEN_INFO.flags (PKCS#11 v2.40 §3.2). */
export interface TokenFlags {
  loginRequired: boolean;
  protectedAuthPath: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
  pinToBeChanged: boolean;
  tokenInitialized: boolean;
}

/** `signet tokens --json` item. */
export interface TokenInfo {
  /** RFC 7512 URI naming the token (token, manufacturer, serial, model). */
  uri: string;
  /** Module path (real path). */
  module: string;
  slotId: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  flags: TokenFlags;
  minPinLength: number;
  maxPinLength: number;
  /** CKM_* names the token advertises, e.g. "CKM_RSA_PKCS", "CKM_ECDSA". */
  mechanisms: string[];
}

export type KeyType = 'RSA' | 'EC';
export type HashAlg = 'sha256' | 'sha384' | 'sha512';

/** How a digest is signed (design: CLI `sign-hash --scheme`). */
export type SignScheme =
  | { kind: 'pkcs1'; hash: HashAlg }
  | { kind: 'pss'; hash: HashAlg }
  | { kind: 'ecdsa'; hash: HashAlg; format: 'der' | 'raw' };

/** A certificate object on a token, as the host sees it (before core parses it). */
export interface TokenCertificate {
  /** RFC 7512 URI of the certificate object. */
  uri: string;
  /** RFC 7512 URI of the matching private key (CKA_ID, else public-key match). */
  keyUri?: string;
  /** True when the private key object was seen; false when only offered by CKA_ID because the token hides keys until login. */
  keyConfirmed: boolean;
  /** Token URI. */
  token: string;
  label: string;
  /** CKA_ID, hex. */
  id: string;
  /**
   * CKA_ALWAYS_AUTHENTICATE of the private key; null = unknown until login (the key is offered by
   * CKA_ID but the token hides private keys before C_Login, e.g. a PIV card's 9c key). False when
   * there is no private key.
   */
  alwaysAuthenticate: boolean | null;
  /** DER. */
  certificate: Uint8Array;
}

/** Slot events pushed by the host (insert / remove, within 0.5 s). */
export interface SlotEvent {
  module: string;
  slotId: string;
  kind: 'inserted' | 'removed' | 'changed';
  token?: TokenInfo;
}
