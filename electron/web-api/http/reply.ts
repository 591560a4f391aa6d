/**
 * Writing answers so that HTTP/1.1 connection handling stays correct under refusals
 * (RFC 9112 §9.3, §9.6; issue 10 item 5):
 *
 * - An answer after which the socket will be closed says `Connection: close`. That is the case
 *   whenever the request body was not read to its end (a refusal before or while reading it):
 *   the rest of the body is still on the wire, so the connection cannot carry another request.
 * - Such a socket is never destroyed while earlier answers on it are pending: Node writes
 *   pipelined answers in request order and closes after the one marked `close` (later pipelined
 *   requests are then not answered; the client sees the close and resends them elsewhere).
 * - Closing after an unread body half-closes and keeps discarding what the client still sends
 *   for a moment ("lingering close"), so the client reads the refusal instead of a TCP reset.
 */
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { SignetError } from '../../../native/errors';
import { errorBody } from '../errors';
import type { FileReply } from '../routes/route';

export const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
} as const;

/** How long a closing socket keeps discarding a body the client is still sending. */
const LINGER_MS = 2_000;

/** Whether the connection can carry another request after this answer. */
function mustClose(req: IncomingMessage, force: boolean): boolean {
  return force || !req.complete;
}

/**
 * After the answer, end our side and drain the client's for up to LINGER_MS, then destroy.
 * Node calls `socket.destroySoon()` after an answer marked `Connection: close`; this replaces it
 * for this socket only.
 */
function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  if (req.complete) return;
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
  };
  req.resume();
}

export interface ReplyOptions {
  /** CORS and other extra headers. */
  headers?: Record<string, string>;
  /** Close the connection after this answer even if the body was read (e.g. a refused socket). */
  close?: boolean;
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, opts: ReplyOptions = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  const close = mustClose(req, opts.close === true);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    ...opts.headers,
    'Content-Length': String(Buffer.byteLength(text)),
    ...(close ? { Connection: 'close' } : {}),
  });
  if (close) lingerOnClose(req);
  res.end(text);
}

export function sendError(req: IncomingMessage, res: ServerResponse, e: unknown, opts: ReplyOptions = {}): void {
  const { status, body } = errorBody(e);
  const headers: Record<string, string> = { ...opts.headers };
  if (e instanceof SignetError && typeof e.details?.['retryAfterMs'] === 'number') {
    headers['Retry-After'] = String(Math.max(1, Math.ceil(e.details['retryAfterMs'] / 1000)));
  }
  sendJson(req, res, status, body, { ...opts, headers });
}

/** Streams a file as the answer, then removes it. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: FileReply, opts: ReplyOptions = {}): Promise<void> {
  try {
    if (res.headersSent || res.destroyed) return;
    const { size } = await stat(file.path);
    const close = mustClose(req, opts.close === true);
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': file.contentType,
      ...opts.headers,
      ...file.headers,
      'Content-Length': String(size),
      ...(close ? { Connection: 'close' } : {}),
    });
    await pipeline(createReadStream(file.path), res);
  } finally {
    await unlink(file.path).catch(() => undefined);
  }
}
