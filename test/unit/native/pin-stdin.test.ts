import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StdinPinPrompt, StdinPinSource } from '../../../electron/cli/pin-prompt';
import type { PinRequest } from '../../../electron/core/pin-prompt';

const request = (extra: Partial<PinRequest> = {}): PinRequest => ({
  token: { uri: 'pkcs11:token=T', label: 'T', manufacturer: 'M', model: 'X', serial: '1', minPinLength: 4, maxPinLength: 8, pinCountLow: false, pinFinalTry: false },
  kind: 'login',
  action: { purpose: 'sign-documents', documents: ['a.pdf'] },
  pinPad: false,
  timeoutMs: 1000,
  ...extra,
});

describe('--pin-stdin', () => {
  it('reads one PIN per line as bytes (CRLF too), then reports missing lines', async () => {
    const input = new PassThrough();
    const prompt = new StdinPinPrompt(new StdinPinSource(input), new PassThrough());
    input.write('1234\r\n56');
    input.end('78\n');
    const signal = new AbortController().signal;
    expect(Buffer.from((await prompt.askPin(request(), signal))!).toString()).toBe('1234');
    expect(Buffer.from((await prompt.askPin(request({ kind: 'signature' }), signal))!).toString()).toBe('5678');
    // No further line: a per-signature PIN reuses the last one given (here the signature line).
    expect(Buffer.from((await prompt.askPin(request({ kind: 'signature' }), signal))!).toString()).toBe('5678');
    // ...but a user login never reads past the input.
    await expect(prompt.askPin(request(), signal)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a per-signature PIN reuses the first line when stdin has no further line (pkcs11-tool --pin), a copy each time', async () => {
    const input = new PassThrough();
    const prompt = new StdinPinPrompt(new StdinPinSource(input), new PassThrough());
    input.end('1234\n');
    const signal = new AbortController().signal;
    const login = (await prompt.askPin(request(), signal))!;
    expect(Buffer.from(login).toString()).toBe('1234');
    login.fill(0); // what the token client does
    const sig1 = (await prompt.askPin(request({ kind: 'signature' }), signal))!;
    expect(Buffer.from(sig1).toString()).toBe('1234');
    sig1.fill(0);
    expect(Buffer.from((await prompt.askPin(request({ kind: 'signature' }), signal))!).toString()).toBe('1234');
    prompt.wipe();
    await expect(prompt.askPin(request({ kind: 'signature' }), signal)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('after a wrong PIN it reports the error instead of reading another line (no silent retry)', async () => {
    const input = new PassThrough();
    input.end('1111\n2222\n');
    const prompt = new StdinPinPrompt(new StdinPinSource(input), new PassThrough());
    await expect(prompt.askPin(request({ previousError: { code: 'PIN_INCORRECT', message: 'wrong', finalTry: true } }), new AbortController().signal)).rejects.toMatchObject({
      code: 'PIN_INCORRECT',
      finalTry: true,
    });
  });
});
