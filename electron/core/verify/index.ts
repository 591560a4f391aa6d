/**
 * `signet verify`: a PDF → every PAdES signature in it; any other file → its detached CAdES
 * signature (given, or FILE.p7s next to it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { looksLikePdf } from '../signing/prepare';
import { verifyCades } from './cades';
import { verifyPades } from './pades';
import type { VerifyOptions, VerifyReport } from './types';

export * from './types';
export { verifyCades } from './cades';
export { verifyPades, verifyPadesBytes } from './pades';

export async function verifyDocument(file: string, signature: string | undefined, opts: VerifyOptions = {}): Promise<VerifyReport> {
  if (signature) return verifyCades(file, signature, opts);
  if (await looksLikePdf(file)) return verifyPades(file, opts);
  const guess = `${file}.p7s`;
  if (existsSync(guess)) return verifyCades(file, guess, opts);
  throw new SignetError('INVALID_INPUT', `${path.basename(file)} is not a PDF and no signature was given: pass --signature FILE.p7s`);
}
