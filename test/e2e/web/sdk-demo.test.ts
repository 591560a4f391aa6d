/**
 * The SDK and the demo site in a real Chromium against the real loopback API, with the token
 * side played by software keys (fixtures) and the user's consent answered by the test. This
 * proves the browser-facing behaviour: CORS, preflights held for the origin consent, the SDK's
 * error mapping (not running vs refused), the demo's verification, replay and other-origin
 * rejection. The full app flow (Signet's UI through the harness, PIN on SoftHSM2) is in
 * signet-flow.test.ts.
 *
 * Origins: the demo runs on http://localhost:PORT and the API has the developer setting
 * allowHttpLocalhost on — the same choice the full E2E makes (no self-signed TLS needed).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebApi, type WebApiHandle } from '../../../electron/web-api/server';
import { MemoryOriginStore } from '../../../electron/web-api/origins';
import type { ConsentRequestView } from '../../../electron/api';
import { startDemoSite, type DemoSite } from '../../../demo/web/site';
import { parsePemBundle } from '../../../demo/web/verifier';
import { makePki, SoftwareServices, type Pki } from '../../integration/web-api/fixtures';
import { approveAll, autoConsent, request, type Responder } from '../../integration/web-api/client';
import { buildSdk, launchChromium } from './browser';

let browser: Browser;
let pki: Pki;
let sdk: { path: string; cleanup(): void };
let api: WebApiHandle;
let site: DemoSite;
let services: SoftwareServices;
let page: Page;
let store: MemoryOriginStore;
/** The developer setting allowHttpLocalhost (the demo page is http://localhost). */
let devSetting = true;

beforeAll(async () => {
  [browser, sdk] = await Promise.all([launchChromium(), buildSdk()]);
  pki = makePki();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  sdk?.cleanup();
  pki?.cleanup();
});
afterEach(async () => {
  await page?.close();
  await site?.close();
  await api?.close();
});

async function setup(responder: Responder, opts: { allow?: boolean; pick?: string } = {}): Promise<ConsentRequestView[]> {
  services = new SoftwareServices(pki);
  store = new MemoryOriginStore([]);
  devSetting = true;
  api = await startWebApi({ services, port: 0, origins: store, settings: () => ({ allowHttpLocalhost: devSetting }) });
  site = await startDemoSite({ apiPort: api.port, anchors: parsePemBundle(pki.caPem), sdkPath: sdk.path });
  if (opts.allow !== false) store.remember(site.origin);
  const views = autoConsent(api, responder);
  page = await browser.newPage();
  await page.goto(site.origin);
  return views;
}

const pick = (label: string) => approveAll((v) => v.candidates?.find((c) => c.label === label)?.uri);

describe('demo site + SDK in Chromium', () => {
  it('shows Signet status, signs a file as CAdES and the demo server reports a valid signature (openssl agrees)', async () => {
    await setup(pick('sign-rsa'));
    await expect.poll(() => page.textContent('#status')).toContain('Signet 0.1.0-test — card inserted');
    const content = 'Invoice 42\nTotal: 100 EUR\n';
    await page.setInputFiles('#file', { name: 'invoice.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
    const upload = page.waitForRequest((r) => r.url().endsWith('/api/upload'));
    await page.click('#sign-file');
    const body = JSON.parse((await upload).postData() ?? '{}') as { signatureBase64: string; documentBase64: string };
    await expect.poll(() => page.getAttribute('#file-result', 'data-valid')).toBe('true');
    expect(await page.textContent('#file-result')).toContain('Signed by');
    if (process.env['SIGNET_SCREENSHOTS']) await page.screenshot({ path: path.join(process.env['SIGNET_SCREENSHOTS'], 'demo-cades.png'), fullPage: true });
    expect(Buffer.from(body.documentBase64, 'base64').toString()).toBe(content);
    writeFileSync(path.join(pki.dir, 'inv.txt'), content);
    writeFileSync(path.join(pki.dir, 'inv.p7s'), Buffer.from(body.signatureBase64, 'base64'));
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(pki.dir, 'inv.p7s'), '-content', path.join(pki.dir, 'inv.txt'), '-CAfile', pki.caPath, '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
  });

  it('logs in with the card; a replayed token and a token made for another origin are rejected', async () => {
    await setup(pick('auth-ec'));
    const login = page.waitForRequest((r) => r.url().endsWith('/api/login'));
    await page.click('#login');
    const token = (JSON.parse((await login).postData() ?? '{}') as { token: unknown }).token;
    await expect.poll(() => page.getAttribute('#login-result', 'data-valid')).toBe('true');
    expect(await page.textContent('#login-result')).toMatch(/Logged in as .*CN=auth-ec/);

    // Replay: the same token again (the page's session, its nonce already used).
    const replay = await page.evaluate(async (t) => (await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: t }) })).json(), token);
    expect(replay).toMatchObject({ valid: false });

    // Another origin: a fresh nonce for this session, but the token is made by Signet for a page
    // on https://evil.example that relays the demo's challenge.
    const { nonce } = (await page.evaluate(async () => (await fetch('/api/challenge', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json())) as { nonce: string };
    store.remember('https://evil.example');
    const evilToken = await request(api.port, { path: '/v1/authenticate', body: { challengeNonce: nonce }, headers: { origin: 'https://evil.example' } });
    expect(evilToken.status).toBe(200);
    const relayed = await page.evaluate(async (t) => (await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: t }) })).json(), evilToken.json);
    expect(relayed).toMatchObject({ valid: false });
    expect(JSON.stringify(relayed)).toContain('wrong origin');
  });

  it('a new origin: status() asks nothing and says only that Signet runs; the first request is one dialog that also allows the site', async () => {
    const views = await setup(pick('auth-rsa'), { allow: false });
    await expect.poll(() => page.textContent('#status')).toContain('Signet is running — it will ask you to allow this site');
    expect(views).toHaveLength(0);
    await page.click('#login');
    await expect.poll(() => page.getAttribute('#login-result', 'data-valid'), { timeout: 20_000 }).toBe('true');
    expect(views.map((v) => [v.operation, v.firstContact])).toEqual([['authenticate', true]]);
    expect(views[0]!.origin).toBe(site.origin);
    await page.reload();
    await expect.poll(() => page.textContent('#status')).toContain('Signet 0.1.0-test — card inserted');
  });
});

