/**
 * Streaming file hashing (FIPS 180-4 SHA-256/384/512 through node:crypto, i.e. OpenSSL).
 *
 * Constant memory: two reused read buffers (default 1 MiB each) whatever the file size. Large
 * positional reads keep the syscall overhead low, and the next read runs while the current
 * chunk is hashed, so a file costs about max(read, hash): on par with `openssl dgst`
 * (bench/hash.ts). Several algorithms can be computed in one pass (e.g. SHA-256 for the
 * confirmation screen and SHA-384 for a P-384 signature), so a file is read once.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { SignetError } from '../../native/errors';
import type { HashAlg } from '../../native/types';

export const HASH_ALGS: readonly HashAlg[] = ['sha256', 'sha384', 'sha512'];

/** Digest length in bytes. */
export const HASH_LENGTH: Record<HashAlg, number> = { sha256: 32, sha384: 48, sha512: 64 };

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface HashFileOptions {
  /** Called after each read (at most every `chunkSize` bytes) and once at the end. */
  onProgress?: (p: HashProgress) => void;
  signal?: AbortSignal;
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
}

export type Digests<A extends HashAlg> = { [K in A]: Buffer } & { size: number };

// 1 MiB: as fast as larger reads in bench/hash, and the buffers stay cache-warm.
const DEFAULT_CHUNK = 1024 * 1024;

/** Hash a file with one or more algorithms in one pass. */
export async function hashFile<A extends HashAlg>(path: string, algs: readonly A[], options: HashFileOptions = {}): Promise<Digests<A>> {
  if (algs.length === 0) throw new SignetError('INTERNAL', 'hashFile: no algorithm given');
  const { onProgress, signal } = options;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  signal?.throwIfAborted();
  const handle = await openForReading(path);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new SignetError('FILE_UNREADABLE', `Not a regular file: ${path}`, { details: { file: path } });
    const total = st.size;
    const hashes: Hash[] = algs.map((a) => createHash(a));
    // Two buffers: the next read runs in libuv's thread pool while this chunk is hashed on the
    // main thread, so the file costs max(read, hash) rather than read + hash.
    const size = Math.max(1, Math.min(chunkSize, Math.max(total, 1)));
    let cur = Buffer.allocUnsafe(size);
    let next = Buffer.allocUnsafe(size);
    const readAt = (b: Buffer, pos: number) =>
      handle.read(b, 0, b.length, pos).then(
        (r) => r.bytesRead,
        (e: unknown) => {
          throw fileError(path, e);
        },
      );
    let done = 0;
    let pending = readAt(cur, 0);
    try {
      for (;;) {
        const n = await pending;
        if (n === 0) break;
        done += n;
        if (signal?.aborted) throw cancelled(signal);
        pending = readAt(next, done);
        const chunk = n === cur.length ? cur : cur.subarray(0, n);
        for (const h of hashes) h.update(chunk);
        onProgress?.({ bytesDone: done, bytesTotal: Math.max(total, done) });
        [cur, next] = [next, cur];
      }
    } finally {
      // Never leave a read running into a closed handle (or an unhandled rejection).
      await pending.catch(() => undefined);
    }
    if (done !== total) {
      // The file changed size while we read it: what we hashed is not a stable document.
      throw new SignetError('FILE_UNREADABLE', `The file changed while it was being read: ${path}`, { details: { file: path } });
    }
    if (total === 0) onProgress?.({ bytesDone: 0, bytesTotal: 0 });
    const out = { size: done } as Digests<A>;
    algs.forEach((a, i) => {
      (out as Record<string, Buffer | number>)[a] = hashes[i]!.digest();
    });
    return out;
  } finally {
    await handle.close();
  }
}

/** Hash bytes in memory (several ranges in order, e.g. a PDF /ByteRange). */
export function hashBytes(alg: HashAlg, ...parts: Uint8Array[]): Buffer {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function isHashAlg(v: unknown): v is HashAlg {
  return typeof v === 'string' && (HASH_ALGS as readonly string[]).includes(v);
}

function cancelled(signal: AbortSignal): SignetError {
  const reason: unknown = signal.reason;
  if (reason instanceof SignetError) return reason;
  return new SignetError('USER_CANCELLED', 'Cancelled', { cause: reason });
}

/** Map fs errors to FILE_UNREADABLE with the path and the system code (ENOENT, EACCES, ...). */
/** Open a file for reading; failures become FILE_UNREADABLE with the reason (fileError). */
export async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
}

export function fileError(path: string, e: unknown): SignetError {
  if (e instanceof SignetError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error)?.message ?? String(e);
  return new SignetError('FILE_UNREADABLE', `Cannot read ${path}: ${why}`, { cause: e, details: code ? { file: path, errno: code } : { file: path } });
}
