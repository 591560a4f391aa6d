/**
 * Writing an output atomically and without overwriting anything (guide: "outputs are written
 * atomically"; issue 3 §7: never overwrite an input or an existing file).
 *
 * The bytes go to a temporary file in the target folder (same file system), are flushed to disk,
 * and the file is then given its final name with link(2), which fails with EEXIST instead of
 * replacing an existing file (rename(2) would silently replace it). Where hard links are not
 * supported (FAT, some network shares) copyFile with COPYFILE_EXCL is the fallback: still never
 * overwriting, though not atomic. The temporary file is always removed.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { numberedName } from './output-path';

export interface WriteOutputOptions {
  /** When the name is taken, try "name (2)", "name (3)", … (default). False: fail with INVALID_INPUT. */
  pickFreeName?: boolean;
  signal?: AbortSignal;
}

/** Write `parts` in order to `target` (or a free variant of it). Returns the path written. */
export async function writeOutput(target: string, parts: readonly Uint8Array[], options: WriteOutputOptions = {}): Promise<string> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.signet-tmp`);
  let fh;
  try {
    fh = await open(tmp, 'wx');
  } catch (e) {
    throw writeError(target, e);
  }
  try {
    try {
      for (const p of parts) {
        options.signal?.throwIfAborted();
        let off = 0;
        while (off < p.length) {
          const { bytesWritten } = await fh.write(p, off, Math.min(p.length - off, 16 * 1024 * 1024));
          off += bytesWritten;
        }
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    const pick = options.pickFreeName !== false;
    const name = path.basename(target);
    for (let n = 1; n < 10_000; n++) {
      const candidate = path.join(dir, numberedName(name, n));
      try {
        await placeExclusive(tmp, candidate);
        return candidate;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' && pick) continue;
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new SignetError('INVALID_INPUT', `${candidate} already exists; Signet never overwrites a file`, { details: { file: candidate } });
        }
        throw writeError(candidate, e);
      }
    }
    throw new SignetError('INVALID_INPUT', `No free output name for ${target}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function placeExclusive(tmp: string, target: string): Promise<void> {
  try {
    await link(tmp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV') {
      await copyFile(tmp, target, constants.COPYFILE_EXCL);
      return;
    }
    throw e;
  }
}

function writeError(target: string, e: unknown): SignetError {
  if (e instanceof SignetError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code === 'ENOENT' ? 'the folder does not exist' : (e as Error).message;
  return new SignetError('FILE_UNREADABLE', `Cannot write ${target}: ${why}`, { cause: e, details: code ? { file: target, errno: code } : { file: target } });
}
