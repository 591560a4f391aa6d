/**
 * The loopback web API server (plain Node http on 127.0.0.1). Every request goes through the
 * same gate, in this order, before any route touches core:
 *
 *   1. Host is exactly 127.0.0.1:PORT or localhost:PORT  (DNS rebinding)
 *   2. Origin is present, one value, a serialised https origin (http loopback only with the
 *      developer setting)
 *   3. path and method exist (no prompt for junk paths)
 *   4. per-origin rate limit
 *   5. the origin is allowed: admin policy, remembered, allowed this session — or the user is
 *      asked now ('allow-origin'); a preflight waits for that answer too
 *   6. preflight (OPTIONS): CORS + Private Network Access headers, allowed origins only
 *   7. Content-Type JSON, body limit, strict schema → route (which asks the user again for the
 *      operation itself, then signs)
 *
 * CORS headers are sent only once step 5 passed, so a refused page cannot read any answer.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignetError } from '../../native/errors';
import { readJsonBody } from './body';
import { ConsentBroker, type ConsentBrokerOptions } from './consent/broker';
import { errorBody, refusal } from './errors';
import { MemoryOriginStore, OriginPolicy, type OriginStore } from './origins';
import { DEFAULT_API_PORT } from './protocol';
import { routeOf } from './routes';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './routes/sign-document';
import type { WebApiSettings } from './routes/route';
import { corsHeaders, preflightHeaders } from './security/cors';
import { checkHost } from './security/host';
import { checkOrigin } from './security/origin';
import { RateLimiter, type RateLimitOptions } from './security/rate-limit';
import type { WebApiServices } from './services';

export interface StartWebApiOptions {
  services: WebApiServices;
  /** Admin-policy and remembered origins (the app passes one backed by config). Default: empty, in memory. */
  origins?: OriginStore;
  /** Default DEFAULT_API_PORT; 0 = any free port (tests). Always bound to 127.0.0.1. */
  port?: number;
  /** Live settings (read on every request, so Settings changes apply at once). */
  settings?: () => Partial<WebApiSettings>;
  /** Consent timeout / queue bound / onAttention (bring the window to the front). */
  consent?: ConsentBrokerOptions;
  /** Per-origin rate limit. Default: burst 30, 5 per second. */
  rateLimit?: RateLimitOptions;
  /** How long a refused origin stays refused. Default 60 s. */
  denyCooldownMs?: number;
  /** One line per request (method, path, origin, status). Never bodies. */
  log?: (line: string) => void;
}

export interface WebApiHandle {
  port: number;
  /** e.g. http://127.0.0.1:24811 */
  url: string;
  /** The consent queue: the UI listens to 'request' / 'dismiss' and calls respond(). */
  consent: ConsentBroker;
  /** The origin allow-list (revoke() when the user revokes an origin in Settings). */
  origins: OriginPolicy;
  close(): Promise<void>;
}

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
};

export async function startWebApi(options: StartWebApiOptions): Promise<WebApiHandle> {
  const broker = new ConsentBroker(options.consent);
  const policy = new OriginPolicy(options.origins ?? new MemoryOriginStore(), broker, options.denyCooldownMs);
  const limiter = new RateLimiter(options.rateLimit ?? { burst: 30, perSecond: 5 });
  const settings = (): WebApiSettings => ({
    maxDocumentBytes: DEFAULT_MAX_DOCUMENT_BYTES,
    allowHttpLocalhost: false,
    ...options.settings?.(),
  });
  const log = options.log ?? (() => undefined);
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, e, undefined));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  server.maxConnections = 256;

  function send(res: ServerResponse, result: unknown, origin: string | undefined, status = 200, extra: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const isError = result instanceof Error;
    const { status: s, body } = isError ? errorBody(result) : { status, body: result };
    const headers: Record<string, string> = { ...BASE_HEADERS, ...(origin !== undefined ? corsHeaders(origin) : {}), ...extra };
    if (isError && s === 429 && result instanceof SignetError && typeof result.details?.['retryAfterMs'] === 'number') {
      headers['Retry-After'] = String(Math.ceil(result.details['retryAfterMs'] / 1000));
    }
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(isError ? s : status, { ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const path = (req.url ?? '').split('?')[0] ?? '';
    const method = req.method ?? '';
    let allowedOrigin: string | undefined;
    res.on('finish', () => log(`${method} ${path} origin=${req.headers.origin ?? '-'} ${res.statusCode}`));
    try {
      if (!checkHost(req.headersDistinct.host, port)) {
        throw refusal('ORIGIN_NOT_ALLOWED', 'host-invalid', 'Signet answers only requests addressed to 127.0.0.1 or localhost.');
      }
      const s = settings();
      const o = checkOrigin(req.headersDistinct.origin, { allowHttpLocalhost: s.allowHttpLocalhost });
      if (!o.ok) throw refusal('ORIGIN_NOT_ALLOWED', o.reason, o.message);
      const origin = o.origin;

      const route = routeOf(path);
      if (route === undefined) throw refusal('INVALID_INPUT', 'not-found', `No such API: ${path.slice(0, 80)}`);
      const isPreflight = method === 'OPTIONS';
      if (!isPreflight && method !== route.method) {
        throw refusal('INVALID_INPUT', 'method-not-allowed', `${path} takes ${route.method}.`);
      }

      const wait = limiter.take(origin);
      if (wait > 0) {
        throw new SignetError('INVALID_INPUT', 'Too many requests from this site; slow down.', {
          retriable: true,
          details: { reason: 'rate-limited', retryAfterMs: wait },
        });
      }

      await policy.ensureAllowed(origin, controller.signal);
      allowedOrigin = origin;

      if (isPreflight) {
        const headers = preflightHeaders(req, origin, route.method);
        if (headers === null) throw refusal('INVALID_INPUT', 'method-not-allowed', 'The preflight asks for a method or header Signet does not accept.');
        res.writeHead(204, { ...BASE_HEADERS, ...headers, 'Content-Length': '0' });
        res.end();
        return;
      }

      let body: unknown;
      if (route.method === 'POST') body = await readJsonBody(req, route.maxBodyBytes(s));
      else if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') {
        throw new SignetError('INVALID_INPUT', `${method} ${path} takes no body.`);
      }
      const parsed = route.parse(body, s);
      const value = await route.handle(parsed, { origin, services: options.services, broker, settings: s, signal: controller.signal });
      send(res, value, allowedOrigin);
    } catch (e) {
      send(res, e, allowedOrigin);
      // An unread body would otherwise keep the connection busy; a refused upload is not read.
      if (!req.complete) req.socket.destroySoon?.();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_API_PORT, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    consent: broker,
    origins: policy,
    close: () =>
      new Promise<void>((resolve) => {
        broker.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
