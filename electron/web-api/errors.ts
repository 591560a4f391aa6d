/**
 * Errors of the web API: the design's codes (native/errors.ts) with an HTTP status, plus a
 * machine-readable `details.reason` for refusals the SDK turns into actionable messages.
 */
import { SignetError, assertNever, toErrorInfo, type ErrorCode, type ErrorInfo } from '../../native/errors';
import type { ApiErrorBody, ApiErrorReason } from './protocol';

/** The HTTP status for an error code. The body's `code` is what clients act on; the status is for
 *  logs and generic HTTP tooling. */
export function httpStatusOf(code: ErrorCode, reason?: ApiErrorReason): number {
  switch (reason) {
    case 'not-found':
      return 404;
    case 'method-not-allowed':
      return 405;
    case 'consent-pending':
      return 409;
    case 'body-too-large':
      return 413;
    case 'unsupported-media-type':
      return 415;
    case 'rate-limited':
      return 429;
    case 'queue-full':
    case 'busy':
      return 503;
    case 'length-required':
      return 411;
    default:
      break;
  }
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'ORIGIN_NOT_ALLOWED':
    case 'CONSENT_DENIED':
      return 403;
    case 'KEY_PURPOSE_MISMATCH':
    case 'MECHANISM_UNSUPPORTED':
    case 'CERT_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'CERT_UNTRUSTED':
      return 422;
    // The user or the card is in a state the page cannot fix by resending: cancelled, PIN trouble,
    // card missing. 409 = "conflict with the current state".
    case 'USER_CANCELLED':
    case 'PIN_INCORRECT':
    case 'PIN_LOCKED':
    case 'PIN_LEN_RANGE':
    case 'PIN_EXPIRED':
    case 'NO_TOKEN':
    case 'TOKEN_REMOVED':
    case 'KEY_NOT_FOUND':
      return 409;
    case 'TIMEOUT':
      return 504;
    case 'MODULE_LOAD_FAILED':
    case 'MODULE_CRASHED':
      return 502;
    case 'FILE_UNREADABLE':
    case 'INTERNAL':
      return 500;
    default:
      return assertNever(code);
  }
}

/** A refusal with its reason in `details.reason`. */
export function refusal(code: ErrorCode, reason: ApiErrorReason, message: string, retriable = false): SignetError {
  return new SignetError(code, message, { retriable, details: { reason } });
}

export function reasonOf(info: ErrorInfo): ApiErrorReason | undefined {
  const r = info.details?.['reason'];
  return typeof r === 'string' ? (r as ApiErrorReason) : undefined;
}

/** The wire body. Internal errors keep their code but not their internals (stack, paths). */
export function errorBody(e: unknown): { status: number; body: ApiErrorBody } {
  const info = toErrorInfo(e);
  const message = e instanceof SignetError ? info.message : 'Internal error in Signet.';
  const body: ApiErrorBody = { error: { code: info.code, message } };
  if (info.retriable !== undefined) body.error.retriable = info.retriable;
  if (info.details !== undefined) body.error.details = info.details;
  return { status: httpStatusOf(info.code, reasonOf(info)), body };
}
