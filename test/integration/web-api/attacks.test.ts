/**
 * Issue 10: a hostile page must not block, flood or freeze Signet for the others. Each attack
 * runs against the real server on 127.0.0.1 with bounded loops that stop by themselves; after it,
 * a policy-allowed origin must still get its answer (asserted answered; the elapsed time is only
 * compared with a generous bound — the figures are measured in bench/web-api-load.ts), memory must
 * stay bounded and refused keep-alive sockets must not break the next request.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentRequestView } from '../../../electron/api';
import { MemoryOriginStore } from '../../../electron/web-api/origins';
import { DEFAULT_CONNECTION_LIMITS } from '../../../electron/web-api/security/connections';
import { startWebApi, type StartWebApiOptions, type WebApiHandle } from '../../../electron/web-api/server';
import { autoConsent, errorOf, postDocument, request, type Reply } from './client';
import { makePki, SoftwareServices, type Pki } from './fixtures';

const ALLOWED = 'https://portal.example';
const NONCE = 'q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C=';
/** Generous: the requirement is 1 s; a loaded 2-core CI machine must not make this flaky. */
const ANSWER_BOUND_MS = 5_000;

let pki: Pki;
let api: WebApiHandle | undefined;
let services: SoftwareServices;

beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.cleanup());
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The server, with a "user" who approves the allowed site's requests and ignores everyone else's. */
async function start(opts: Partial<StartWebApiOptions> = {}): Promise<{ api: WebApiHandle; views: ConsentRequestView[] }> {
  services = new SoftwareServices(pki);
  api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore([ALLOWED]), ...opts });
  const views = autoConsent(api, (v) => (v.origin === ALLOWED ? { approve: true, ...(v.candidates?.[0] ? { certUri: v.candidates[0].uri } : {}) } : undefined));
  return { api, views };
}

/** The allowed site's certificate request: answered (200), and how long it took. */
async function allowedSiteIsAnswered(port: number): Promise<number> {
  const t0 = performance.now();
  const r = await request(port, { path: '/v1/certificate', body: {}, headers: { origin: ALLOWED } });
  const ms = performance.now() - t0;
  expect(r.status, r.text).toBe(200);
  expect(ms).toBeLessThan(ANSWER_BOUND_MS);
  return ms;
}

/** Fire-and-forget request that stays open until `signal` aborts; resolves with its reply or error. */
function held(port: number, origin: string, signal: AbortSignal, path = '/v1/authenticate'): Promise<Reply | Error> {
  return request(port, { path, body: path === '/v1/authenticate' ? { challengeNonce: NONCE } : {}, headers: { origin }, signal }).catch((e: Error) => e);
}

describe('attack 1: fill the consent queue', () => {
  it('16 subdomains of one domain hold 2 slots; 20 domains fill only the unknown lane; the allowed site is shown and answered', async () => {
    const { api, views } = await start();
    const stop = new AbortController();
    const sameDomain = Array.from({ length: 16 }, (_, i) => held(api.port, `https://a${i + 1}.evil.example`, stop.signal));
    await expect.poll(() => api.consent.size).toBe(2);
    const manyDomains = Array.from({ length: 20 }, (_, i) => held(api.port, `https://evil${i + 1}.example`, stop.signal));
    await expect.poll(() => api.consent.size).toBe(8);
    // The refused ones were told at once (nothing waits unbounded).
    const refused = (await Promise.all([...sameDomain, ...manyDomains].map((p) => Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), 300))])))).filter(
      (r): r is Reply => typeof r === 'object' && !(r instanceof Error),
    );
    expect(refused.length).toBe(36 - 8);
    for (const r of refused) expect(errorOf(r).details).toMatchObject({ reason: 'queue-full' });

    await allowedSiteIsAnswered(api.port);
    expect(views.some((v) => v.origin === ALLOWED)).toBe(true);
    stop.abort();
    await Promise.all([...sameDomain, ...manyDomains]);
    await expect.poll(() => api.consent.size).toBe(0);
  });

  it('an allowed request steps a shown first contact back (it is shown again later, under a new id)', async () => {
    const { api } = await start();
    const shown: ConsentRequestView[] = [];
    const dismissed: { requestId: string; reason: string }[] = [];
    api.consent.on('request', (v) => shown.push(v));
    api.consent.on('dismiss', (d) => dismissed.push(d));
    const stop = new AbortController();
    const attacker = held(api.port, 'https://evil.example', stop.signal);
    await expect.poll(() => shown.length).toBe(1);
    await allowedSiteIsAnswered(api.port);
    expect(dismissed[0]).toEqual({ requestId: shown[0]!.requestId, reason: 'preempted' });
    await expect.poll(() => shown.length).toBe(3);
    expect(shown[2]!.origin).toBe('https://evil.example');
    expect(shown[2]!.requestId).not.toBe(shown[0]!.requestId);
    stop.abort();
    await attacker;
  });
});

