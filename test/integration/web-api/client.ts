/** Raw HTTP for the security tests: every header under the test's control (Host, Origin, duplicates). */
import http from 'node:http';
import net from 'node:net';
import type { ConsentRequestView, ConsentDecision } from '../../../electron/api';
import type { WebApiHandle } from '../../../electron/web-api/server';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
  body: Buffer;
}

export interface Req {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: unknown;
  /** Raw body (no JSON encoding). */
  raw?: string | Buffer;
  signal?: AbortSignal;
}

export function request(port: number, r: Req): Promise<Reply> {
  const body = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
  const headers: Record<string, string | string[]> = { host: `127.0.0.1:${port}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? (body === undefined ? 'GET' : 'POST'), path: r.path, headers, agent: false, signal: r.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, body: raw });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A request written byte for byte (duplicate headers, no Host…); returns the status line and body. */
export function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(text));
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    s.on('error', reject);
  });
}

export function errorOf(r: Reply): { code: string; message: string; details?: Record<string, unknown> } {
  const e = (r.json as { error?: { code: string; message: string; details?: Record<string, unknown> } } | undefined)?.error;
  if (e === undefined) throw new Error(`not an error reply: ${r.status} ${r.text.slice(0, 200)}`);
  return e;
}

export type Responder = (view: ConsentRequestView) => ConsentDecision | undefined | Promise<ConsentDecision | undefined>;

/** Answers consent requests like a user would (undefined = leave it open). Returns the log of views. */
export function autoConsent(api: WebApiHandle, responder: Responder): ConsentRequestView[] {
  const seen: ConsentRequestView[] = [];
  api.consent.on('request', (view) => {
    seen.push(view);
    void Promise.resolve(responder(view)).then((d) => {
      if (d !== undefined) {
        const r = api.consent.respond(view.requestId, d);
        if (!r.ok) throw new Error(`respond refused: ${r.error.message}`);
      }
    });
  });
  return seen;
}

/** The usual user: picks the first candidate (or a named one), approves (a first contact too). */
export const approveAll =
  (pick?: (view: ConsentRequestView) => string | undefined): Responder =>
  (view) => {
    const certUri = view.operation === 'sign-hash' ? undefined : (pick?.(view) ?? view.candidates?.[0]?.uri);
    return { approve: true, ...(certUri !== undefined ? { certUri } : {}) };
  };

/** POST /v1/sign-document as the SDK sends it: the raw document, name and format in the query. */
export function postDocument(port: number, origin: string, name: string, content: Buffer, format: 'pades' | 'cades', extra: Partial<Req> = {}): Promise<Reply> {
  return request(port, {
    method: 'POST',
    path: `/v1/sign-document?${new URLSearchParams({ name, format }).toString()}`,
    raw: content,
    ...extra,
    headers: { origin, 'content-type': 'application/octet-stream', ...extra.headers },
  });
}
