/**
 * ECDSA signature encodings. Tokens (and DocumentSigner) give the DER Ecdsa-Sig-Value
 * (SEQUENCE { r INTEGER, s INTEGER }, RFC 5753 §7.2); XML-DSig's SignatureValue is r‖s, each
 * left-padded to the field size (RFC 4050 §3.3, RFC 6931 §2.3.6). Parsed with @peculiar/asn1-ecc.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECDSASigValue } from '@peculiar/asn1-ecc';
import { SignetError } from '../../../../native/errors';

export function ecdsaDerToRaw(der: Uint8Array, fieldBytes: number): Uint8Array {
  let v: ECDSASigValue;
  try {
    v = AsnConvert.parse(der, ECDSASigValue);
  } catch (e) {
    throw new SignetError('INTERNAL', 'The token returned an ECDSA signature that is not DER', { cause: e });
  }
  const out = new Uint8Array(2 * fieldBytes);
  out.set(unsigned(new Uint8Array(v.r), fieldBytes), 0);
  out.set(unsigned(new Uint8Array(v.s), fieldBytes), fieldBytes);
  return out;
}

/** An INTEGER's big-endian bytes without the sign byte, left-padded to n bytes. */
function unsigned(b: Uint8Array, n: number): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const t = b.subarray(i);
  if (t.length > n) throw new SignetError('INTERNAL', 'ECDSA signature component longer than the curve');
  const out = new Uint8Array(n);
  out.set(t, n - t.length);
  return out;
}
