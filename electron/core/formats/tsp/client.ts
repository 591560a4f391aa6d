/**
 * RFC 3161 §3.4 time-stamp protocol over HTTP: POST application/timestamp-query, answer
 * application/timestamp-reply. The response is checked (verify-token.ts) before anything uses it.
 */
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import { hashBytes } from '../../hashing';
import { buildTimestampRequest } from './request';
import { verifyTimestampResponse, type TimestampInfo } from './verify-token';

export interface TsaOptions {
  url: string;
  /** Default 30 s. */
  timeoutMs?: number;
  policy?: string;
  signal?: AbortSignal;
}

/** Largest reply we accept (a token with a long certificate chain is a few KiB). */
const MAX_REPLY = 256 * 1024;

/** Timestamp `data` (e.g. a SignerInfo signature value): request, check, return the token. */
export async function timestamp(data: Uint8Array, hash: HashAlg, opts: TsaOptions): Promise<TimestampInfo> {
  return timestampImprint(hashBytes(hash, data), hash, opts);
}

export async function timestampImprint(imprint: Uint8Array, hash: HashAlg, opts: TsaOptions): Promise<TimestampInfo> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new SignetError('INVALID_INPUT', `Invalid timestamp server URL: ${opts.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SignetError('INVALID_INPUT', `Timestamp server URL must be http(s): ${opts.url}`);
  const req = buildTimestampRequest(hash, imprint, opts.policy);
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      // A copy typed Uint8Array<ArrayBuffer>: BodyInit under the DOM lib (tsconfig.app.json) refuses ArrayBufferLike.
      body: new Uint8Array(req.der),
      signal,
      redirect: 'error',
    });
  } catch (e) {
    throw networkError(opts, e, timeout);
  }
  if (!res.ok) throw new SignetError('INTERNAL', `The timestamp server ${url.origin} answered HTTP ${res.status}`, { retriable: true, details: { tsaUrl: opts.url, status: res.status } });
  let body: Uint8Array;
  try {
    body = await readLimited(res, MAX_REPLY);
  } catch (e) {
    throw networkError(opts, e, timeout);
  }
  try {
    return await verifyTimestampResponse(body, { hash, imprint, nonce: req.nonce });
  } catch (e) {
    const se = e instanceof SignetError ? e : new SignetError('INTERNAL', `Time-stamp rejected: ${(e as Error).message}`);
    // Say which server; details.tsaUrl also tells the batch that the TSA, not the file, failed.
    throw new SignetError(se.code, `${se.message} (timestamp server ${url.origin})`, { cause: e, details: { ...se.details, tsaUrl: opts.url } });
  }
}

async function readLimited(res: Response, max: number): Promise<Uint8Array> {
  const len = Number(res.headers.get('content-length') ?? '0');
  if (len > max) throw new SignetError('INTERNAL', `The timestamp reply is too large (${len} bytes)`, { details: { tsaUrl: res.url } });
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.length > max) throw new SignetError('INTERNAL', `The timestamp reply is too large (${buf.length} bytes)`, { details: { tsaUrl: res.url } });
  return buf;
}

function networkError(opts: TsaOptions, e: unknown, timeout: AbortSignal): SignetError {
  if (e instanceof SignetError) return e;
  if (opts.signal?.aborted) {
    const r: unknown = opts.signal.reason;
    return r instanceof SignetError ? r : new SignetError('USER_CANCELLED', 'Cancelled');
  }
  if (timeout.aborted) return new SignetError('TIMEOUT', `The timestamp server ${opts.url} did not answer in time`, { details: { tsaUrl: opts.url } });
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e as Error).message;
  return new SignetError('INTERNAL', `The timestamp server ${opts.url} cannot be reached (${why})`, { cause: e, retriable: true, details: { tsaUrl: opts.url } });
}
