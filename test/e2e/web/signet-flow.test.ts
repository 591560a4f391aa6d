/**
 * The whole web flow as a user sees it, in Chromium:
 *   - the demo form-upload site on one loopback origin (http://localhost:P1),
 *   - Signet's real UI through the browser harness on another (http://127.0.0.1:P2), with the
 *     real services (token host on SoftHSM2 from the rig, KeySigner, core PAdES) and the web API.
 * The test clicks "Sign and upload" on the site, allows the site and approves the signature in
 * Signet, types the PIN in Signet's PIN dialog, and the demo server reports a valid signature
 * (pdfsig agrees). Same for "Log in with card", plus a replayed and an other-origin token, both
 * rejected by the demo server.
 *
 * Origin choice: pages must be https unless the developer setting allows http://localhost; the
 * harness starts with allowHttpLocalhost on, so the demo runs on plain http://localhost (no
 * self-signed certificate or --ignore-certificate-errors needed). The https-only rule itself is
 * covered by the API tests.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { provisionRig, type Rig } from '../../rig';
import { openApp, type AppUnderTest } from '../support/app';
import { startDemoSite, type DemoSite } from '../../../demo/web/site';
import { parsePemBundle } from '../../../demo/web/verifier';
import { buildSdk } from './browser';

let rig: Rig;
let app: AppUnderTest;
let site: DemoSite;
let demo: Page;
let sdk: { path: string; cleanup(): void };
const shots = process.env['SIGNET_SCREENSHOTS'];

beforeAll(async () => {
  [rig, sdk] = await Promise.all([provisionRig(), buildSdk()]);
  app = await openApp([{ path: rig.module, source: 'argument', env: rig.env }], { apiPort: 0, settings: { allowHttpLocalhost: true }, consentTimeoutMs: 60_000 });
  const apiPort = Number(new URL(app.harness.apiUrl ?? '').port);
  site = await startDemoSite({ apiPort, anchors: parsePemBundle(rig.ca.certPem), sdkPath: sdk.path });
  demo = await app.browser.context.newPage();
  await demo.goto(site.origin);
}, 180_000);
afterAll(async () => {
  await site?.close();
  await app?.close();
  await rig?.cleanup();
  sdk?.cleanup();
});

const consent = () => app.page.getByTestId('consent');

const TITLES = {
  'first-sign-document': /Allow localhost and sign application\.pdf\?/,
  'first-authenticate': /Allow 127\.0\.0\.1 and log in with your card\?/,
  'sign-document': 'A website asks you to sign a document',
  authenticate: 'A website asks you to log in with your card',
} as const;

/** Waits for the consent modal of `operation`, picks the certificate, clicks the approve button
 *  and waits until that request is gone (the next one may replace it in the same modal). */
/** Types the PIN into Signet's PIN dialog (each approved request asks its own, issue 8). */
async function enterPin(): Promise<void> {
  const pin = app.page.getByTestId('pin-dialog');
  await pin.waitFor({ state: 'visible', timeout: 30_000 });
  await pin.locator('input[type="password"]').fill('123456');
  await pin.getByRole('button', { name: 'Confirm' }).click();
  await pin.waitFor({ state: 'hidden', timeout: 30_000 });
}

