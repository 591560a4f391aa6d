/**
 * Step 1 of signing: look at the inputs and hash them (streamed, with progress) so the
 * confirmation screen can show exactly what will be signed — name, size, SHA-256, format and the
 * output name. Nothing is written and no card is touched.
 *
 * `inspectInputs` is the same look without the hash, for callers with no confirmation step (the
 * CLI): signFiles then reads each file once, computing only the digest the signature needs.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileError, hashFile, openForReading } from '../hashing';
import type { InputFile, PreparedFile } from './types';

export interface PrepareOptions {
  onProgress?: (index: number, bytesDone: number, bytesTotal: number) => void;
  signal?: AbortSignal;
}

export async function prepareFiles(paths: readonly string[], options: PrepareOptions = {}): Promise<PreparedFile[]> {
  const out: PreparedFile[] = [];
  for (const [i, p] of paths.entries()) {
    const isPdf = await looksLikePdf(p);
    const d = await hashFile(p, ['sha256'], {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: ({ bytesDone, bytesTotal }) => options.onProgress?.(i, bytesDone, bytesTotal),
    });
    out.push({ path: p, name: path.basename(p), size: d.size, sha256: d.sha256.toString('hex'), isPdf, defaultFormat: isPdf ? 'pades' : 'cades' });
  }
  return out;
}

/** Name, size and PDF-ness of each input (unreadable files fail here, before any card is touched). */
export async function inspectInputs(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of paths) {
    const isPdf = await looksLikePdf(p);
    let size: number;
    try {
      size = (await stat(p)).size;
    } catch (e) {
      throw fileError(p, e);
    }
    out.push({ path: p, name: path.basename(p), size, isPdf, defaultFormat: isPdf ? 'pades' : 'cades' });
  }
  return out;
}

/** ISO 32000-1 §7.5.2: the header %PDF-x.y; readers accept it within the first 1024 bytes. */
export async function looksLikePdf(file: string): Promise<boolean> {
  const fh = await openForReading(file);
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await fh.read(buf, 0, 1024, 0);
    return buf.subarray(0, bytesRead).includes('%PDF-');
  } catch (e) {
    throw fileError(file, e);
  } finally {
    await fh.close();
  }
}
