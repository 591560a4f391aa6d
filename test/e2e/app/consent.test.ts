/**
 * Web consent in the app (issue 5 §3, issue 8 §4–§5), through the harness in Chromium: a site's
 * first request is one dialog that names the origin exactly (IDN with its punycode) and also
 * allows the site, with "remember"; the answer goes back through `consent.respond`; a remembered
 * site is listed in Settings and can be revoked. The modal resists double clicks (buttons inert
 * for a second after it appears or changes) and shows page-chosen names with bidi controls
 * escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { openApp, type AppUnderTest } from '../support/app';
import { seriousViolations } from '../support/axe';
import { shoot } from '../support/screenshots';

let rig: Rig;
let app: AppUnderTest;
const ORIGIN = 'https://xn--bcher-kva.example';
const SITE_A = 'https://a-portal.example';
const SITE_B = 'https://b-portal.example';

function post(origin: string, pathname: string, body: unknown): Promise<Response> {
  return fetch(`${app.harness.apiUrl}${pathname}`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function postDocument(origin: string, name: string, content: Buffer): Promise<Response> {
  return fetch(`${app.harness.apiUrl}/v1/sign-document?${new URLSearchParams({ name, format: 'cades' }).toString()}`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(content),
  });
}

const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  rig = await provisionRig();
  const now = new Date().toISOString();
  app = await openApp([{ path: rig.module, source: 'argument', env: rig.env }], {
    apiPort: 0,
    consentTimeoutMs: 60_000,
    settings: { allowedOrigins: [SITE_A, SITE_B].map((origin) => ({ origin, addedAt: now })) },
  });
  await app.page.getByText('Signet Test A').first().waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await rig?.cleanup();
});

const modal = () => app.page.getByTestId('consent');

describe('consent modal', () => {
  it('a first contact is one dialog: allow the site (named exactly) and share a certificate, with "remember"', async () => {
    expect(app.harness.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pending = post(ORIGIN, '/v1/certificate', {});
    await modal().getByText('Allow bücher.example and share your certificate?').waitFor({ timeout: 15_000 });
    const origin = (await modal().getByTestId('consent-origin').textContent()) ?? '';
    expect(origin).toBe('https://bücher.example');
    expect(await modal().textContent()).toContain('xn--bcher-kva.example');
    // Only signing certificates are offered to share.
    expect(await modal().getByRole('radio', { name: 'Signet Test auth-p256' }).count()).toBe(0);
    await modal().getByRole('radio', { name: 'Signet Test sign-p256' }).check();
    await modal().getByRole('checkbox', { name: /Remember this website/ }).check();
    await shoot(app.page, '30-consent-first-contact');
    expect(await seriousViolations(app.page)).toEqual([]);
    await modal().getByRole('button', { name: 'Allow and share' }).click();
    const res = await pending;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { certificate: string };
    expect(Buffer.from(body.certificate, 'base64')).toEqual(rig.key('sign-p256').certDer);
  });

  it('Deny answers CONSENT_DENIED to the page', async () => {
    const pending = post(ORIGIN, '/v1/certificate', {});
    await modal().getByText('A website asks for your certificate').waitFor({ timeout: 15_000 });
    await shoot(app.page, '31-consent-share-certificate');
    await modal().getByRole('button', { name: 'Deny' }).click();
    expect(await codeOf(await pending)).toBe('CONSENT_DENIED');
    await modal().waitFor({ state: 'detached' });
  });

  it('a second click within a second of a new request does nothing (no double-click approval of the next site)', async () => {
    const a = post(SITE_A, '/v1/certificate', {});
    await modal().getByText('A website asks for your certificate').waitFor({ timeout: 15_000 });
    expect(await modal().getByTestId('consent-origin').textContent()).toBe(SITE_A);
    await modal().getByRole('radio', { name: 'Signet Test sign-p256' }).check();
    // Site B's request waits behind A's: a signature over a digest, no choice to make.
    const hash = Buffer.alloc(32, 7).toString('base64');
    const b = post(SITE_B, '/v1/sign', { hash, hashAlgorithm: 'SHA-256', certificate: rig.key('sign-p384').certDer.toString('base64') });
    const share = modal().getByRole('button', { name: 'Share certificate' });
    await share.waitFor();
    await app.page.waitForFunction(() => document.querySelector('[data-testid="consent"] .modal-actions')?.getAttribute('data-armed') === 'true');
    const box = (await share.boundingBox())!;
    // The double click, as a user's mouse does it: 1st click approves A; B's dialog replaces it;
    // 2nd click lands on B's "Sign" right away.
    await app.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await modal().getByText('A website asks for your signature').waitFor({ timeout: 10_000 });
    const sign = modal().getByRole('button', { name: 'Sign', exact: true });
    const signBox = (await sign.boundingBox())!;
    await app.page.mouse.click(signBox.x + signBox.width / 2, signBox.y + signBox.height / 2);
    // Inert, and it shows (issue 10): dimmed, with a bar filling along the button for the inert
    // time (styles.css), and aria-disabled for assistive technology.
    const inert = await sign.evaluate((el) => ({ opacity: getComputedStyle(el).opacity, bar: getComputedStyle(el, '::after').animationName, ariaDisabled: el.getAttribute('aria-disabled') }));
    expect(inert).toEqual({ opacity: '0.55', bar: 'consent-arming', ariaDisabled: 'true' });
    await shoot(app.page, '33-consent-next-request-inert');
    expect((await a).status).toBe(200);
    // B is still asking: no PIN dialog, the dialog is still B's.
    await app.page.waitForTimeout(300);
    expect(await app.page.getByTestId('pin-dialog').count()).toBe(0);
    expect(await modal().getByTestId('consent-origin').textContent()).toBe(SITE_B);
    // Once armed, the buttons look and answer as usual.
    await app.page.waitForFunction(() => document.querySelector('[data-testid="consent"] .modal-actions')?.getAttribute('data-armed') === 'true');
    const armed = await sign.evaluate((el) => ({ opacity: getComputedStyle(el).opacity, bar: getComputedStyle(el, '::after').animationName, ariaDisabled: el.getAttribute('aria-disabled') }));
    expect(armed).toEqual({ opacity: '1', bar: 'none', ariaDisabled: 'false' });
    await modal().getByRole('button', { name: 'Deny' }).click();
    expect(await codeOf(await b)).toBe('CONSENT_DENIED');
    expect(app.harness.events.filter((e) => e.event === 'pin.request')).toEqual([]);
  });

  it('shows a page-chosen document name with its bidi override escaped, not reversed', async () => {
    const pending = postDocument(SITE_A, 'login-\u202Etxt.exe', Buffer.from('Pay 100 EUR to account 12345\n'));
    await modal().getByText('A website asks you to sign a document').waitFor({ timeout: 15_000 });
    expect(await modal().getByTestId('consent-document-name').textContent()).toBe('login-⟨U+202E⟩txt.exe');
    expect(await modal().textContent()).toContain('hidden or direction-changing characters');
    expect(await modal().getByTestId('consent-preview').textContent()).toBe('Pay 100 EUR to account 12345\n');
    await shoot(app.page, '34-consent-bidi-name');
    await modal().getByRole('button', { name: 'Deny' }).click();
    expect(await codeOf(await pending)).toBe('CONSENT_DENIED');
  });

  it('a cut text preview says so and shows the rest on request', async () => {
    const text = Array.from({ length: 800 }, (_, i) => `line ${i + 1} of the contract\n`).join('');
    const pending = postDocument(SITE_A, 'contract.txt', Buffer.from(text));
    await modal().getByText('A website asks you to sign a document').waitFor({ timeout: 15_000 });
    expect(await modal().getByTestId('consent-preview-cut').textContent()).toMatch(/Showing the first .* of /);
    expect(await modal().getByTestId('consent-preview').textContent()).not.toContain('line 800 of');
    await modal().getByRole('button', { name: 'Show more' }).click();
    await expect.poll(async () => (await modal().getByTestId('consent-preview').textContent()) ?? '').toContain('line 800 of the contract');
    expect(await modal().getByTestId('consent-preview-cut').count()).toBe(0);
    await modal().getByRole('button', { name: 'Deny' }).click();
    expect(await codeOf(await pending)).toBe('CONSENT_DENIED');
  });

  it('the remembered site is listed in Settings and can be revoked', async () => {
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await app.page.getByText(ORIGIN).waitFor();
    await shoot(app.page, '32-settings-origins');
    await app.page.getByRole('button', { name: `Remove ${ORIGIN}` }).click();
    await app.page.getByText(ORIGIN).waitFor({ state: 'detached' });
    // Revoked: the next request is a first contact again.
    const pending = post(ORIGIN, '/v1/certificate', {});
    await modal().getByText('Allow bücher.example and share your certificate?').waitFor({ timeout: 15_000 });
    await modal().getByRole('button', { name: 'Deny' }).click();
    expect(await codeOf(await pending)).toBe('CONSENT_DENIED');
    expect(app.errors).toEqual([]);
  });
});
