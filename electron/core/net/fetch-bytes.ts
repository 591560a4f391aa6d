/**
 * One small HTTP client for the PKI services Signet talks to (OCSP responders, CRL distribution
 * points, AIA caIssuers, time-stamp servers): http(s) only, a timeout, a size limit and
 * cancellation. Network failures become SignetErrors with the URL, so a warning can say what was
 * unreachable.
 *
 * Proxies come from the environment (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, upper or lower case),
 * through undici's EnvHttpProxyAgent: Node's own fetch ignores them, and many users behind a
 * corporate proxy could otherwise not reach any OCSP responder or TSA.
 *
 * Every request says `Connection: close`. These are one-shot exchanges a few seconds apart; a
 * kept-alive socket reused just as the server times it out failed requests with "other side
 * closed" (seen in the PAdES-T integration tests under load). One connection per request costs
 * a TCP handshake, nothing a signature notices.
 */
import { EnvHttpProxyAgent, fetch, type Dispatcher } from 'undici';
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
  /** Follow redirects (default true; a TSA answer is never redirected). */
  followRedirects?: boolean;
  /** Details added to every error (e.g. { tsaUrl }). */
  details?: Record<string, string | number | boolean>;
}

let dispatcher: Dispatcher | undefined;
/** Created on first use, after the environment is final. */
function proxyAwareDispatcher(): Dispatcher {
  dispatcher ??= new EnvHttpProxyAgent();
  return dispatcher;
}

export async function fetchBytes(url: string, o: FetchBytesOptions): Promise<Uint8Array> {
  let u: URL;
  const details = { url, ...o.details };
  try {
    u = new URL(url);
  } catch {
    throw new SignetError('INVALID_INPUT', `Invalid ${o.what} URL: ${url}`, { details });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SignetError('INVALID_INPUT', `The ${o.what} URL must be http(s): ${url}`, { details });
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 15_000);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const max = o.maxBytes ?? 10 * 1024 * 1024;
  try {
    const res = await fetch(u, {
      method: o.method ?? 'GET',
      ...(o.body ? { body: o.body } : {}),
      headers: { connection: 'close', ...(o.contentType ? { 'content-type': o.contentType } : {}), ...(o.accept ? { accept: o.accept } : {}) },
      signal,
      redirect: o.followRedirects === false ? 'error' : 'follow',
      dispatcher: proxyAwareDispatcher(),
    });
    if (!res.ok) throw new SignetError('INTERNAL', `The ${o.what} ${u.origin} answered HTTP ${res.status}`, { retriable: true, details: { ...details, status: res.status } });
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > max) throw new SignetError('INTERNAL', `The ${o.what} answer is too large (${len} bytes)`, { details });
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > max) throw new SignetError('INTERNAL', `The ${o.what} answer is too large (${buf.length} bytes)`, { details });
    return buf;
  } catch (e) {
    if (e instanceof SignetError) throw e;
    if (o.signal?.aborted) {
      const r: unknown = o.signal.reason;
      throw r instanceof SignetError ? r : new SignetError('USER_CANCELLED', 'Cancelled');
    }
    if (timeout.aborted) throw new SignetError('TIMEOUT', `The ${o.what} ${url} did not answer in time`, { details });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new SignetError('INTERNAL', `The ${o.what} ${url} cannot be reached (${cause?.code ?? cause?.message ?? (e as Error).message})`, {
      cause: e,
      retriable: true,
      details,
    });
  }
}
