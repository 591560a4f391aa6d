/**
 * Web consent in the app (issue 5 §3, hosted by the desktop app): a page's request through the
 * loopback web API appears as Signet's modal naming the origin (IDN shown with its punycode),
 * the operation and the certificates to choose from; the user's answer goes back through
 * `consent.respond`. "Remember" puts the origin in Settings, where it can be revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { openApp, type AppUnderTest } from '../support/app';
import { seriousViolations } from '../support/axe';
import { shoot } from '../support/screenshots';

let rig: Rig;
let app: AppUnderTest;
const ORIGIN = 'https://xn--bcher-kva.example';

function request(pathname: string, body: unknown): Promise<Response> {
  return fetch(`${app.harness.apiUrl}${pathname}`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  rig = await provisionRig();
  app = await openApp([{ path: rig.module, source: 'argument', env: rig.env }], { apiPort: 0, consentTimeoutMs: 60_000 });
  await app.page.getByText('Signet Test A').first().waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await rig?.cleanup();
});

describe('consent modal', () => {
  it('asks to allow a new site, naming it exactly; then to share a certificate', async () => {
    expect(app.harness.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pending = request('/v1/certificate', {});
    const modal = app.page.getByTestId('consent');
    await modal.getByText('A website wants to use Signet').waitFor({ timeout: 15_000 });
    const origin = (await modal.getByTestId('consent-origin').textContent()) ?? '';
    expect(origin).toBe('https://bücher.example');
    expect(await modal.textContent()).toContain('xn--bcher-kva.example');
    await shoot(app.page, '30-consent-allow-origin');
    expect(await seriousViolations(app.page)).toEqual([]);
    await modal.getByRole('checkbox', { name: /Remember this website/ }).check();
    await modal.getByRole('button', { name: 'Allow' }).click();

    await modal.getByText('A website asks for your certificate').waitFor({ timeout: 15_000 });
    // Only signing certificates are offered to share.
    expect(await modal.getByRole('radio', { name: 'Signet Test auth-p256' }).count()).toBe(0);
    await modal.getByRole('radio', { name: 'Signet Test sign-p256' }).check();
    await shoot(app.page, '31-consent-share-certificate');
    expect(await seriousViolations(app.page)).toEqual([]);
    await modal.getByRole('button', { name: 'Share certificate' }).click();
    const res = await pending;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { certificate: string };
    expect(Buffer.from(body.certificate, 'base64')).toEqual(rig.key('sign-p256').certDer);
  });

  it('Deny answers CONSENT_DENIED to the page', async () => {
    const pending = request('/v1/certificate', {});
    const modal = app.page.getByTestId('consent');
    await modal.getByText('A website asks for your certificate').waitFor({ timeout: 15_000 });
    await modal.getByRole('button', { name: 'Deny' }).click();
    const res = await pending;
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('CONSENT_DENIED');
    await modal.waitFor({ state: 'detached' });
  });

  it('the remembered site is listed in Settings and can be revoked', async () => {
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await app.page.getByText(ORIGIN).waitFor();
    await shoot(app.page, '32-settings-origins');
    await app.page.getByRole('button', { name: `Remove ${ORIGIN}` }).click();
    await app.page.getByText('No website remembered.').waitFor();
    // Revoked: the next request asks again.
    const pending = request('/v1/certificate', {});
    const modal = app.page.getByTestId('consent');
    await modal.getByText('A website wants to use Signet').waitFor({ timeout: 15_000 });
    await modal.getByRole('button', { name: 'Deny' }).click();
    expect(((await (await pending).json()) as { error: { code: string } }).error.code).toBe('CONSENT_DENIED');
    expect(app.errors).toEqual([]);
  });
});
