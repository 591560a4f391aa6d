/**
 * Making one CMS signature with a DocumentSigner (RFC 5652 §5.4–5.5): build the signed
 * attributes, have the key sign the digest of their DER (SET OF), check the signature against
 * the certificate before using it, optionally add a signature time-stamp (RFC 3161 Appendix A,
 * ETSI EN 319 122-1 §5.3: id-aa-signatureTimeStampToken over the signature value), and encode
 * the SignedData. Shared by CAdES (.p7s) and PAdES (inside the PDF).
 */
import { verify as cryptoVerify, constants } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Attribute, id_data } from '@peculiar/asn1-cms';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import type { DocumentSigner } from '../../document-signer';
import { hashBytes, HASH_LENGTH } from '../../hashing';
import type { TimestampInfo } from '../tsp/verify-token';
import { buildSignedAttributes } from './signed-attributes';
import { buildSignerInfo, encodeSignedData } from './signed-data';
import { BoundedCache, bytesKey, certificatePublicKey } from './cert-cache';

/** id-aa-signatureTimeStampToken, RFC 3161 Appendix A: { id-aa 14 }. */
export const id_aa_signatureTimeStampToken = '1.2.840.113549.1.9.16.2.14';

export type TimestampFn = (signatureValue: Uint8Array, hash: HashAlg, signal?: AbortSignal) => Promise<TimestampInfo>;

export interface CmsSignInput {
  signer: DocumentSigner;
  hash: HashAlg;
  /** Digest (with `hash`) of the signed content: the file, or the PDF's byte ranges. */
  contentDigest: Uint8Array;
  /** Chain certificates to include after the signer's, DER. */
  chain: readonly Uint8Array[];
  /** CAdES: claimed signing time as a signed attribute. PAdES: omit (the time goes in /M). */
  signingTime?: Date;
  /** Add a signature time-stamp (CAdES-T / PAdES-T). */
  timestamp?: TimestampFn;
  signal?: AbortSignal;
  onPhase?: (phase: 'signing' | 'timestamping') => void;
}

export interface CmsSignature {
  /** ContentInfo(SignedData) DER. */
  der: Uint8Array;
  signatureValue: Uint8Array;
  timestamp?: TimestampInfo;
}

export async function signCms(input: CmsSignInput): Promise<CmsSignature> {
  const { signer, hash } = input;
  if (input.contentDigest.length !== HASH_LENGTH[hash]) throw new SignetError('INTERNAL', 'Content digest length does not match the hash algorithm');
  const attrs = buildSignedAttributes({
    contentType: id_data,
    messageDigest: input.contentDigest,
    signerCertificate: signer.certificate,
    ...(input.signingTime ? { signingTime: input.signingTime } : {}),
  });
  input.signal?.throwIfAborted();
  input.onPhase?.('signing');
  const signature = await signer.sign(hashBytes(hash, attrs.der), hash, input.signal);
  assertSignatureMatchesCertificate(signer, hash, attrs.der, signature);

  let ts: TimestampInfo | undefined;
  const unsigned: Attribute[] = [];
  if (input.timestamp) {
    input.signal?.throwIfAborted();
    input.onPhase?.('timestamping');
    ts = await input.timestamp(signature, hash, input.signal);
    unsigned.push(new Attribute({ attrType: id_aa_signatureTimeStampToken, attrValues: [toArrayBuffer(ts.token)] }));
  }
  const signerInfo = buildSignerInfo({
    signerCertificate: signer.certificate,
    hash,
    scheme: signer.scheme,
    signedAttributes: attrs.attributes,
    signature,
    unsignedAttributes: unsigned,
  });
  const der = encodeSignedData({ signerInfo, hash, certificates: [signer.certificate, ...input.chain] });
  return ts ? { der, signatureValue: signature, timestamp: ts } : { der, signatureValue: signature };
}

/**
 * The exact size of the SignedData this signer will produce, with the longest possible
 * signature and `timestampReserve` bytes for a time-stamp token (PAdES sizes /Contents from it).
 */
export function cmsSizeUpperBound(signer: DocumentSigner, hash: HashAlg, chain: readonly Uint8Array[], timestampReserve: number): number {
  // The same for every file of a batch: computed once per signer, chain and reserve.
  const key = `${hash}:${signer.scheme}:${signer.maxSignatureLength}:${timestampReserve}:${bytesKey(signer.certificate, ...chain)}`;
  return upperBounds.get(key, () => computeSizeUpperBound(signer, hash, chain, timestampReserve));
}

const upperBounds = new BoundedCache<number>();

function computeSizeUpperBound(signer: DocumentSigner, hash: HashAlg, chain: readonly Uint8Array[], timestampReserve: number): number {
  const attrs = buildSignedAttributes({ contentType: id_data, messageDigest: new Uint8Array(HASH_LENGTH[hash]), signerCertificate: signer.certificate });
  // An OCTET STRING of `timestampReserve` bytes stands in for the token (an ANY value must be
  // valid DER; its length, a few bytes over the reserve, is all that counts here).
  const placeholder = AsnConvert.serialize(new OctetString(new Uint8Array(timestampReserve)));
  const unsigned = timestampReserve > 0 ? [new Attribute({ attrType: id_aa_signatureTimeStampToken, attrValues: [placeholder] })] : [];
  const signerInfo = buildSignerInfo({
    signerCertificate: signer.certificate,
    hash,
    scheme: signer.scheme,
    signedAttributes: attrs.attributes,
    signature: new Uint8Array(signer.maxSignatureLength),
    unsignedAttributes: unsigned,
  });
  return encodeSignedData({ signerInfo, hash, certificates: [signer.certificate, ...chain] }).length;
}

/**
 * A token that signs with another key than the certificate's (wrong CKA_ID pairing, a module
 * bug) must not produce a container that fails later at the recipient: check here.
 */
function assertSignatureMatchesCertificate(signer: DocumentSigner, hash: HashAlg, data: Uint8Array, signature: Uint8Array): void {
  const key = certificatePublicKey(signer.certificate);
  const ok =
    signer.scheme === 'ecdsa'
      ? cryptoVerify(hash, data, { key, dsaEncoding: 'der' }, signature)
      : signer.scheme === 'pss'
        ? cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] }, signature)
        : cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  if (!ok) {
    throw new SignetError('INTERNAL', "The token's signature does not verify with the selected certificate (the key and the certificate do not match)");
  }
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}
