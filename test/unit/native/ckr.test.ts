import { describe, expect, it } from 'vitest';
import { ckrName, ckrToError, CKR, isSessionGone } from '../../../native/ckr';
import { exitCodeFor } from '../../../electron/cli/exit-codes';
import { ERROR_CODES } from '../../../native/errors';

describe('CK_RV mapping', () => {
  it.each([
    [0xa0, 'PIN_INCORRECT'],
    [0xa4, 'PIN_LOCKED'],
    [0xa2, 'PIN_LEN_RANGE'],
    [0xa3, 'PIN_EXPIRED'],
    [0x32, 'TOKEN_REMOVED'],
    [0xe0, 'TOKEN_REMOVED'],
    [0xb3, 'TOKEN_REMOVED'],
    [0xe1, 'NO_TOKEN'],
    [0x70, 'MECHANISM_UNSUPPORTED'],
    [0x71, 'MECHANISM_UNSUPPORTED'],
    [0x63, 'MECHANISM_UNSUPPORTED'],
    [0x60, 'KEY_NOT_FOUND'],
    [0x21, 'INVALID_INPUT'],
    [0x50, 'USER_CANCELLED'],
    [0x200, 'USER_CANCELLED'],
    [0x68, 'KEY_PURPOSE_MISMATCH'],
    [0x5, 'INTERNAL'],
    [0x80000123, 'INTERNAL'],
  ])('CK_RV 0x%s → %s (values from pkcs11t.h)', (rv, code) => {
    const e = ckrToError(rv, 'C_Sign');
    expect(e.code).toBe(code);
    expect(e.details?.function).toBe('C_Sign');
    expect(String(e.details?.ckr)).toMatch(/^CKR_/);
  });

  it('names codes and never invents retry counts', () => {
    expect(ckrName(0xa0)).toBe('CKR_PIN_INCORRECT');
    expect(ckrName(0x80000001)).toBe('CKR_VENDOR_DEFINED+0x1');
    const e = ckrToError(CKR.PIN_INCORRECT);
    expect(e.retriesLeft).toBeUndefined();
    expect(e.finalTry).toBeUndefined();
    expect(isSessionGone(CKR.DEVICE_REMOVED)).toBe(true);
    expect(isSessionGone(CKR.PIN_INCORRECT)).toBe(false);
  });

  it('every error code has a CLI exit code from the design table', () => {
    const table: Record<string, number> = { PIN_INCORRECT: 3, PIN_LOCKED: 4, NO_TOKEN: 5, KEY_NOT_FOUND: 5, TOKEN_REMOVED: 5, USER_CANCELLED: 6, MODULE_LOAD_FAILED: 7, MODULE_CRASHED: 7, TIMEOUT: 7, INVALID_INPUT: 2, INTERNAL: 1 };
    for (const code of ERROR_CODES) {
      const exit = exitCodeFor(code);
      expect(exit, code).toBeGreaterThanOrEqual(1);
      expect(exit, code).toBeLessThanOrEqual(8);
      if (table[code] !== undefined) expect(exit, code).toBe(table[code]);
    }
  });
});
