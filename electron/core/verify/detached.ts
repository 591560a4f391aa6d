/**
 * Whether a CMS signature file (.p7s, DER or PEM) carries its content (encapsulated, RFC 5652
 * §5.2 eContent) or is detached and needs the signed file beside it — the verify view asks for
 * the content only in the second case.
 */
import { readFile } from 'node:fs/promises';
import { SignetError } from '../../../native/errors';
import { encapsulatedContent, parseSignedData } from '../formats/cms/parse';
import { fileError } from '../hashing';

export async function cmsIsDetached(signaturePath: string): Promise<boolean> {
  let der: Buffer;
  try {
    der = await readFile(signaturePath);
  } catch (e) {
    throw fileError(signaturePath, e);
  }
  if (der.length > 0 && der[0] !== 0x30) {
    const m = /-----BEGIN (?:PKCS7|CMS)-----([\s\S]*?)-----END/.exec(der.toString('latin1'));
    if (!m) throw new SignetError('INVALID_INPUT', 'Not a CMS signature (DER or PEM)', { details: { reason: 'not-a-signature' } });
    der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  }
  return encapsulatedContent(parseSignedData(der).signedData) === undefined;
}
