import { describe, expect, it } from 'vitest';
import { formatPkcs11Uri, objectUri, parsePkcs11Uri, tokenIdentityKey, tokenUri, unpadded, uriMatchesToken } from '../../../native/uri';

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

  it('prints CK_TOKEN_INFO fields as p11-kit does (trailing blanks removed, NUL padding kept) and matches after removing both', () => {
    // tpm2-pkcs11 pads model with NULs (tpm2-software/tpm2-pkcs11#846); label and manufacturer with blanks.
    const raw = { label: 'tpmtok' + ' '.repeat(26), manufacturer: 'IBM' + ' '.repeat(29), model: 'SW   TPM' + '\0'.repeat(8), serial: '0000000000000000' };
    const uri = tokenUri(raw);
    // What GnuTLS p11tool prints for this token (p11-kit format_struct_string).
    expect(uri).toBe('pkcs11:model=SW%20%20%20TPM%00%00%00%00%00%00%00%00;manufacturer=IBM;serial=0000000000000000;token=tpmtok');
    const shown = { label: unpadded(raw.label), manufacturer: unpadded(raw.manufacturer), model: unpadded(raw.model), serial: raw.serial };
    expect(shown.model).toBe('SW   TPM');
    for (const u of [uri, 'pkcs11:model=SW%20%20%20TPM;token=tpmtok', 'pkcs11:model=SW%20%20%20TPM%00;token=tpmtok%20%20']) {
      expect(uriMatchesToken(parsePkcs11Uri(u), shown), u).toBe(true);
    }
    expect(uriMatchesToken(parsePkcs11Uri('pkcs11:model=SW%20TPM;token=tpmtok'), shown)).toBe(false);
    expect(uriMatchesToken(parsePkcs11Uri('pkcs11:model=%20%20SW%20%20%20TPM;token=tpmtok'), shown)).toBe(false);
    // Object URIs take the token part from the token's URI, so they keep p11-kit's form too.
    expect(objectUri(uri, { id: Uint8Array.from([2]), label: 'gen', type: 'cert' })).toBe(`${uri};id=%02;object=gen;type=cert`);
  });

  it('token identity is (manufacturer, model, serial, label) after padding removal', () => {
    const a = { label: 'T', manufacturer: 'M', model: 'X\0\0', serial: '1 ' };
    expect(tokenIdentityKey(a)).toBe(tokenIdentityKey({ label: 'T  ', manufacturer: 'M', model: 'X', serial: '1' }));
    expect(tokenIdentityKey(a)).not.toBe(tokenIdentityKey({ ...a, label: 'U' }));
    expect(tokenIdentityKey(a)).not.toBe(tokenIdentityKey({ ...a, serial: '2' }));
  });
});