describe('SDK errors in Chromium', () => {
  /** Runs the SDK inside the page (a string, so the test runner's transforms leave import() alone). */
  const call = (p: Page, options: object, method: string, arg?: unknown) =>
    p.evaluate(`(async () => {
      const { Signet } = await import('/signet.mjs');
      try {
        return { ok: true, value: await new Signet(${JSON.stringify(options)})[${JSON.stringify(method)}](${arg === undefined ? '' : JSON.stringify(arg)}) };
      } catch (e) {
        return { ok: false, code: e.code, message: e.message, action: e.action, downloadUrl: e.downloadUrl, name: e.name };
      }
    })()`) as Promise<{ ok: boolean; code?: string; message?: string; action?: string; downloadUrl?: string; name?: string }>;

  it('APP_NOT_RUNNING with a download link when nothing listens', async () => {
    await setup(approveAll());
    const closedPort = api.port;
    await api.close();
    const r = await call(page, { port: closedPort, downloadUrl: 'https://example.org/get-signet' }, 'status');
    expect(r).toMatchObject({ ok: false, code: 'APP_NOT_RUNNING', name: 'SignetError', downloadUrl: 'https://example.org/get-signet' });
    expect(r.action).toContain('https://example.org/get-signet');
  });

  it('a refused first contact answers CONSENT_DENIED; the next request in the cooldown ORIGIN_NOT_ALLOWED', async () => {
    await setup(() => ({ approve: false }), { allow: false });
    const r = await call(page, { port: api.port }, 'getSigningCertificate');
    expect(r).toMatchObject({ ok: false, code: 'CONSENT_DENIED' });
    const again = await call(page, { port: api.port }, 'getSigningCertificate');
    expect(again).toMatchObject({ ok: false, code: 'ORIGIN_NOT_ALLOWED' });
  });

  it('ORIGIN_NOT_ALLOWED when Signet refuses the page itself (plain http without the developer setting: the browser hides the answer, the SDK probes)', async () => {
    await setup(approveAll());
    devSetting = false;
    const r = await call(page, { port: api.port }, 'status');
    expect(r).toMatchObject({ ok: false, code: 'ORIGIN_NOT_ALLOWED' });
  });

  it('CONSENT_DENIED, USER_CANCELLED-free TIMEOUT, and typed server errors', async () => {
    await setup((v) => (v.operation === 'sign-hash' ? { approve: false } : undefined));
    const cert = pki.keys['sign-rsa']!.view.certificate;
    const denied = await call(page, { port: api.port }, 'sign', { hash: Buffer.alloc(32, 1).toString('base64'), hashAlgorithm: 'SHA-256', certificate: cert });
    expect(denied).toMatchObject({ ok: false, code: 'CONSENT_DENIED' });
    const wrongKey = await call(page, { port: api.port }, 'sign', { hash: Buffer.alloc(32, 1).toString('base64'), hashAlgorithm: 'SHA-256', certificate: pki.keys['auth-ec']!.view.certificate });
    expect(wrongKey).toMatchObject({ ok: false, code: 'KEY_PURPOSE_MISMATCH' });
    // Nobody answers the authenticate prompt: the SDK's own timeout fires.
    const slow = await call(page, { port: api.port, timeoutMs: 300 }, 'authenticate', Buffer.alloc(32, 2).toString('base64'));
    expect(slow).toMatchObject({ ok: false, code: 'TIMEOUT' });
    // …and Signet dismisses the abandoned prompt.
    await expect.poll(() => api.consent.size).toBe(0);
  });
});
