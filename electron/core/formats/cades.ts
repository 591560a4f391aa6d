/**
 * CAdES baseline B (and T) detached signatures, `.p7s` — RFC 5652 SignedData without eContent,
 * profiled by ETSI EN 319 122-1 §5 / EN 319 122-2 (baseline):
 *   signed attributes: content-type (id-data), message-digest (of the file), signing-time,
 *   signing-certificate-v2; certificates: the signer's and its chain;
 *   CAdES-T adds the unsigned attribute signature-time-stamp (EN 319 122-1 §5.3).
 * The file is hashed beforehand (streaming, hashing.ts); only its digest reaches this module.
 */
import { signCms, type CmsSignature, type CmsSignInput } from './cms/sign';

/** The same inputs as any CMS signature; CAdES only defaults the signing time to now. */
export type CadesInput = CmsSignInput;

/** A detached CAdES signature: the DER of the `.p7s` file. */
export function createCades(input: CadesInput): Promise<CmsSignature> {
  return signCms({ ...input, signingTime: input.signingTime ?? new Date() });
}
