/** Reads a JSON request body with a hard byte limit (checked on Content-Length and while reading). */
import type { IncomingMessage } from 'node:http';
import { refusal } from './errors';

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    // Also keeps "simple" cross-site POSTs (text/plain, forms) from reaching a route unpreflighted.
    throw refusal('INVALID_INPUT', 'unsupported-media-type', 'The body must be JSON (Content-Type: application/json).');
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw refusal('INVALID_INPUT', 'body-too-large', `The request is larger than ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw refusal('INVALID_INPUT', 'body-too-large', `The request is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw refusal('INVALID_INPUT', 'body-malformed', 'The body is not valid JSON.');
  }
}
