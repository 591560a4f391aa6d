/**
 * The text preview of a document a page asks to sign: shown only when the content is plain UTF-8
 * text (no NUL or control characters other than tab, line feed, form feed and carriage return;
 * valid UTF-8). A preview that does not cover the whole file says how much it covers
 * (`previewBytes`), and the rest is read in chunks on request (`readTextChunk`). What the text
 * says is never interpreted; the renderer shows it with control and bidi characters made visible
 * (renderer/src/lib/display-safe.ts).
 */
import { open } from 'node:fs/promises';

/** Bytes shown in the consent request itself; the rest comes in chunks of CHUNK_BYTES. */
export const PREVIEW_BYTES = 8 * 1024;
export const CHUNK_BYTES = 64 * 1024;

const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/**
 * Decode `bytes` (the file's bytes from some offset) as UTF-8 text, dropping an incomplete
 * character cut at the end when more of the file follows. Undefined when it is not text.
 */
export function decodeTextChunk(bytes: Buffer, more: boolean): { text: string; bytes: number } | undefined {
  let end = bytes.length;
  if (more) {
    // Step back over a cut multi-byte sequence (at most 3 continuation bytes plus its lead).
    let i = end - 1;
    let cont = 0;
    while (i >= 0 && cont < 3 && (bytes[i]! & 0xc0) === 0x80) {
      i--;
      cont++;
    }
    if (i >= 0) {
      const lead = bytes[i]!;
      const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
      if (need > cont) end = i;
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    return undefined;
  }
  if (CONTROL.test(text)) return undefined;
  return { text, bytes: end };
}

/** The preview for the consent request, from the document's first bytes. */
export function textPreview(head: Buffer, size: number): { previewText: string; previewBytes: number } | undefined {
  const part = head.subarray(0, PREVIEW_BYTES);
  const r = decodeTextChunk(part, size > part.length);
  return r === undefined ? undefined : { previewText: r.text, previewBytes: r.bytes };
}

/** At most `length` bytes (capped at SLICE_BYTES) of the document from `offset`, for the app's preview. */
export const SLICE_BYTES = 4 * 1024 * 1024;
export async function readSlice(file: string, offset: number, length: number): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, Math.min(length, SLICE_BYTES)));
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await fh.read(buf, done, buf.length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  } finally {
    await fh.close();
  }
}

/** The next chunk of a text document from `offset` (a character boundary a previous chunk ended on). */
export async function readTextChunk(file: string, offset: number, size: number): Promise<{ text: string; nextOffset: number } | undefined> {
  const fh = await open(file, 'r');
  try {
    const want = Math.max(0, Math.min(CHUNK_BYTES, size - offset));
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, offset);
    const r = decodeTextChunk(buf.subarray(0, bytesRead), offset + bytesRead < size);
    return r === undefined ? undefined : { text: r.text, nextOffset: offset + r.bytes };
  } finally {
    await fh.close();
  }
}
