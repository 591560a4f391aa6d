/**
 * RFC 3161 §2.4.1 time-stamp request:
 *
 *   TimeStampReq ::= SEQUENCE  {
 *     version          INTEGER  { v1(1) },
 *     messageImprint   MessageImprint,
 *     reqPolicy        TSAPolicyId          OPTIONAL,
 *     nonce            INTEGER              OPTIONAL,
 *     certReq          BOOLEAN              DEFAULT FALSE,
 *     extensions       [0] IMPLICIT Extensions OPTIONAL }
 *
 *   MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 *
 * We always send a fresh 64-bit nonce (replay protection, checked in the response) and ask for
 * the TSA's certificate (certReq), so the token can be verified on its own later.
 */
import { randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { MessageImprint, TimeStampReq, TimeStampReqVersion } from '@peculiar/asn1-tsp';
import type { HashAlg } from '../../../../native/types';
import { digestAlgorithm } from '../cms/algorithms';

export interface TimestampRequest {
  der: Uint8Array;
  hash: HashAlg;
  imprint: Uint8Array;
  /** The nonce as INTEGER content octets (positive, minimal). */
  nonce: Uint8Array;
}

export function buildTimestampRequest(hash: HashAlg, imprint: Uint8Array, policy?: string): TimestampRequest {
  const nonce = randomBytes(8);
  // Positive and minimally encoded: no leading 0x00 and the top bit clear.
  nonce[0] = nonce[0]! & 0x7f || 0x01;
  const req = new TimeStampReq({
    version: TimeStampReqVersion.v1,
    messageImprint: new MessageImprint({ hashAlgorithm: digestAlgorithm(hash), hashedMessage: new OctetString(imprint) }),
    nonce: new Uint8Array(nonce).buffer,
    certReq: true,
  });
  if (policy) req.reqPolicy = policy;
  return { der: new Uint8Array(AsnConvert.serialize(req)), hash, imprint, nonce: new Uint8Array(nonce) };
}
