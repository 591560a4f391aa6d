/**
 * The loopback web API server (plain Node http on 127.0.0.1). Every request goes through the
 * same gate, in this order, before any route touches core:
 *
 *   1. Host is exactly 127.0.0.1:PORT or localhost:PORT  (DNS rebinding)
 *   2. Origin is present, one value, a serialised https origin (http loopback only with the
 *      developer setting)
 *   3. path and method exist (no prompt for junk paths)
 *   4. the origin's lane: 'allowed' (admin policy, remembered, this session) or 'unknown' (first
 *      contact); rate limit (per origin / per registrable domain) and in-flight caps
 *      (security/connections.ts) — over a cap the request is refused and its socket closed
 *   5. preflight (OPTIONS): CORS + Private Network Access headers
 *   6. refusals known without reading the body: a cooldown, a consent already pending
 *   7. the route reads its input through the context (strict JSON schema, or a document streamed
 *      to a private file within the origin's byte budget), asks the user — a first contact's
 *      question also allows the site — and only then looks at the cards and signs.
 *
 * What a page learns before it is allowed (docs/web-api.md): only that Signet answers here and
 * speaks v1. Nothing before the user's answer depends on cards, certificates or the app's
 * version, so answers to valid routes carry CORS headers for every https origin; an origin the
 * user refused is in a cooldown (ORIGIN_NOT_ALLOWED).
 *
 * Connection handling (http/reply.ts): answers after which the socket closes say so; pipelined
 * requests are answered in order; Node's timeouts are tight enough that idle or slow sockets
 * cannot hold the server (headers within 5 s, whole request within 60 s, checked every second).
 */
import { unlink } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignetError } from '../../native/errors';
import type { ConsentDecision } from '../api';
import { readJsonBody } from './body';
import { ConsentBroker, type ConsentBrokerOptions, type ConsentPort } from './consent/broker';
import { refusal } from './errors';
import { BASE_HEADERS, sendError, sendFile, sendJson } from './http/reply';
import { MemoryOriginStore, OriginPolicy, type OriginStore } from './origins';
import { API_VERSION, DEFAULT_API_PORT, SIGN_DOCUMENT_CONTENT_TYPE, type StatusPresence } from './protocol';
import { routeOf } from './routes';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './routes/sign-document';
import { consentDenied, isFileReply, parseWith, type RequestInput, type RouteContext, type WebApiSettings } from './routes/route';
import { ConnectionGuard, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './security/connections';
import { corsHeaders, preflightHeaders } from './security/cors';
import { checkHost } from './security/host';
import { checkOrigin } from './security/origin';
import { RateLimiter, type RateLimitOptions } from './security/rate-limit';
import { siteOf } from './security/site';
import type { WebApiServices } from './services';
import { ByteBudget } from './upload/budget';
import { SpoolDir, spoolBody, type SpooledDocument } from './upload/spool';

export interface StartWebApiOptions {
  services: WebApiServices;
  /** Admin-policy and remembered origins (the app passes one backed by config). Default: empty, in memory. */
  origins?: OriginStore;
  /** Default DEFAULT_API_PORT; 0 = any free port (tests). Always bound to 127.0.0.1. */
  port?: number;
  /** Live settings (read on every request, so Settings changes apply at once). */
  settings?: () => Partial<WebApiSettings>;
  /** The consent queue to ask through (the app's broker, or its proxy in the API's worker).
   *  Default: a new ConsentBroker with `consent` options. */
  broker?: ConsentPort;
  /** Options of the default broker: timeout, bounds, cooldowns, onAttention. */
  consent?: ConsentBrokerOptions;
  /** Per-origin (allowed) / per-registrable-domain (unknown) rate limit. Default: burst 30, 5 per second. */
  rateLimit?: RateLimitOptions;
  /** Connection and in-flight caps (tests make them small). */
  connections?: Partial<ConnectionLimits>;
  /** Node server timeouts (tests make them small). */
  timeouts?: Partial<ServerTimeouts>;
  /** One line per request (method, path, origin, status). Never bodies. */
  log?: (line: string) => void;
}

export interface ServerTimeouts {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
}

/**
 * Browsers send request headers at once and loopback bodies arrive fast: a socket that took 5 s
 * for its headers, or 60 s for a whole (≤ 25 MB) request, is holding the server, not using it.
 * Node checks these every `connectionsCheckingInterval` (its default, 30 s, let a wave of slow
 * sockets lock everyone out for half a minute). Idle keep-alive sockets go after 5 s. There is no
 * socket inactivity timeout: a request legitimately waits minutes for the user's answer.
 */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersTimeout: 5_000, requestTimeout: 60_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 };