async function approve(operation: keyof typeof TITLES, button: string, certName?: string): Promise<void> {
  const modal = consent().filter({ hasText: TITLES[operation] });
  await modal.waitFor({ state: 'visible', timeout: 30_000 });
  if (certName) {
    try {
      await modal.locator(`.cert-card[data-cert-name="Signet Test ${certName}"] input.cert-radio`).check({ timeout: 20_000 });
    } catch (e) {
      if (shots) await app.page.screenshot({ path: path.join(shots, `fail-${operation}.png`), fullPage: true });
      throw e;
    }
  }
  await modal.getByRole('button', { name: button, exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
}

describe('web flow through Signet’s UI', () => {
  it('Sign and upload: allow the site, approve, enter the PIN — the demo server reports a valid PAdES signature', async () => {
    const upload = demo.waitForRequest((r) => r.url().endsWith('/api/upload'), { timeout: 60_000 });
    await demo.click('#sign-upload');

    // 1. First contact: one dialog — allow this site (named exactly) and sign its document, with
    //    the user's choice of signing certificate.
    await consent().filter({ hasText: TITLES['first-sign-document'] }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await app.page.getByTestId('consent-origin').textContent()).toBe(site.origin);
    expect(await consent().getByTestId('consent-document-name').textContent()).toBe('application.pdf');
    expect(await consent().locator('.cert-card[data-cert-name="Signet Test auth-p256"]').count()).toBe(0); // never an authentication key
    if (shots) await app.page.screenshot({ path: path.join(shots, 'consent-sign-document.png') });
    await approve('first-sign-document', 'Allow and sign', 'sign-rsa2048');

    // 2. The PIN goes into Signet's own dialog.
    const pin = app.page.getByTestId('pin-dialog');
    await pin.waitFor({ state: 'visible', timeout: 30_000 });
    await pin.locator('input[type="password"]').fill('123456');
    await pin.getByRole('button', { name: 'Confirm' }).click();

    await expect.poll(() => demo.getAttribute('#sign-result', 'data-valid'), { timeout: 60_000 }).toBe('true');
    expect(await demo.textContent('#sign-result')).toMatch(/Signature valid\. Signed by .*CN=Signet Test sign-rsa2048/);
    if (shots) await demo.screenshot({ path: path.join(shots, 'demo-signed.png'), fullPage: true });

    // Independently: poppler's pdfsig on the uploaded PDF.
    const body = JSON.parse((await upload).postData() ?? '{}') as { documentBase64: string };
    const file = path.join(app.dir, 'uploaded.pdf');
    writeFileSync(file, Buffer.from(body.documentBase64, 'base64'));
    const ps = spawnSync('pdfsig', ['-nssdir', `sql:${rig.nssDb(path.join(app.dir, 'nss'))}`, file], { encoding: 'utf8' });
    expect(ps.stdout).toContain('Signature Validation: Signature is Valid.');
    // The PIN never reached the page or the events the UI got.
    expect(JSON.stringify(app.harness.events)).not.toContain('123456');
  });

  it('Log in with card: a valid token; the same token replayed and a token made on another origin are rejected', async () => {
    const login = demo.waitForRequest((r) => r.url().endsWith('/api/login'), { timeout: 60_000 });
    await demo.click('#login');
    await approve('authenticate', 'Log in', 'auth-p256'); // the site is already allowed
    // The document signature's PIN does not carry over to a login: the PIN is asked again.
    await enterPin();
    await expect.poll(() => demo.getAttribute('#login-result', 'data-valid'), { timeout: 60_000 }).toBe('true');
    expect(await demo.textContent('#login-result')).toMatch(/Logged in as .*CN=Signet Test auth-p256/);
    const token = (JSON.parse((await login).postData() ?? '{}') as { token: unknown }).token;

    const replay = await demo.evaluate(`fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(JSON.stringify({ token }))} }).then((r) => r.json())`);
    expect(replay).toMatchObject({ valid: false });

    // Another origin relays the demo's challenge: the same server reached as http://127.0.0.1:P
    // is a different origin from http://localhost:P. Signet asks the user about that origin too.
    const { nonce } = (await demo.evaluate(`fetch('/api/challenge', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json())`)) as { nonce: string };
    const other = await app.browser.context.newPage();
    await other.goto(`http://127.0.0.1:${site.port}/`);
    const tokenPromise = other.evaluate(`import('/signet.mjs').then(async ({ Signet }) => new Signet({ port: ${Number(new URL(app.harness.apiUrl ?? '').port)} }).authenticate(${JSON.stringify(nonce)}))`);
    // Its status() on load asks nothing; its login is a first contact, one dialog.
    await consent().filter({ hasText: TITLES['first-authenticate'] }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await app.page.getByTestId('consent-origin').textContent()).toBe(`http://127.0.0.1:${site.port}`);
    await approve('first-authenticate', 'Allow and log in', 'auth-p256');
    await enterPin();
    const relayedToken = await tokenPromise;
    const relayed = await demo.evaluate(`fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(JSON.stringify({ token: 'PLACEHOLDER' }))}.replace('"PLACEHOLDER"', ${JSON.stringify(JSON.stringify(relayedToken))}) }).then((r) => r.json())`);
    expect(relayed).toMatchObject({ valid: false });
    await other.close();
    expect(app.errors).toEqual([]);
  });
});
