/**
 * The demo PKI, made in software with node's WebCrypto and the @peculiar/asn1-x509 types
 * (RFC 5280 §4.1): a throw-away ECDSA P-256 CA, and leaf certificates for public keys that were
 * generated on the demo token. The CA's private key never leaves this process and is dropped
 * after use; re-running `signet demo init` makes a new CA.
 *
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm
 *                              AlgorithmIdentifier, signatureValue BIT STRING }
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_emailProtection,
} from '@peculiar/asn1-x509';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { ECParameters } from '@peculiar/asn1-ecc';
import { ecdsaRawToDer } from '../../../native/mechanisms';
import { ecPointCandidates } from '../../../native/pairing';
import type { GeneratedKeyPair } from '../../../native/protocol';

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  p256: '1.2.840.10045.3.1.7',
  cn: '2.5.4.3',
  o: '2.5.4.10',
  c: '2.5.4.6',
};

export const P256_PARAMS = (): Uint8Array => new Uint8Array(AsnConvert.serialize(new ECParameters({ namedCurve: OID.p256 })));

/** A Name from [type OID, value] pairs, most significant first. UTF8String values (RFC 5280 §4.1.2.6). */
export function makeName(attrs: [string, string][]): Name {
  return new Name(
    attrs.map(
      ([type, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({ type, value: new AttributeValue(type === OID.c ? { printableString: value } : { utf8String: value }) }),
        ]),
    ),
  );
}

/** SubjectPublicKeyInfo for a key pair generated on the token (RFC 3279 §2.3.1, RFC 5480 §2). */
export function spkiOf(k: GeneratedKeyPair): SubjectPublicKeyInfo {
  if (k.keyType === 'RSA') {
    if (!k.modulus || !k.publicExponent) throw new Error('RSA public key without modulus/exponent');
    const rsa = new RSAPublicKey({ modulus: positive(k.modulus), publicExponent: positive(k.publicExponent) });
    return new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: OID.rsaEncryption, parameters: null }),
      subjectPublicKey: AsnConvert.serialize(rsa),
    });
  }
  if (!k.ecPoint || !k.ecParams) throw new Error('EC public key without point/params');
  const candidates = ecPointCandidates(k.ecPoint);
  const point = candidates[candidates.length - 1]!;
  return new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: copy(k.ecParams) }),
    subjectPublicKey: copy(point),
  });
}

const copy = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

function positive(b: Uint8Array): ArrayBuffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const t = b.subarray(i);
  const out = new Uint8Array((t[0]! & 0x80) !== 0 ? t.length + 1 : t.length);
  out.set(t, out.length - t.length);
  return out.buffer;
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
function keyIdOf(spki: SubjectPublicKeyInfo): ArrayBuffer {
  return copy(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest());
}

function randomSerial(): ArrayBuffer {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40; // positive, 16 bytes
  return copy(b);
}

export interface LeafProfile {
  keyUsage: number;
  extKeyUsage: string[];
}

export const SIGNING_PROFILE: LeafProfile = { keyUsage: KeyUsageFlags.nonRepudiation, extKeyUsage: [id_kp_emailProtection] };
export const AUTH_PROFILE: LeafProfile = { keyUsage: KeyUsageFlags.digitalSignature, extKeyUsage: [id_kp_clientAuth] };

export interface DemoCa {
  certificate: Certificate;
  der: Uint8Array;
  keys: webcrypto.CryptoKeyPair;
  keyId: ArrayBuffer;
}

const ext = (extnID: string, critical: boolean, value: unknown): Extension =>
  new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });

async function signTbs(tbs: TBSCertificate, key: webcrypto.CryptoKey): Promise<{ certificate: Certificate; der: Uint8Array }> {
  const tbsDer = AsnConvert.serialize(tbs);
  const raw = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, tbsDer));
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSHA256 }),
    signatureValue: copy(ecdsaRawToDer(raw)),
  });
  return { certificate, der: new Uint8Array(AsnConvert.serialize(certificate)) };
}

export async function makeDemoCa(now = new Date()): Promise<DemoCa> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const spki = AsnConvert.parse(new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey)), SubjectPublicKeyInfo);
  const keyId = keyIdOf(spki);
  const name = makeName([
    [OID.c, 'EE'],
    [OID.o, 'Signet Demo (not for real use)'],
    [OID.cn, 'Signet Demo CA'],
  ]);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: randomSerial(),
    signature: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSHA256 }),
    issuer: name,
    validity: new Validity({ notBefore: new Date(now.getTime() - 3600_000), notAfter: new Date(now.getTime() + 10 * 365 * 86400_000) }),
    subject: name,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions([
      ext(id_ce_basicConstraints, true, new BasicConstraints({ cA: true })),
      ext(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
      ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId)),
    ]),
  });
  const { certificate, der } = await signTbs(tbs, keys.privateKey);
  return { certificate, der, keys, keyId };
}

export async function issueLeaf(ca: DemoCa, subject: Name, spki: SubjectPublicKeyInfo, profile: LeafProfile, now = new Date()): Promise<{ certificate: Certificate; der: Uint8Array }> {
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: randomSerial(),
    signature: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSHA256 }),
    issuer: ca.certificate.tbsCertificate.subject,
    validity: new Validity({ notBefore: new Date(now.getTime() - 3600_000), notAfter: new Date(now.getTime() + 2 * 365 * 86400_000) }),
    subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions([
      ext(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
      ext(id_ce_keyUsage, true, new KeyUsage(profile.keyUsage)),
      ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage(profile.extKeyUsage)),
      ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdOf(spki))),
      ext(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(ca.keyId) })),
    ]),
  });
  return signTbs(tbs, ca.keys.privateKey);
}

export const DEMO_OID = OID;

/** PEM (RFC 7468). */
export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
