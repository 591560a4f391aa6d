import { describe, expect, it } from 'vitest';
import { ERROR_CODES, SignetError, toErrorInfo, isErrorCode } from '../../native/errors';

describe('SignetError', () => {
  it('round-trips through its wire form with PIN facts intact', () => {
    const e = new SignetError('PIN_INCORRECT', 'Wrong PIN', { finalTry: true, retriesLeft: 1 });
    const back = SignetError.fromInfo(JSON.parse(JSON.stringify(e)));
    expect(back.code).toBe('PIN_INCORRECT');
    expect(back.finalTry).toBe(true);
    expect(back.retriesLeft).toBe(1);
    expect(back.retriable).toBe(true);
  });

  it('marks locked PINs as not retriable and hides unknown errors behind INTERNAL', () => {
    expect(new SignetError('PIN_LOCKED', 'locked').retriable).toBe(false);
    const info = toErrorInfo(new TypeError('boom'));
    expect(info.code).toBe('INTERNAL');
    expect(info.message).toContain('boom');
  });

  it('knows exactly the design list of codes', () => {
    expect(ERROR_CODES).toHaveLength(21);
    expect(isErrorCode('CONSENT_DENIED')).toBe(true);
    expect(isErrorCode('CKR_PIN_INCORRECT')).toBe(false);
  });
});
