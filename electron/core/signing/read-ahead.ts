/**
 * Reading ahead in a signing batch (issue 13 items 7–8): a file's one read — for CAdES the
 * streamed digest, for PAdES the bytes — starts before its turn, so it overlaps what comes before
 * it: the key look-up and login for the first file, the card's C_Sign and the output write for
 * the next ones. Nothing here touches the card, asks a PIN or writes anything; a read that turns
 * out not to be needed (the batch stopped, or the digest algorithm was guessed wrong) is aborted.
 *
 * The digest algorithm depends on the key (SHA-384 for P-384 …). The first file may be read
 * before the certificate is known: then SHA-256 — the default for RSA and P-256 keys — is the
 * guess, and a wrong guess costs a second read of that one file.
 */
import type { HashAlg } from '../../../native/types';
import { hashFile, openForReading, type Digests } from '../hashing';
import { readWholeFile, type ReadResult } from './read-file';
import type { SignItem } from './types';

/** PDFs larger than this are read at their turn only (the reader holds the whole file in memory). */
const PADES_READ_AHEAD_MAX = 64 * 1024 * 1024;

export type Reading =
  | { format: 'cades'; algs: readonly HashAlg[]; result: Promise<Digests<HashAlg>> }
  | { format: 'pades'; result: Promise<ReadResult | 'too-large'> };

export interface ReadingHandle {
  reading: Reading;
  /** Stop the read (it then rejects; nobody waits for it). */
  abort(): void;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Read ahead: PDFs beyond PADES_READ_AHEAD_MAX are left for their turn. */
  ahead?: boolean;
}

/** The algorithms the one pass over a CAdES input computes: the signature's, plus SHA-256 to compare with a confirmed hash. */
export function cadesAlgs(item: SignItem, hash: HashAlg): HashAlg[] {
  return item.sha256 !== undefined && hash !== 'sha256' ? [hash, 'sha256'] : [hash];
}

export function startReading(item: SignItem, hash: HashAlg, o: ReadOptions = {}): ReadingHandle {
  const ac = new AbortController();
  const onOuterAbort = (): void => ac.abort(o.signal?.reason);
  if (o.signal?.aborted) ac.abort(o.signal.reason);
  else o.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const done = (): void => o.signal?.removeEventListener('abort', onOuterAbort);
  let reading: Reading;
  if (item.format === 'cades') {
    const algs = cadesAlgs(item, hash);
    const result = hashFile(item.path, algs, {
      signal: ac.signal,
      ...(o.onProgress ? { onProgress: ({ bytesDone, bytesTotal }) => o.onProgress!(bytesDone, bytesTotal) } : {}),
    }).finally(done);
    reading = { format: 'cades', algs, result };
  } else {
    const read = async (): Promise<ReadResult | 'too-large'> => {
      if (o.ahead) {
        const fh = await openForReading(item.path);
        try {
          if ((await fh.stat()).size > PADES_READ_AHEAD_MAX) return 'too-large';
        } finally {
          await fh.close();
        }
      }
      return readWholeFile(item.path, {
        signal: ac.signal,
        sha256: item.sha256 !== undefined,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });
    };
    reading = { format: 'pades', result: read().finally(done) };
  }
  // Failures are reported when (and if) the file's turn comes; until then nobody listens.
  reading.result.catch(() => undefined);
  return { reading, abort: () => ac.abort(new Error('read ahead no longer needed')) };
}
