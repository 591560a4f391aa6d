/**
 * Verifying a detached CAdES signature (`.p7s`, RFC 5652 + ETSI EN 319 122-1) against its
 * content: the content is hashed by streaming (hashing.ts), once per digest algorithm used.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import type { HashAlg } from '../../../native/types';
import { encapsulatedContent, parseSignedData } from '../formats/cms/parse';
import { fileError, hashBytes, hashFile } from '../hashing';
import { embeddedOcspResponses } from '../ltv/cades';
import { reportSigner } from './signer-report';
import type { VerifyOptions, VerifyReport } from './types';

export async function verifyCades(contentPath: string, signaturePath: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  let der: Buffer;
  try {
    der = await readFile(signaturePath);
  } catch (e) {
    throw fileError(signaturePath, e);
  }
  if (der.length > 0 && der[0] !== 0x30) {
    // Also accept PEM ("-----BEGIN PKCS7-----" / "CMS").
    const m = /-----BEGIN (?:PKCS7|CMS)-----([\s\S]*?)-----END/.exec(der.toString('latin1'));
    if (!m) throw new SignetError('INVALID_INPUT', `${path.basename(signaturePath)} is not a CMS signature (DER or PEM)`);
    der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  }
  const parsed = parseSignedData(der);
  const attached = encapsulatedContent(parsed.signedData);
  const cache = new Map<HashAlg, Promise<Uint8Array>>();
  const digest = (h: HashAlg): Promise<Uint8Array> => {
    let p = cache.get(h);
    if (!p) {
      p = attached
        ? Promise.resolve(hashBytes(h, attached))
        : hashFile(contentPath, [h], opts.signal ? { signal: opts.signal } : {}).then((d) => d[h]);
      cache.set(h, p);
    }
    return p;
  };
  // CAdES B-LT: OCSP responses in SignedData.crls (RFC 5940), certificates in SignedData.certificates.
  const material = { ocsps: embeddedOcspResponses(parsed.signedData), crls: [], certificates: [] };
  const signatures = [];
  for (const [i, si] of parsed.signedData.signerInfos.entries()) {
    signatures.push(await reportSigner(parsed, si, digest, { index: i + 1, format: 'cades', material }, opts));
  }
  if (signatures.length === 0) throw new SignetError('INVALID_INPUT', `${path.basename(signaturePath)} contains no signer`);
  return { valid: signatures.every((s) => s.valid), format: 'cades', file: contentPath, signatures };
}