describe('attack 2: exhaust connections', () => {
  it('261 requests from 9 sites left waiting and 560 silent sockets: the allowed site is still answered', async () => {
    const { api } = await start();
    const stop = new AbortController();
    const waiting: Promise<Reply | Error>[] = [];
    let settled = 0;
    // Distinct origins (one pending request per origin is already the rule), nine registrable domains.
    for (let s = 0; s < 9; s++) {
      for (let i = 0; i < 29; i++) {
        const p = held(api.port, `https://o${i}.attacker${s}.example`, stop.signal, i % 2 ? '/v1/authenticate' : '/v1/certificate');
        waiting.push(p.finally(() => settled++));
      }
    }
    const silent: net.Socket[] = [];
    for (let i = 0; i < 560; i++) {
      const s = net.connect(api.port, '127.0.0.1');
      s.on('error', () => undefined);
      silent.push(s);
    }
    // Let the wave land and age past the server's grace for silent sockets, then wait for the
    // sweeper to shed them below its threshold: on a loaded 2-core machine the worker may still be
    // accepting the wave after a fixed delay, and a request arriving at the hard limit is dropped
    // by Node unseen (that is the limit's job; the sweep is what makes room again).
    await new Promise((r) => setTimeout(r, 1_600));
    expect(api.load().connections).toBeLessThanOrEqual(DEFAULT_CONNECTION_LIMITS.maxConnections);
    await expect.poll(() => api.load().connections, { timeout: 15_000 }).toBeLessThanOrEqual(DEFAULT_CONNECTION_LIMITS.shedAbove);
    await allowedSiteIsAnswered(api.port);
    const status = await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } });
    expect(status.status).toBe(200);
    // Meanwhile the attackers held at most their in-flight caps (4 per registrable domain); the
    // rest were refused at once or, past the server's socket limit, dropped.
    await expect.poll(() => 261 - settled, { timeout: 15_000 }).toBeLessThanOrEqual(9 * 4);
    stop.abort();
    for (const s of silent) s.destroy();
    const outcomes = await Promise.all(waiting);
    // Over their caps the attackers were refused at once (in-flight cap: socket closed; consent
    // queue: at most two per registrable domain); only a handful per domain were held.
    const replies = outcomes.filter((r): r is Reply => !(r instanceof Error));
    const reasons = replies.map((r) => String(errorOf(r).details?.['reason']));
    expect(reasons.filter((r) => !['busy', 'queue-full'].includes(r))).toEqual([]);
    expect(replies.filter((r) => errorOf(r).details?.['reason'] === 'busy').filter((r) => r.headers['connection'] !== 'close').map((r) => r.headers)).toEqual([]);
  });

  it('slowloris: sockets that dribble their headers are closed by headersTimeout, checked every interval', async () => {
    const { api } = await start({ timeouts: { headersTimeout: 400, requestTimeout: 800, connectionsCheckingInterval: 100 } });
    const slow = Array.from({ length: 50 }, () => {
      const s = net.connect(api.port, '127.0.0.1', () => s.write('GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      s.on('error', () => undefined);
      const closed = new Promise<void>((r) => s.on('close', () => r()));
      const drip = setInterval(() => s.writable && s.write('X-Slow: 1\r\n'), 100);
      return { s, closed, drip };
    });
    await Promise.all(slow.map((x) => x.closed));
    for (const x of slow) clearInterval(x.drip);
    await allowedSiteIsAnswered(api.port);
  });
});

