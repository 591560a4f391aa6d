/**
 * Reading a whole document into one Buffer (PAdES needs random access to the PDF): allocated
 * once at the file's size, filled with large positional reads, SHA-256 computed on the way for
 * the "unchanged since confirmation" check (unless `sha256: false`), progress reported. Memory:
 * 1× the file.
 */
import { constants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import { fileError, openForReading } from '../hashing';

const CHUNK = 4 * 1024 * 1024;

export interface ReadResult {
  bytes: Buffer;
  /** Hex; absent when not asked for (`sha256: false`). */
  sha256?: string;
}

export async function readWholeFile(
  file: string,
  opts: { maxBytes?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal; sha256?: boolean } = {},
): Promise<ReadResult> {
  const fh = await openForReading(file);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SignetError('FILE_UNREADABLE', `Not a regular file: ${file}`, { details: { file } });
    if (opts.maxBytes !== undefined && st.size > opts.maxBytes) {
      throw new SignetError('INVALID_INPUT', `${file} is too large (${st.size} bytes, limit ${opts.maxBytes})`, { details: { file } });
    }
    if (st.size > constants.MAX_LENGTH) {
      throw new SignetError('INVALID_INPUT', `${file} is too large to be signed as a PDF here (${st.size} bytes); sign it as CAdES (.p7s) instead`, { details: { file } });
    }
    const bytes = Buffer.allocUnsafe(st.size);
    const h = opts.sha256 === false ? undefined : createHash('sha256');
    let done = 0;
    while (done < st.size) {
      opts.signal?.throwIfAborted();
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(bytes, done, Math.min(CHUNK, st.size - done), done));
      } catch (e) {
        throw fileError(file, e);
      }
      if (n === 0) throw new SignetError('FILE_UNREADABLE', `The file changed while it was being read: ${file}`, { details: { file } });
      h?.update(bytes.subarray(done, done + n));
      done += n;
      opts.onProgress?.(done, st.size);
    }
    if (st.size === 0) opts.onProgress?.(0, 0);
    return h ? { bytes, sha256: h.digest('hex') } : { bytes };
  } finally {
    await fh.close();
  }
}
