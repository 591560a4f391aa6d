/**
 * Where a preview's bytes come from, without the renderer ever holding a path: a file the user
 * gave (`files.read` by id) or the document a web page sent and Signet is asking about
 * (`consent.documentBytes` by request id). Reads are bounded slices over IPC.
 */
import type { FileBytes, Result } from '../../../../electron/api';
import { getApi } from '../api';

export interface ByteSource {
  /** Stable identity (React keys, caches). */
  key: string;
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** The largest slice one IPC call carries (main refuses more). */
export const MAX_SLICE = 4 * 1024 * 1024;

export function fileByteSource(fileId: string, size: number): ByteSource {
  return sliced(`file:${fileId}`, size, (offset, length) => getApi().call('files.read', { fileId, offset, length }));
}

/** The document of a shown web sign-document request (read in the web API's spool, through main). */
export function consentByteSource(requestId: string, size: number): ByteSource {
  return sliced(`consent:${requestId}`, size, (offset, length) => getApi().call('consent.documentBytes', { requestId, offset, length }));
}

function sliced(key: string, size: number, fetch: (offset: number, length: number) => Promise<Result<FileBytes>>): ByteSource {
  return {
    key,
    size,
    async read(offset, length) {
      const parts: Uint8Array[] = [];
      let done = 0;
      while (done < length) {
        const n = Math.min(MAX_SLICE, length - done);
        const r = await fetch(offset + done, n);
        if (!r.ok) throw new PreviewError(r.error.code, r.error.message);
        const bytes = base64ToBytes(r.value.base64);
        parts.push(bytes);
        done += bytes.length;
        if (bytes.length < n) break;
      }
      return concat(parts, done);
    },
  };
}

export class PreviewError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