describe('attack 3: flicker', () => {
  it('"ask, then abandon after 250 ms" in a loop: two prompts, one window raise, then a cooldown', async () => {
    const attention: string[] = [];
    const { api } = await start({ consent: { onAttention: (v) => attention.push(v.origin) } });
    let shown = 0;
    api.consent.on('request', () => shown++);
    const outcomes: string[] = [];
    const until = Date.now() + 6_000;
    for (let i = 0; i < 40 && Date.now() < until; i++) {
      const c = new AbortController();
      const r = held(api.port, `https://f${i}.flicker.example`, c.signal);
      await new Promise((res) => setTimeout(res, 250));
      c.abort();
      const o = await r;
      outcomes.push(o instanceof Error ? 'abandoned' : String(errorOf(o).details?.['reason'] ?? errorOf(o).code));
    }
    // Two prompts shown (the lane pauses a second after the first abandon, so the requests in
    // between were withdrawn unseen); the second abandon puts the domain in a cooldown.
    expect(shown).toBe(2);
    expect(attention).toHaveLength(1);
    const cooled = outcomes.indexOf('origin-denied');
    expect(cooled).toBeGreaterThan(0);
    expect(cooled).toBeLessThan(10);
    expect(outcomes.slice(cooled).every((o) => o === 'origin-denied')).toBe(true);
    await allowedSiteIsAnswered(api.port);
  });

  it('20 domains flickering together: raises stay rate-limited, the allowed site is answered', async () => {
    const attention: number[] = [];
    const { api } = await start({ consent: { onAttention: () => attention.push(Date.now()) } });
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, async (_, d) => {
        for (let i = 0; i < 3; i++) {
          const c = new AbortController();
          const r = held(api.port, `https://x${i}.flicker${d}.example`, c.signal);
          await new Promise((res) => setTimeout(res, 250));
          c.abort();
          await r;
        }
      }),
    );
    const elapsed = Date.now() - t0;
    // At most one raise per 3 s overall (plus the first).
    expect(attention.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 3_000));
    for (let i = 1; i < attention.length; i++) expect(attention[i]! - attention[i - 1]!).toBeGreaterThanOrEqual(2_990);
    await allowedSiteIsAnswered(api.port);
  });
});

describe('attack 4: freeze the API with large uploads', () => {
  it('ten 30 MB posts from an allowed site: at most its budget is read, status stays answered, memory bounded', async () => {
    const { api } = await start({ settings: () => ({ maxDocumentBytes: 32 * 1024 * 1024 }) });
    const doc = Buffer.alloc(30 * 1024 * 1024, 0x41);
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const uploads = Array.from({ length: 10 }, () => postDocument(api.port, ALLOWED, 'big.txt', doc, 'cades').catch((e: Error) => e));
    const statusTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const r = await request(api.port, { path: '/v1/status', headers: { origin: 'https://other-allowed.example' } });
      expect([200, 429]).toContain(r.status);
      statusTimes.push(performance.now() - t);
    }
    const results = await Promise.all(uploads);
    clearInterval(sampler);
    const replies = results.filter((r): r is Reply => !(r instanceof Error));
    // Two fit the site's budget (the first is shown and approved, the second waits behind it or
    // is refused as pending); the others are refused before their body is read.
    const reasons = replies.map((r) => (r.status === 200 ? 'signed' : String(errorOf(r).details?.['reason'])));
    expect(reasons.filter((r) => r === 'signed').length).toBeGreaterThanOrEqual(1);
    expect(reasons.filter((r) => r === 'busy').length).toBeGreaterThanOrEqual(7);
    expect(Math.max(...statusTimes)).toBeLessThan(ANSWER_BOUND_MS);
    // The documents went to disk: far below the 437 MB growth measured before.
    expect(peak - rss0).toBeLessThan(200 * 1024 * 1024);
    await expect.poll(() => api.load().uploadBytes).toBe(0);
    await allowedSiteIsAnswered(api.port);
  });
});

