/**
 * Exit codes (design.md, "CLI contract"): 0 ok; 2 usage / invalid input; 3 PIN incorrect;
 * 4 PIN locked; 5 no token / key not found / token removed; 6 cancelled; 7 module failure
 * (load, crash, timeout); 8 verification failed; 1 anything else.
 */
import type { ErrorCode } from '../../native/errors';

export const EXIT = {
  OK: 0,
  OTHER: 1,
  USAGE: 2,
  PIN_INCORRECT: 3,
  PIN_LOCKED: 4,
  NO_TOKEN: 5,
  CANCELLED: 6,
  MODULE: 7,
  VERIFICATION_FAILED: 8,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'FILE_UNREADABLE':
      return EXIT.USAGE;
    case 'PIN_INCORRECT':
    case 'PIN_LEN_RANGE':
      return EXIT.PIN_INCORRECT;
    case 'PIN_LOCKED':
      return EXIT.PIN_LOCKED;
    case 'NO_TOKEN':
    case 'KEY_NOT_FOUND':
    case 'TOKEN_REMOVED':
      return EXIT.NO_TOKEN;
    case 'USER_CANCELLED':
    case 'CONSENT_DENIED':
      return EXIT.CANCELLED;
    case 'MODULE_LOAD_FAILED':
    case 'MODULE_CRASHED':
    case 'TIMEOUT':
      return EXIT.MODULE;
    case 'PIN_EXPIRED':
    case 'MECHANISM_UNSUPPORTED':
    case 'KEY_PURPOSE_MISMATCH':
    case 'CERT_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'CERT_UNTRUSTED':
    case 'ORIGIN_NOT_ALLOWED':
    case 'INTERNAL':
      return EXIT.OTHER;
  }
}
