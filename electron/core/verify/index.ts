/**
 * `signet verify`: a PDF → every PAdES signature in it; an ASiC-E container → every XAdES
 * signature in it; any other file → its detached CAdES signature (given, or FILE.p7s next to it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { looksLikePdf } from '../signing/prepare';
import { looksLikeAsic } from '../formats/asice/container';
import { fileError, openForReading } from '../hashing';
import { verifyAsice } from './asice';
import { verifyCades } from './cades';
import { verifyPades } from './pades';
import type { VerifyOptions, VerifyReport } from './types';

export * from './types';
export { verifyCades } from './cades';
export { verifyPades, verifyPadesBytes } from './pades';
export { verifyAsice, verifyAsiceBytes } from './asice';

/** EN 319 162-1 §A.1: a ZIP whose first entry is "mimetype" (an ASiC container). */
export async function looksLikeAsicFile(file: string): Promise<boolean> {
  const fh = await openForReading(file);
  try {
    const head = Buffer.alloc(38);
    const { bytesRead } = await fh.read(head, 0, 38, 0);
    return looksLikeAsic(head.subarray(0, bytesRead));
  } catch (e) {
    throw fileError(file, e);
  } finally {
    await fh.close();
  }
}

export async function verifyDocument(file: string, signature: string | undefined, opts: VerifyOptions = {}): Promise<VerifyReport> {
  if (signature) return verifyCades(file, signature, opts);
  if (await looksLikeAsicFile(file)) return verifyAsice(file, opts);
  if (await looksLikePdf(file)) return verifyPades(file, opts);
  const guess = `${file}.p7s`;
  if (existsSync(guess)) return verifyCades(file, guess, opts);
  throw new SignetError('INVALID_INPUT', `${path.basename(file)} is not a PDF and no signature was given: pass --signature FILE.p7s`);
}
