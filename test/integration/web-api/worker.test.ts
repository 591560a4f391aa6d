/**
 * The web API as the app runs it: the server in a worker thread (dist/web-api-worker.js, built by
 * the global setup), the consent queue, services and settings on this thread, across the worker
 * RPC (electron/web-api/worker). Checks each crossing: services, consent with its abort, the
 * document text read back from the worker's spool, cooldowns and remembered origins pushed to the
 * worker, and that a closed worker frees the port.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentRequestView } from '../../../electron/api';
import { ConsentBroker } from '../../../electron/web-api/consent/broker';
import { MemoryOriginStore } from '../../../electron/web-api/origins';
import { startWebApiWorker, type WebApiWorkerHandle } from '../../../electron/web-api/worker/host';
import { errorOf, postDocument, request } from './client';
import { makePki, SoftwareServices, type Pki } from './fixtures';

const ALLOWED = 'https://portal.example';
let pki: Pki;
let api: WebApiWorkerHandle | undefined;
let broker: ConsentBroker;
let store: MemoryOriginStore;
let services: SoftwareServices;
const listeners: (() => void)[] = [];

beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.cleanup());
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(): Promise<WebApiWorkerHandle> {
  services = new SoftwareServices(pki);
  broker = new ConsentBroker({ timeoutMs: 20_000 });
  store = new MemoryOriginStore([ALLOWED]);
  api = await startWebApiWorker({
    services,
    origins: store,
    broker,
    port: 0,
    settings: () => ({}),
    onConfigChange: (l) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
  });
  return api;
}

const next = (): Promise<ConsentRequestView> => new Promise((resolve) => broker.once('request', resolve));

describe('web API in its worker thread', () => {
  it('answers status from the worker with the main thread’s services', async () => {
    const api = await start();
    expect((await request(api.port, { path: '/v1/status', headers: { origin: ALLOWED } })).json).toEqual({ app: 'signet', apiVersion: 1, allowed: true, version: '0.1.0-test', tokenPresent: true });
    expect((await request(api.port, { path: '/v1/status', headers: { origin: 'https://new.example' } })).json).toEqual({ app: 'signet', apiVersion: 1, allowed: false });
  });

  it('signs a document spooled in the worker; the main thread reads more of its text while it is shown', async () => {
    const api = await start();
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}\n`).join('');
    const shown = next();
    const reply = postDocument(api.port, ALLOWED, 'long.txt', Buffer.from(text), 'cades');
    const view = await shown;
    expect(view.document).toMatchObject({ name: 'long.txt', size: text.length, sha256: createHash('sha256').update(text).digest('hex') });
    expect(view.document!.previewBytes).toBeLessThan(text.length);
    const rest = await broker.documentText(view.requestId, view.document!.previewBytes!);
    expect(view.document!.previewText! + rest.text).toBe(text.slice(0, rest.nextOffset));
    expect(broker.respond(view.requestId, { approve: true, certUri: view.candidates!.find((c) => c.label === 'sign-rsa')!.uri }).ok).toBe(true);
    const r = await reply;
    expect(r.status).toBe(200);
    expect(r.headers['signet-name']).toBe('long.txt.p7s');
    expect(services.calls.map((c) => c.digestHex)).toEqual([createHash('sha256').update(text).digest('hex')]);
  });

  it('a page that goes away withdraws its prompt (the abort crosses to the main thread)', async () => {
    const api = await start();
    const shown = next();
    const dismissed = new Promise((resolve) => broker.once('dismiss', resolve));
    const c = new AbortController();
    const r = request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: ALLOWED }, signal: c.signal }).catch((e: Error) => e);
    await shown;
    c.abort();
    expect(await dismissed).toMatchObject({ reason: 'cancelled' });
    expect(await r).toBeInstanceOf(Error);
  });

  it('a denied first contact cools the domain down in the worker too; "remember" reaches the main thread’s store', async () => {
    const api = await start();
    let shown = next();
    const denied = request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://a.evil.example' } });
    broker.respond((await shown).requestId, { approve: false });
    expect(errorOf(await denied).code).toBe('CONSENT_DENIED');
    // Refused in the worker before its body is read, with no prompt.
    const again = await postDocument(api.port, 'https://b.evil.example', 'x.txt', Buffer.alloc(1000), 'cades');
    expect(errorOf(again).details).toMatchObject({ reason: 'origin-denied' });
    expect(broker.size).toBe(0);

    shown = next();
    const kept = request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://keep.example' } });
    const v = await shown;
    expect(v.firstContact).toBe(true);
    broker.respond(v.requestId, { approve: true, remember: true, certUri: v.candidates![0]!.uri });
    expect((await kept).status).toBe(200);
    expect(store.rememberedOrigins()).toContain('https://keep.example');
    // Revoked in Settings: pushed to the worker, the next request is a first contact again.
    store.remembered.delete('https://keep.example');
    for (const l of listeners) l();
    shown = next();
    const after = request(api.port, { path: '/v1/certificate', body: {}, headers: { origin: 'https://keep.example' } });
    expect((await shown).firstContact).toBe(true);
    broker.cancelAll();
    await after;
  });

  it('close() stops the worker and frees the port', async () => {
    const api = await start();
    const port = api.port;
    await api.close();
    await expect(request(port, { path: '/v1/status', headers: { origin: ALLOWED } })).rejects.toThrow();
  });
});
