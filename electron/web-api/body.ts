/**
 * Reads a JSON request body with a hard byte limit (checked on Content-Length and while reading).
 * The body is read with 'data' events, not `for await`: leaving an async iterator early destroys
 * the request and with it the socket, and the refusal would never reach the client.
 */
import type { IncomingMessage } from 'node:http';
import { SignetError } from '../../native/errors';
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
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(refusal('INVALID_INPUT', 'body-too-large', `The request is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onClose = (): void => {
      cleanup();
      reject(new SignetError('USER_CANCELLED', 'The page went away while sending its request.'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw refusal('INVALID_INPUT', 'body-malformed', 'The body is not valid JSON.');
  }
}