describe('attack 5: connection handling', () => {
  it('refusals with unread bodies say Connection: close; 40 follow-ups on a keep-alive agent all succeed', async () => {
    const { api } = await start({ rateLimit: { burst: 1000, perSecond: 1000 } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const send = (body: string, type: string): Promise<{ status: number; connection: string | undefined }> =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: api.port, method: 'POST', path: '/v1/authenticate', agent, headers: { host: `127.0.0.1:${api.port}`, origin: ALLOWED, 'content-type': type } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers['connection'] }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    let errors = 0;
    for (let i = 0; i < 40; i++) {
      try {
        const refused = await send('x'.repeat(100_000), 'text/plain');
        expect(refused).toEqual({ status: 415, connection: 'close' });
        const next = await send(JSON.stringify({ challengeNonce: 'short' }), 'application/json');
        expect(next.status).toBe(400); // schema refusal, body read: the connection may stay
        expect(next.connection).not.toBe('close');
      } catch (e) {
        if (e instanceof Error && 'code' in e) errors++;
        else throw e;
      }
    }
    agent.destroy();
    expect(errors).toBe(0);
  });

  it('pipelined requests are answered in order; a refused one is answered after the valid one, then the socket closes', async () => {
    const { api } = await start();
    const host = `Host: 127.0.0.1:${api.port}\r\nOrigin: ${ALLOWED}\r\n`;
    const valid = `GET /v1/status HTTP/1.1\r\n${host}\r\n`;
    const refused = `POST /v1/authenticate HTTP/1.1\r\n${host}Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello`;
    const text = await new Promise<string>((resolve, reject) => {
      const s = net.connect(api.port, '127.0.0.1', () => s.write(valid + refused + valid));
      const chunks: Buffer[] = [];
      s.on('data', (c) => chunks.push(c));
      s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      s.on('error', reject);
      setTimeout(() => s.destroy(), 3_000).unref();
    });
    // The refusal did not read its body, so it closes the connection after it, in order; the
    // third request is not answered (the client sees the close and resends it).
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '415']);
    expect(text).toContain('"allowed":true');
    expect(text.split('HTTP/1.1 415')[1]!.toLowerCase()).toContain('connection: close');
    // Same with a large body still on the wire: the client reads the refusal, not a reset.
    const big = `POST /v1/authenticate HTTP/1.1\r\n${host}Content-Type: text/plain\r\nContent-Length: 900000\r\n\r\n`;
    const text2 = await new Promise<string>((resolve, reject) => {
      const s = net.connect(api.port, '127.0.0.1', () => s.write(valid + big));
      const chunks: Buffer[] = [];
      s.on('data', (c) => chunks.push(c));
      s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      s.on('error', reject);
      setTimeout(() => s.destroy(), 5_000).unref();
    });
    expect([...text2.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1])).toEqual(['200', '415']);
    expect(text2.toLowerCase()).toContain('connection: close');
  });
});

describe('item 6: what a page learns before it is allowed', () => {
  it('presence only: no version, no token state, no prompt — whatever it asks', async () => {
    const { api, views } = await start();
    const origin = 'https://prober.example';
    const replies = [
      await request(api.port, { path: '/v1/status', headers: { origin } }),
      await request(api.port, { method: 'OPTIONS', path: '/v1/sign', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }),
      await request(api.port, { path: '/v1/nothing', headers: { origin } }),
      await request(api.port, { path: '/v1/sign', body: { hash: 'x' }, headers: { origin } }),
    ];
    expect(replies[0]!.json).toEqual({ app: 'signet', apiVersion: 1, allowed: false });
    for (const r of replies) {
      expect(r.text).not.toContain(services.appVersion);
      expect(r.text).not.toContain('tokenPresent');
      expect(JSON.stringify(r.headers)).not.toContain(services.appVersion);
    }
    services.tokenInserted = false;
    expect((await request(api.port, { path: '/v1/status', headers: { origin } })).text).toBe(replies[0]!.text);
    expect(views).toHaveLength(0);
  });
});
