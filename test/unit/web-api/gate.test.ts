/** The pure parts of the gate: Origin, Host, DN comparison, rate limiter, HTTP statuses. */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../native/errors';
import { normalizeDn } from '../../../electron/web-api/certificates';
import { httpStatusOf } from '../../../electron/web-api/errors';
import { checkHost } from '../../../electron/web-api/security/host';
import { checkOrigin, originParts } from '../../../electron/web-api/security/origin';
import { RateLimiter } from '../../../electron/web-api/security/rate-limit';

describe('checkOrigin', () => {
  it('accepts serialised https origins', () => {
    expect(checkOrigin(['https://a.example'], { allowHttpLocalhost: false })).toEqual({ ok: true, origin: 'https://a.example' });
    expect(checkOrigin(['https://[::1]:8443'], { allowHttpLocalhost: false })).toEqual({ ok: true, origin: 'https://[::1]:8443' });
  });
  it('http loopback only with the dev setting, never other http', () => {
    for (const o of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(checkOrigin([o], { allowHttpLocalhost: false }).ok).toBe(false);
      expect(checkOrigin([o], { allowHttpLocalhost: true }).ok).toBe(true);
    }
    expect(checkOrigin(['http://localhost.evil.example'], { allowHttpLocalhost: true }).ok).toBe(false);
    expect(checkOrigin(['http://127.0.0.2'], { allowHttpLocalhost: true }).ok).toBe(false);
  });
  it('refuses missing, several, null and non-serialised values', () => {
    expect(checkOrigin(undefined, { allowHttpLocalhost: true })).toMatchObject({ ok: false, reason: 'origin-missing' });
    expect(checkOrigin([], { allowHttpLocalhost: true })).toMatchObject({ ok: false, reason: 'origin-missing' });
    expect(checkOrigin(['https://a.example', 'https://b.example'], { allowHttpLocalhost: true })).toMatchObject({ reason: 'origin-malformed' });
    for (const o of ['null', 'https://a.example/', 'https://user@a.example', 'https://a.example?x', 'https://A.example', 'https://a.example:443', ' https://a.example']) {
      expect(checkOrigin([o], { allowHttpLocalhost: true })).toMatchObject({ ok: false, reason: 'origin-malformed' });
    }
  });
  it('originParts shows IDNs both ways', () => {
    expect(originParts('https://xn--mnchen-3ya.example')).toEqual({ scheme: 'https', host: 'xn--mnchen-3ya.example', unicodeHost: 'münchen.example', port: '443', isIdn: true });
    expect(originParts('http://localhost:8080')).toMatchObject({ port: '8080', isIdn: false });
  });
});

describe('checkHost', () => {
  it('accepts only 127.0.0.1:PORT and localhost:PORT, once', () => {
    expect(checkHost(['127.0.0.1:24811'], 24811)).toBe(true);
    expect(checkHost(['Localhost:24811'], 24811)).toBe(true);
    for (const h of [['127.0.0.1'], ['evil.example:24811'], ['127.0.0.1:24812'], ['[::1]:24811'], ['127.0.0.1:24811', '127.0.0.1:24811']]) {
      expect(checkHost(h, 24811)).toBe(false);
    }
    expect(checkHost(undefined, 24811)).toBe(false);
  });
});

describe('normalizeDn', () => {
  it('matches RFC 4514 strings regardless of order, case and spacing', () => {
    const a = normalizeDn('CN=Fixture CA, O=Signet Fixture, C=EE');
    expect(normalizeDn('c=EE,o=signet  fixture,cn=fixture ca')).toBe(a);
    expect(normalizeDn('C=EE\nO=Signet Fixture\nCN=Fixture CA')).toBe(a);
    expect(normalizeDn('2.5.4.3=Fixture CA,O=Signet Fixture,C=EE')).toBe(a);
    expect(normalizeDn('CN=Fixture CA, O=Other, C=EE')).not.toBe(a);
    expect(normalizeDn('CN=A\\, B,O=X')).toBe(normalizeDn('O=X, CN=A\\2C B'));
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refills over time', () => {
    let now = 0;
    const rl = new RateLimiter({ burst: 2, perSecond: 1, now: () => now });
    expect([rl.take('a'), rl.take('a')]).toEqual([0, 0]);
    expect(rl.take('a')).toBe(1000);
    expect(rl.take('b')).toBe(0);
    now = 1000;
    expect(rl.take('a')).toBe(0);
  });
});

describe('httpStatusOf', () => {
  it('maps every design code to a status', () => {
    for (const c of ERROR_CODES) expect(httpStatusOf(c)).toBeGreaterThanOrEqual(400);
    expect(httpStatusOf('ORIGIN_NOT_ALLOWED')).toBe(403);
    expect(httpStatusOf('INVALID_INPUT', 'rate-limited')).toBe(429);
  });
});
