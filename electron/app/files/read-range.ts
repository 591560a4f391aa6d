/**
 * A slice of a user-given file for the renderer's preview: pdf.js asks for byte ranges
 * (PDFDataRangeTransport), so a 70 MB PDF shows its first page after reading a few hundred KB,
 * and nothing beyond a bounded slice crosses IPC at once. Base64, because the same answer goes
 * over Electron IPC and the harness's JSON WebSocket.
 */
import { open } from 'node:fs/promises';
import type { FileBytes } from '../../api';
import { fileError } from '../../core/hashing';

export const MAX_READ_BYTES = 4 * 1024 * 1024;

export async function readRange(filePath: string, offset: number, length: number): Promise<FileBytes> {
  let fh;
  try {
    fh = await open(filePath, 'r');
  } catch (e) {
    throw fileError(filePath, e);
  }
  try {
    const total = (await fh.stat()).size;
    const start = Math.min(offset, total);
    const n = Math.max(0, Math.min(length, total - start));
    const buf = Buffer.alloc(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await fh.read(buf, done, n - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return { base64: buf.subarray(0, done).toString('base64'), offset: start, total };
  } catch (e) {
    throw fileError(filePath, e);
  } finally {
    await fh.close();
  }
}
