/**
 * Signet's one list of error codes (../shared/design.md, "Error codes"), used by the token host,
 * core, CLI, IPC and the web API. Errors travel as values ({code, message, ...}); nothing parses
 * message strings to find out what went wrong.
 */

export const ERROR_CODES = [
  'MODULE_LOAD_FAILED',
  'MODULE_CRASHED',
  'TIMEOUT',
  'NO_TOKEN',
  'TOKEN_REMOVED',
  'KEY_NOT_FOUND',
  'PIN_INCORRECT',
  'PIN_LOCKED',
  'PIN_LEN_RANGE',
  'PIN_EXPIRED',
  'USER_CANCELLED',
  'MECHANISM_UNSUPPORTED',
  'KEY_PURPOSE_MISMATCH',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'INVALID_INPUT',
  'FILE_UNREADABLE',
  'ORIGIN_NOT_ALLOWED',
  'CONSENT_DENIED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The wire form of an error: what crosses the host protocol, IPC, the web API and `--json`. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** PIN_INCORRECT: the token said this is the last attempt (CKF_USER_PIN_FINAL_TRY). */
  finalTry?: boolean;
  /** PIN_INCORRECT: attempts left, only when the token tells (PKCS#11 itself never gives a number). */
  retriesLeft?: number;
  /** Whether the same request may succeed if the user acts (reinserts the card, retypes the PIN). */
  retriable?: boolean;
  /** Extra machine-readable facts (e.g. the module path, the file name). Never secrets. */
  details?: Record<string, string | number | boolean>;
}

export interface SignetErrorOptions {
  cause?: unknown;
  retriable?: boolean;
  finalTry?: boolean;
  retriesLeft?: number;
  details?: Record<string, string | number | boolean>;
}

/** Codes a user can recover from by acting (card back in, PIN again, try later). */
const RETRIABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TIMEOUT',
  'NO_TOKEN',
  'TOKEN_REMOVED',
  'PIN_INCORRECT',
  'MODULE_CRASHED',
  'USER_CANCELLED',
]);

export class SignetError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly finalTry?: boolean;
  readonly retriesLeft?: number;
  readonly details?: Record<string, string | number | boolean>;

  constructor(code: ErrorCode, message: string, options: SignetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SignetError';
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE_BY_DEFAULT.has(code);
    if (options.finalTry !== undefined) this.finalTry = options.finalTry;
    if (options.retriesLeft !== undefined) this.retriesLeft = options.retriesLeft;
    if (options.details !== undefined) this.details = options.details;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message, retriable: this.retriable };
    if (this.finalTry !== undefined) info.finalTry = this.finalTry;
    if (this.retriesLeft !== undefined) info.retriesLeft = this.retriesLeft;
    if (this.details !== undefined) info.details = this.details;
    return info;
  }

  toJSON(): ErrorInfo {
    return this.toInfo();
  }

  static fromInfo(info: ErrorInfo): SignetError {
    const opts: SignetErrorOptions = {};
    if (info.retriable !== undefined) opts.retriable = info.retriable;
    if (info.finalTry !== undefined) opts.finalTry = info.finalTry;
    if (info.retriesLeft !== undefined) opts.retriesLeft = info.retriesLeft;
    if (info.details !== undefined) opts.details = info.details;
    return new SignetError(info.code, info.message, opts);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function isSignetError(e: unknown): e is SignetError {
  return e instanceof SignetError;
}

/** Any thrown value as a wire error; unknown failures become INTERNAL without leaking internals. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof SignetError) return e.toInfo();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Internal error: ${message}`, retriable: false };
}

/** Results as values across IPC, the host protocol and the web API. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(error: ErrorInfo): Result<T> => ({ ok: false, error });

/** For exhaustive switches over closed unions: `default: return assertNever(x)`. */
export function assertNever(x: never): never {
  throw new SignetError('INTERNAL', `Unexpected value: ${JSON.stringify(x)}`);
}