export interface WebApiHandle {
  port: number;
  /** e.g. http://127.0.0.1:24811 */
  url: string;
  /** The default broker (when none was passed): the UI listens to 'request' / 'dismiss' and calls respond(). */
  consent: ConsentBroker;
  /** The origin allow-list (revoke() when the user revokes an origin in Settings). */
  origins: OriginPolicy;
  /** Open sockets and upload bytes in flight (tests, diagnostics). */
  load(): { connections: number; uploadBytes: number };
  close(): Promise<void>;
}

/** Headers a page may read on a signed document's answer. */
const EXPOSED_HEADERS = 'Signet-Name, Signet-Format, Signet-Certificate';

export async function startWebApi(options: StartWebApiOptions): Promise<WebApiHandle> {
  const ownBroker = options.broker === undefined ? new ConsentBroker(options.consent) : undefined;
  const consent: ConsentPort = options.broker ?? (ownBroker as ConsentBroker);
  const policy = new OriginPolicy(options.origins ?? new MemoryOriginStore());
  const limiter = new RateLimiter(options.rateLimit ?? { burst: 30, perSecond: 5 });
  const settings = (): WebApiSettings => ({
    maxDocumentBytes: DEFAULT_MAX_DOCUMENT_BYTES,
    allowHttpLocalhost: false,
    ...options.settings?.(),
  });
  // Upload budgets: two documents in flight per origin (allowed) or registrable domain (first
  // contacts), eight overall.
  const uploads = new ByteBudget(() => 2 * settings().maxDocumentBytes, () => 8 * settings().maxDocumentBytes);
  const spool = await SpoolDir.create();
  const log = options.log ?? (() => undefined);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  let port = 0;

  const server = http.createServer({ connectionsCheckingInterval: timeouts.connectionsCheckingInterval }, (req, res) => {
    handle(req, res).catch((e: unknown) => sendError(req, res, e));
  });
  server.headersTimeout = timeouts.headersTimeout;
  server.requestTimeout = timeouts.requestTimeout;
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  server.timeout = 0;
  const guard = new ConnectionGuard(server, { ...DEFAULT_CONNECTION_LIMITS, ...options.connections });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ended = guard.requestStarted(req.socket);
    const controller = new AbortController();
    const cleanups: (() => void | Promise<void>)[] = [];
    res.on('close', () => {
      ended();
      if (!res.writableFinished) controller.abort();
      for (const c of cleanups.splice(0)) void Promise.resolve(c()).catch(() => undefined);
    });
    const path = (req.url ?? '').split('?')[0] ?? '';
    const method = req.method ?? '';
    res.on('finish', () => log(`${method} ${path} origin=${req.headers.origin ?? '-'} ${res.statusCode}`));
    // CORS once the origin is a valid https origin on a real route: nothing said before the
    // user's answer is secret (see the header comment).
    let cors: Record<string, string> = {};
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
      cors = corsHeaders(origin);

      const lane = policy.laneOf(origin);
      const wait = limiter.take(lane === 'allowed' ? origin : `site:${siteOf(origin)}`);
      if (wait > 0) {
        throw new SignetError('INVALID_INPUT', 'Too many requests from this site; slow down.', {
          retriable: true,
          details: { reason: 'rate-limited', retryAfterMs: wait },
        });
      }
      const release = guard.acquire(origin, lane);
      if (release === undefined) {
        return sendError(req, res, refusal('INVALID_INPUT', 'busy', 'Signet is busy with other requests from this site; try again in a moment.', true), { headers: cors, close: true });
      }
      cleanups.push(release);

      if (isPreflight) {
        const headers = preflightHeaders(req, origin, route.method);
        if (headers === null) throw refusal('INVALID_INPUT', 'method-not-allowed', 'The preflight asks for a method or header Signet does not accept.');
        res.writeHead(204, { ...BASE_HEADERS, ...headers, 'Content-Length': '0' });
        res.end();
        return;
      }

      if (path === '/v1/status' && lane === 'unknown') {
        // The presence probe: no prompt, no version, no token state (docs/web-api.md).
        const presence: StatusPresence = { app: 'signet', apiVersion: API_VERSION, allowed: false };
        if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') throw new SignetError('INVALID_INPUT', 'GET /v1/status takes no body.');
        return sendJson(req, res, 200, presence, { headers: cors });
      }

      if (route.method === 'POST') {
        const refused = consent.refusalFor(origin, lane);
        if (refused) throw refused;
        if (consent.hasPending(origin)) {
          throw refusal('INVALID_INPUT', 'consent-pending', 'Another request from this site is already waiting for your answer in Signet.', true);
        }
      }

      const budgetKey = lane === 'allowed' ? origin : `site:${siteOf(origin)}`;
      const input: RequestInput = {
        json: async (schema, maxBytes) => parseWith(schema, await readJsonBody(req, maxBytes)),
        none: () => {
          if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') throw new SignetError('INVALID_INPUT', `${method} ${path} takes no body.`);
          if (req.headers['transfer-encoding'] !== undefined) throw new SignetError('INVALID_INPUT', `${method} ${path} takes no body.`);
        },
        query: () => queryOf(req.url ?? ''),
        document: async (limit) => {
          const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
          if (type !== SIGN_DOCUMENT_CONTENT_TYPE) {
            throw refusal('INVALID_INPUT', 'unsupported-media-type', `The document must be sent as the body (Content-Type: ${SIGN_DOCUMENT_CONTENT_TYPE}).`);
          }
          const declared = req.headers['content-length'];
          if (declared === undefined) throw refusal('INVALID_INPUT', 'length-required', 'The document must be sent with a Content-Length.');
          const size = Number(declared);
          if (!Number.isSafeInteger(size) || size < 0) throw refusal('INVALID_INPUT', 'body-malformed', 'The Content-Length is not a number.');
          if (size > limit) throw refusal('INVALID_INPUT', 'body-too-large', `The document is larger than ${limit} bytes.`);
          if (size === 0) throw new SignetError('INVALID_INPUT', 'The document is empty.');
          if (!uploads.reserve(budgetKey, size)) {
            throw refusal('INVALID_INPUT', 'busy', 'Signet is receiving other documents from this site; try again in a moment.', true);
          }
          cleanups.push(() => uploads.release(budgetKey, size));
          const file = spool.file();
          const doc: SpooledDocument = await spoolBody(req, file, Math.min(limit, size));
          cleanups.push(() => unlink(doc.path).catch(() => undefined));
          return doc;
        },
      };

      const ctx: RouteContext = {
        origin,
        lane,
        input,
        services: options.services,
        settings: s,
        signal: controller.signal,
        ask: async (what, refusedWhat, askOptions = {}): Promise<ConsentDecision> => {
          const firstContact = lane === 'unknown';
          const decision = await consent.ask({ ...what, origin, ...(firstContact ? { firstContact } : {}) }, { lane, signal: controller.signal, ...askOptions });
          if (!decision.approve) throw consentDenied(refusedWhat);
          if (firstContact) await policy.grant(origin, decision.remember === true);
          return decision;
        },
        tempFile: (suffix) => {
          const file = spool.file(suffix);
          cleanups.push(() => unlink(file).catch(() => undefined));
          return file;
        },
      };
      const value = await route.handle(ctx);
      if (isFileReply(value)) await sendFile(req, res, value, { headers: { ...cors, 'Access-Control-Expose-Headers': EXPOSED_HEADERS } });
      else sendJson(req, res, 200, value, { headers: cors });
    } catch (e) {
      sendError(req, res, e, { headers: cors });
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
    get consent(): ConsentBroker {
      const b = ownBroker ?? options.broker;
      if (!(b instanceof ConsentBroker)) throw new Error('this API asks through a remote consent queue');
      return b;
    },
    origins: policy,
    load: () => ({ connections: guard.connections, uploadBytes: uploads.inUse }),
    close: async () => {
      ownBroker?.cancelAll();
      guard.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await spool.dispose();
    },
  };
}

/** The query string as single-valued parameters (a repeated name is refused). */
function queryOf(url: string): Record<string, string> {
  const q = url.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    if (Object.prototype.hasOwnProperty.call(out, k)) throw new SignetError('INVALID_INPUT', `The query parameter ${JSON.stringify(k.slice(0, 40))} is repeated.`, { details: { reason: 'schema' } });
    out[k] = v;
  }
  return out;
}
