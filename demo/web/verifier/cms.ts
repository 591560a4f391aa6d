/**
 * Detached CMS SignedData verification (RFC 5652 §5.4, §5.6; CAdES-B as ETSI EN 319 122-1 uses
 * it): find the signer's certificate, check the messageDigest signed attribute against the
 * content, verify the signature over the DER SET OF signed attributes with the signer's public
 * key, then check the certificate path to a trust anchor.
 *
 *   SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT SET OF
 *                             Attribute OPTIONAL, signatureAlgorithm, signature, unsignedAttrs }
 *
 * "The signature is computed over the DER encoding of the signedAttrs with an EXPLICIT SET OF
 * tag" (§5.4): the [0] IMPLICIT tag is replaced by 0x31 before verifying.
 */
import { createHash, verify as cryptoVerify, constants, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData, type Attribute, id_messageDigest, id_signedData } from '@peculiar/asn1-cms';
import { Certificate } from '@peculiar/asn1-x509';
import { RsaSaPssParams, id_RSASSA_PSS } from '@peculiar/asn1-rsa';
import { verifyChain, type ChainResult } from './chain';

export interface SignatureVerdict {
  /** Integrity and chain both fine. */
  valid: boolean;
  integrity: boolean;
  chain: ChainResult;
  signer?: { subject: string; issuer: string; serialNumber: string; certificate: X509Certificate };
  errors: string[];
}

const HASH_BY_OID: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** signatureAlgorithm OIDs → how node:crypto verifies them. */
const SIG_BY_OID: Record<string, { hash?: string; kind: 'rsa' | 'ecdsa' }> = {
  '1.2.840.113549.1.1.1': { kind: 'rsa' }, // rsaEncryption: hash = digestAlgorithm
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
};

function failed(errors: string[], chain?: ChainResult): SignatureVerdict {
  return { valid: false, integrity: false, chain: chain ?? { trusted: false, path: [], errors: [] }, errors };
}

/** Verifies a detached CMS signature (DER) over `content` (or over the byte ranges of a PDF). */
export function verifyDetachedCms(cmsDer: Uint8Array, content: Uint8Array | readonly Uint8Array[], anchors: readonly X509Certificate[], at?: Date): SignatureVerdict {
  let sd: SignedData;
  try {
    const ci = AsnConvert.parse(cmsDer, ContentInfo);
    if (ci.contentType !== id_signedData) return failed(['not a CMS SignedData']);
    sd = AsnConvert.parse(ci.content, SignedData);
  } catch (e) {
    return failed([`unreadable CMS: ${(e as Error).message}`]);
  }
  const si = sd.signerInfos[0];
  if (si === undefined || sd.signerInfos.length !== 1) return failed(['expected exactly one signer']);
  if (sd.encapContentInfo.eContent !== undefined) return failed(['not a detached signature']);

  const certs = (sd.certificates ?? []).flatMap((c) => (c.certificate ? [new X509Certificate(Buffer.from(AsnConvert.serialize(c.certificate)))] : []));
  const signerCert = certs.find((c) => {
    const parsed = AsnConvert.parse(c.raw, Certificate);
    if (si.sid.issuerAndSerialNumber) {
      return (
        Buffer.from(parsed.tbsCertificate.serialNumber).equals(Buffer.from(si.sid.issuerAndSerialNumber.serialNumber)) &&
        Buffer.from(AsnConvert.serialize(parsed.tbsCertificate.issuer)).equals(Buffer.from(AsnConvert.serialize(si.sid.issuerAndSerialNumber.issuer)))
      );
    }
    const ski = parsed.tbsCertificate.extensions?.find((x) => x.extnID === '2.5.29.14');
    return ski !== undefined && si.sid.subjectKeyIdentifier !== undefined && Buffer.from(AsnConvert.parse(ski.extnValue.buffer, OctetString).buffer).equals(Buffer.from(si.sid.subjectKeyIdentifier.buffer));
  });
  if (signerCert === undefined) return failed(['the signer certificate is not in the signature']);

  const errors: string[] = [];
  const hash = HASH_BY_OID[si.digestAlgorithm.algorithm];
  if (hash === undefined) return failed([`unsupported digest algorithm ${si.digestAlgorithm.algorithm}`]);
  const h = createHash(hash);
  for (const part of Array.isArray(content) ? content : [content as Uint8Array]) h.update(part);
  const contentDigest = h.digest();

  let signedBytes: Buffer;
  if (si.signedAttrs !== undefined && si.signedAttrs.length > 0) {
    const md = si.signedAttrs.find((a: Attribute) => a.attrType === id_messageDigest);
    const mdValue = md?.attrValues[0] ? Buffer.from(AsnConvert.parse(md.attrValues[0], OctetString).buffer) : undefined;
    if (mdValue === undefined || !mdValue.equals(contentDigest)) errors.push('the content does not match the signed digest (document changed)');
    // §5.4: DER of the attributes as SET OF (tag 0x31), not the [0] IMPLICIT encoding.
    signedBytes = Buffer.from(serializeSignedAttrsAsSet(si.signedAttrs));
  } else {
    signedBytes = Buffer.concat((Array.isArray(content) ? content : [content as Uint8Array]).map((c) => Buffer.from(c)));
  }

  const sigAlg = si.signatureAlgorithm.algorithm;
  const signature = Buffer.from(si.signature.buffer);
  let ok = false;
  try {
    const key: KeyObject = signerCert.publicKey;
    if (sigAlg === id_RSASSA_PSS) {
      const params = si.signatureAlgorithm.parameters ? AsnConvert.parse(si.signatureAlgorithm.parameters, RsaSaPssParams) : new RsaSaPssParams();
      const pssHash = HASH_BY_OID[params.hashAlgorithm.algorithm] ?? 'sha1';
      ok = cryptoVerify(pssHash, signedBytes, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    } else {
      const alg = SIG_BY_OID[sigAlg];
      if (alg === undefined) throw new Error(`unsupported signature algorithm ${sigAlg}`);
      ok = cryptoVerify(alg.hash ?? hash, signedBytes, key, signature);
    }
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (!ok) errors.push('the signature does not verify with the signer certificate');
  const integrity = ok && errors.length === 0;
  const chain = verifyChain(signerCert, certs, anchors, at);
  errors.push(...chain.errors);
  return {
    valid: integrity && chain.trusted,
    integrity,
    chain,
    signer: { subject: signerCert.subject.replace(/\n/g, ', '), issuer: signerCert.issuer.replace(/\n/g, ', '), serialNumber: signerCert.serialNumber, certificate: signerCert },
    errors,
  };
}

/** The signed attributes as a DER SET OF, in the order they were encoded (already DER-sorted by the signer). */
function serializeSignedAttrsAsSet(attrs: readonly Attribute[]): Uint8Array {
  const parts = attrs.map((a) => Buffer.from(AsnConvert.serialize(a)));
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0x31]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
