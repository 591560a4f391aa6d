/**
 * SDK errors: the server's design codes plus the two only a browser can see (Signet not
 * reachable; the origin refused without an answer the page may read). Every error carries a
 * message a site can show as is, and `action` saying what the user can do.
 */
import type { ApiErrorBody } from '../electron/web-api/protocol';

export type ServerErrorCode = ApiErrorBody['error']['code'];
export type SignetErrorCode = ServerErrorCode | 'APP_NOT_RUNNING';

export const DEFAULT_DOWNLOAD_URL = 'https://github.com/signet-app/signet/releases';

export interface SignetErrorInit {
  retriable?: boolean;
  details?: Record<string, string | number | boolean>;
  httpStatus?: number;
  downloadUrl?: string;
  cause?: unknown;
}

export class SignetError extends Error {
  readonly code: SignetErrorCode;
  readonly retriable: boolean;
  readonly details?: Record<string, string | number | boolean>;
  readonly httpStatus?: number;
  /** APP_NOT_RUNNING: where to get Signet. */
  readonly downloadUrl?: string;
  /** What the user can do, in one sentence. */
  readonly action: string;

  constructor(code: SignetErrorCode, message: string, init: SignetErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SignetError';
    this.code = code;
    this.retriable = init.retriable ?? RETRIABLE.has(code);
    if (init.details !== undefined) this.details = init.details;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.downloadUrl !== undefined) this.downloadUrl = init.downloadUrl;
    this.action = actionFor(code, init.downloadUrl);
  }
}

const RETRIABLE = new Set<SignetErrorCode>(['APP_NOT_RUNNING', 'TIMEOUT', 'NO_TOKEN', 'TOKEN_REMOVED', 'PIN_INCORRECT', 'USER_CANCELLED', 'MODULE_CRASHED']);

export function actionFor(code: SignetErrorCode, downloadUrl = DEFAULT_DOWNLOAD_URL): string {
  switch (code) {
    case 'APP_NOT_RUNNING':
      return `Start Signet. If it is not installed, download it from ${downloadUrl}.`;
    case 'ORIGIN_NOT_ALLOWED':
      return 'Allow this site in Signet (it asks when the site first calls it), or ask your administrator to add it to the policy.';
    case 'CONSENT_DENIED':
      return 'The request was declined in Signet. Try again and choose Approve if you want to go ahead.';
    case 'USER_CANCELLED':
      return 'The request was cancelled or timed out in Signet. Try again when ready.';
    case 'NO_TOKEN':
    case 'TOKEN_REMOVED':
      return 'Insert your card or token (the one with the certificate you chose) and try again.';
    case 'KEY_NOT_FOUND':
      return 'None of your certificates fits this request. Check that the right card is inserted.';
    case 'PIN_INCORRECT':
      return 'The PIN was wrong. Try again carefully: cards lock after a few wrong attempts.';
    case 'PIN_LOCKED':
      return 'Your PIN is locked. Unblock it with your PUK (card issuer software) or contact your card issuer.';
    case 'PIN_EXPIRED':
      return 'Your PIN has expired. Change it with your card issuer software, then try again.';
    case 'PIN_LEN_RANGE':
      return 'The PIN has the wrong length for this card.';
    case 'KEY_PURPOSE_MISMATCH':
      return 'This certificate cannot be used for this (signing and log-in certificates are kept apart). Choose another one.';
    case 'CERT_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'CERT_UNTRUSTED':
      return 'The certificate cannot be used now. Choose another certificate or renew it.';
    case 'TIMEOUT':
      return 'Signet or the card did not answer in time. Try again.';
    case 'MODULE_LOAD_FAILED':
    case 'MODULE_CRASHED':
    case 'MECHANISM_UNSUPPORTED':
      return 'The card driver failed. Reinsert the card, restart Signet and try again.';
    case 'INVALID_INPUT':
      return 'The site sent a request Signet cannot accept; contact the site.';
    case 'FILE_UNREADABLE':
    case 'INTERNAL':
      return 'Signet hit an internal error. Try again; if it persists, export diagnostics in Signet and report it.';
  }
}
