/**
 * CAdES baseline B (and T) detached signatures, `.p7s` — RFC 5652 SignedData without eContent,
 * profiled by ETSI EN 319 122-1 §5 / EN 319 122-2 (baseline):
 *   signed attributes: content-type (id-data), message-digest (of the file), signing-time,
 *   signing-certificate-v2; certificates: the signer's and its chain;
 *   CAdES-T adds the unsigned attribute signature-time-stamp (EN 319 122-1 §5.3).
 * The file is hashed beforehand (streaming, hashing.ts); only its digest reaches this module.
 */
import type { HashAlg } from '../../../native/types';
import type { DocumentSigner } from '../document-signer';
import { signCms, type CmsSignature, type TimestampFn } from './cms/sign';

export interface CadesInput {
  signer: DocumentSigner;
  hash: HashAlg;
  /** Digest of the whole document with `hash`. */
  contentDigest: Uint8Array;
  chain: readonly Uint8Array[];
  signingTime?: Date;
  timestamp?: TimestampFn;
  signal?: AbortSignal;
  onPhase?: (phase: 'signing' | 'timestamping') => void;
}

/** A detached CAdES signature: the DER of the `.p7s` file. */
export function createCades(input: CadesInput): Promise<CmsSignature> {
  return signCms({ ...input, signingTime: input.signingTime ?? new Date() });
}
