/**
 * Documents from pages go to disk, not memory (issue 10): the request body is streamed into a
 * file in a private temporary directory (0700, files 0600, removed when the API stops), hashed
 * (SHA-256) on the way and cut off at the size limit. Only the first HEAD_BYTES stay in memory,
 * for the PDF magic check and the text preview. Nothing of the content is parsed before the user
 * approved it.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import { refusal } from '../errors';

/** Bytes kept in memory from the start of a document. */
export const HEAD_BYTES = 64 * 1024;

export interface SpooledDocument {
  path: string;
  size: number;
  /** SHA-256 of the whole content, hex. */
  sha256: string;
  /** The first min(size, HEAD_BYTES) bytes. */
  head: Buffer;
}

/** The API's private temporary directory. */
export class SpoolDir {
  private constructor(readonly dir: string) {}

  static async create(): Promise<SpoolDir> {
    return new SpoolDir(await mkdtemp(path.join(tmpdir(), 'signet-webapi-')));
  }

  /** A fresh file name in the directory (not created). */
  file(suffix = ''): string {
    return path.join(this.dir, `${randomUUID()}${suffix}`);
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Counts, hashes and keeps the head of what passes; fails past `limit` bytes. */
class Meter extends Transform {
  size = 0;
  readonly hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  private headSize = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(refusal('INVALID_INPUT', 'body-too-large', `The document is larger than ${this.limit} bytes.`));
      return;
    }
    this.hash.update(chunk);
    if (this.headSize < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headSize);
      this.headParts.push(Buffer.from(part));
      this.headSize += part.length;
    }
    done(null, chunk);
  }

  get head(): Buffer {
    return Buffer.concat(this.headParts);
  }
}

/**
 * Streams the request body to `file` (created exclusively, 0600). On failure the file is removed.
 * The request is piped rather than put in a pipeline: a refusal (too large) must not destroy it,
 * or its socket would go before the refusal is written (the server then drains and closes it).
 */
export async function spoolBody(req: IncomingMessage, file: string, limit: number): Promise<SpooledDocument> {
  const meter = new Meter(limit);
  const onClose = (): void => {
    if (!req.complete) meter.destroy(new SignetError('USER_CANCELLED', 'The page went away while sending the document.'));
  };
  req.once('close', onClose);
  req.pipe(meter);
  try {
    await pipeline(meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    req.unpipe(meter);
    await unlink(file).catch(() => undefined);
    if (e instanceof SignetError) throw e;
    throw new SignetError('INVALID_INPUT', 'The document did not arrive completely.', { cause: e, details: { reason: 'body-malformed' } });
  } finally {
    req.off('close', onClose);
  }
  return { path: file, size: meter.size, sha256: meter.hash.digest('hex'), head: meter.head };
}
