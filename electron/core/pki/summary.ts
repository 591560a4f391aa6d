/**
 * CertificateSummary (electron/core/types.ts; the `signet certs --json` item) from a token's
 * certificate object. X.509 per RFC 5280 §4.1, parsed with @peculiar/asn1-x509:
 *
 *   TBSCertificate ::= SEQUENCE { version, serialNumber CertificateSerialNumber, signature,
 *       issuer Name, validity Validity, subject Name, subjectPublicKeyInfo, ..., extensions }
 *
 * Names are RFC 4514 strings (last RDN first); the serial is upper-case hex without the DER sign
 * byte, as `openssl x509 -serial` prints it; the fingerprint is SHA-256 of the DER, lower-case hex.
 */
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Name } from '@peculiar/asn1-x509';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { ECParameters } from '@peculiar/asn1-ecc';
import { SignetError } from '../../../native/errors';
import type { KeyType, TokenCertificate } from '../../../native/types';
import type { CertificateSummary } from '../types';
import { certificatePurposes } from './purposes';

const RSA_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.10']);
const EC_OID = '1.2.840.10045.2.1';

/** Named curves (RFC 5480 §2.1.1.1, RFC 5639 §4.1) → [name, field size in bits]. */
export const CURVES: Record<string, [string, number]> = {
  '1.2.840.10045.3.1.7': ['P-256', 256],
  '1.3.132.0.34': ['P-384', 384],
  '1.3.132.0.35': ['P-521', 521],
  '1.3.132.0.10': ['secp256k1', 256],
  '1.3.36.3.3.2.8.1.1.7': ['brainpoolP256r1', 256],
  '1.3.36.3.3.2.8.1.1.11': ['brainpoolP384r1', 384],
  '1.3.36.3.3.2.8.1.1.13': ['brainpoolP512r1', 512],
};

/** RFC 4514 short names (RFC 4519 attribute types). */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

function escapeValue(s: string): string {
  // RFC 4514 §2.4
  return s
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/** RFC 4514 string of a Name (RDNs in reverse order of the encoding, multi-valued with '+'). */
export function rfc4514(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      rdn
        .map((atv) => {
          const value = atv.value.anyValue ? `#${Buffer.from(atv.value.anyValue).toString('hex')}` : escapeValue(atv.value.toString());
          return `${SHORT_NAMES[atv.type] ?? atv.type}=${value}`;
        })
        .join('+'),
    )
    .join(',');
}

/** The subject's (last) common name, if any: what a person recognises in a PIN dialog. */
export function commonName(cert: Certificate): string | undefined {
  let cn: string | undefined;
  for (const rdn of cert.tbsCertificate.subject) for (const atv of rdn) if (atv.type === '2.5.4.3') cn = atv.value.toString();
  return cn;
}

/** Serial number as `openssl x509 -serial` prints it: upper-case hex, no sign byte. */
export function serialHex(serial: ArrayBuffer): string {
  let b = new Uint8Array(serial);
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return Buffer.from(b).toString('hex').toUpperCase();
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

export interface PublicKeyFacts {
  keyType: KeyType;
  keySize?: number;
  curve?: string;
}

/** Key type, RSA modulus size / EC field size and curve name of a certificate's public key. */
export function publicKeyFacts(cert: Certificate): PublicKeyFacts {
  const spki = cert.tbsCertificate.subjectPublicKeyInfo;
  const alg = spki.algorithm.algorithm;
  if (RSA_OIDS.has(alg)) {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    return { keyType: 'RSA', keySize: bitLength(new Uint8Array(rsa.modulus)) };
  }
  if (alg === EC_OID) {
    const params = spki.algorithm.parameters;
    // ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, ... } (RFC 5480 §2.1.1)
    const oid = params ? AsnConvert.parse(params, ECParameters).namedCurve : undefined;
    const curve = oid ? CURVES[oid] : undefined;
    return curve ? { keyType: 'EC', keySize: curve[1], curve: curve[0] } : { keyType: 'EC' };
  }
  throw new SignetError('MECHANISM_UNSUPPORTED', `Signet signs with RSA and EC keys; this certificate has a ${alg} key.`, { details: { algorithm: alg } });
}

export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return AsnConvert.parse(der, Certificate);
  } catch (e) {
    throw new SignetError('INVALID_INPUT', 'The certificate cannot be parsed (not DER X.509).', { cause: e });
  }
}

/** The summary of one certificate found on a token. */
export function summarizeCertificate(tc: TokenCertificate): CertificateSummary {
  const cert = parseCertificate(tc.certificate);
  const tbs = cert.tbsCertificate;
  const key = publicKeyFacts(cert);
  const s: CertificateSummary = {
    uri: tc.uri,
    token: tc.token,
    label: tc.label,
    id: tc.id,
    subject: rfc4514(tbs.subject),
    issuer: rfc4514(tbs.issuer),
    serialNumber: serialHex(tbs.serialNumber),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    keyType: key.keyType,
    purposes: certificatePurposes(cert),
    alwaysAuthenticate: tc.alwaysAuthenticate,
    fingerprintSha256: createHash('sha256').update(tc.certificate).digest('hex'),
    certificate: Buffer.from(tc.certificate).toString('base64'),
  };
  if (tc.keyUri !== undefined) s.keyUri = tc.keyUri;
  if (key.keySize !== undefined) s.keySize = key.keySize;
  if (key.curve !== undefined) s.curve = key.curve;
  return s;
}
