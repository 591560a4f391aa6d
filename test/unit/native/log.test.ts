import { describe, expect, it } from 'vitest';
import { formatLine, redact } from '../../../native/log';

describe('log redaction', () => {
  it('never prints PINs or raw bytes, keeps token flags', () => {
    const pin = new TextEncoder().encode('482913');
    const line = formatLine('info', 'login', { pin, soPin: '12345678', userPin: 'x', contextLogin: { pin, protectedAuthPath: false }, data: new Uint8Array(32), pinFinalTry: true, token: 'pkcs11:token=A' });
    expect(line).not.toContain('482913');
    expect(line).not.toContain('12345678');
    expect(line).toContain('pin=[redacted]');
    expect(line).toContain('contextLogin.pin=[redacted]');
    expect(line).toContain('data="<32 bytes>"');
    expect(line).toContain('pinFinalTry=true');
    expect(redact({ password: 'hunter2' }).password).toBe('[redacted]');
  });
});
