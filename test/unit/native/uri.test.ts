import { describe, expect, it } from 'vitest';
import { formatPkcs11Uri, objectUri, parsePkcs11Uri, tokenUri, uriMatchesToken } from '../../../native/uri';

const token = { label: 'My Card #1', manufacturer: 'ACME; Inc.', model: 'PIV II', serial: '00ab' };

describe('RFC 7512 URIs', () => {
  it('parses the RFC 7512 §3.3 examples', () => {
    const u = parsePkcs11Uri('pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91');
    expect(u.token).toBe('The Software PKCS#11 Softtoken');
    expect(u.manufacturer).toBe('Snake Oil, Inc.');
    expect(u.model).toBe('1.0');
    expect(u.object).toBe('my-certificate');
    expect(u.type).toBe('cert');
    expect(Buffer.from(u.id!).toString('hex')).toBe('69953e5cf4bdec91');
    const v = parsePkcs11Uri('pkcs11:object=my-sign-key;type=private?module-name=mypkcs11');
    expect(v).toMatchObject({ object: 'my-sign-key', type: 'private', moduleName: 'mypkcs11' });
    expect(parsePkcs11Uri('pkcs11:token=A;id=%01?module-path=/usr/lib/x.so').modulePath).toBe('/usr/lib/x.so');
    expect(parsePkcs11Uri('pkcs11:')).toEqual({});
  });

  it('formats what it parses (round trip), percent-encoding reserved and non-ASCII characters', () => {
    const uri = objectUri({ ...token, label: 'Käyttäjä;=?' }, { id: Uint8Array.from([0, 0xff, 0x41]), label: 'a b', type: 'private' });
    expect(uri).toContain('token=K%C3%A4ytt%C3%A4j%C3%A4%3B=%3F');
    expect(uri).toContain('id=%00%FF%41');
    const u = parsePkcs11Uri(uri);
    expect(u.token).toBe('Käyttäjä;=?');
    expect(u.object).toBe('a b');
    expect(Array.from(u.id!)).toEqual([0, 0xff, 0x41]);
    expect(formatPkcs11Uri(u)).toBe(uri);
  });

  it('refuses PINs in URIs, unknown attributes, bad encodings and non-URIs', () => {
    for (const bad of [
      'pkcs11:token=A?pin-value=1234',
      'pkcs11:token=A?pin-source=file:/tmp/pin',
      'pkcs11:x-vendor=1',
      'pkcs11:token=A%2',
      'pkcs11:token=A B',
      'pkcs11:token=A;token=B',
      'pkcs11:type=secret',
      'https://example.com',
      'pkcs11:token',
    ]) {
      expect(() => parsePkcs11Uri(bad), bad).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('matches tokens on the attributes present only', () => {
    const t = { ...token, slotId: '3' };
    expect(uriMatchesToken(parsePkcs11Uri(tokenUri(token)), t)).toBe(true);
    expect(uriMatchesToken(parsePkcs11Uri('pkcs11:token=My%20Card%20%231'), t)).toBe(true);
    expect(uriMatchesToken(parsePkcs11Uri('pkcs11:serial=00ab;id=%01'), t)).toBe(true);
    expect(uriMatchesToken(parsePkcs11Uri('pkcs11:token=My%20Card%20%231;serial=00AB'), t)).toBe(false);
    expect(uriMatchesToken(parsePkcs11Uri('pkcs11:slot-id=4'), t)).toBe(false);
  });
});
