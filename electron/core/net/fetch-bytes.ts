/**
 * One small HTTP client for the PKI services Signet talks to (OCSP, CRL distribution points):
 * http(s) only, no redirects to other schemes, a timeout, a size limit and cancellation.
 * Network failures become SignetErrors with the URL, so a warning can say what was unreachable.
 */
import { SignetError } from '../../../native/errors';

export interface FetchBytesOptions {
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
  /** What the service is, for messages ("OCSP responder", "CRL distribution point"). */
  what: string;
}

export async function fetchBytes(url: string, o: FetchBytesOptions): Promise<Uint8Array> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SignetError('INVALID_INPUT', `Invalid ${o.what} URL: ${url}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SignetError('INVALID_INPUT', `The ${o.what} URL must be http(s): ${url}`);
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 15_000);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const max = o.maxBytes ?? 10 * 1024 * 1024;
  try {
    const res = await fetch(u, {
      method: o.method ?? 'GET',
      ...(o.body ? { body: new Uint8Array(o.body) } : {}), // copy: Uint8Array<ArrayBuffer> is a BodyInit under the DOM lib too
      headers: { ...(o.contentType ? { 'content-type': o.contentType } : {}), ...(o.accept ? { accept: o.accept } : {}) },
      signal,
      redirect: 'follow',
    });
    if (!res.ok) throw new SignetError('INTERNAL', `The ${o.what} ${u.origin} answered HTTP ${res.status}`, { retriable: true, details: { url } });
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > max) throw new SignetError('INTERNAL', `The ${o.what} answer is too large (${len} bytes)`, { details: { url } });
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > max) throw new SignetError('INTERNAL', `The ${o.what} answer is too large (${buf.length} bytes)`, { details: { url } });
    return buf;
  } catch (e) {
    if (e instanceof SignetError) throw e;
    if (o.signal?.aborted) {
      const r: unknown = o.signal.reason;
      throw r instanceof SignetError ? r : new SignetError('USER_CANCELLED', 'Cancelled');
    }
    if (timeout.aborted) throw new SignetError('TIMEOUT', `The ${o.what} ${url} did not answer in time`, { details: { url } });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new SignetError('INTERNAL', `The ${o.what} ${url} cannot be reached (${cause?.code ?? cause?.message ?? (e as Error).message})`, {
      cause: e,
      retriable: true,
      details: { url },
    });
  }
}
