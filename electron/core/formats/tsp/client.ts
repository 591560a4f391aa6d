/**
 * RFC 3161 §3.4 time-stamp protocol over HTTP: POST application/timestamp-query, answer
 * application/timestamp-reply. The response is checked (verify-token.ts) before anything uses it.
 */
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import { hashBytes } from '../../hashing';
import { fetchBytes } from '../../net/fetch-bytes';
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
  // fetchBytes: proxies from the environment, one connection per request (net/fetch-bytes.ts).
  const body = await fetchBytes(opts.url, {
    method: 'POST',
    body: req.der,
    contentType: 'application/timestamp-query',
    accept: 'application/timestamp-reply',
    what: 'timestamp server',
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxBytes: MAX_REPLY,
    followRedirects: false,
    details: { tsaUrl: opts.url },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    return await verifyTimestampResponse(body, { hash, imprint, nonce: req.nonce });
  } catch (e) {
    const se = e instanceof SignetError ? e : new SignetError('INTERNAL', `Time-stamp rejected: ${(e as Error).message}`);
    // Say which server; details.tsaUrl also tells the batch that the TSA, not the file, failed.
    throw new SignetError(se.code, `${se.message} (timestamp server ${url.origin})`, { cause: e, details: { ...se.details, tsaUrl: opts.url } });
  }
}
