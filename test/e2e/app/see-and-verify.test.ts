/**
 * Issue 12 end to end, in Debian's Chromium against the browser harness (the real renderer with
 * pdf.js, the same IPC handlers, core, token hosts and SoftHSM2 tokens from the rig):
 *
 * - trust anchors added in Settings change the verify view's verdict (pdfsig agrees, with and
 *   without the CA in its NSS db);
 * - the confirm step shows every page of a PDF, a text file as text, any other type by type and
 *   size; a long PDF renders lazily;
 * - the stamp rectangle dragged and resized on the preview is where poppler's pdftoppm finds the
 *   stamp in the signed file (pixels), and the placement is remembered for that layout;
 * - the result page (Open, signer, time), the history, and clearing it;
 * - the verify view on valid, tampered, twice-signed and .p7s inputs (with the content next to it,
 *   changed, or asked for): its verdicts equal pdfsig's and `openssl cms -verify`'s;
 * - "Open with Signet" on signed files lands in the verify view;
 * - problems named on each file's row before the confirm step, a missing file among three named;
 * - the stamp as it will look, in French.
 * Screenshots of each screen go to test/e2e/screenshots/ (ui-*.png).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, STD, type Rig } from '../../rig';
import { makeFixturePdf } from '../../unit/documents/helpers/pdf-fixtures';
import { pdfsigSignatures } from '../../unit/documents/helpers/pdf-tools';
import { openApp, type AppUnderTest } from '../support/app';
import { seriousViolations } from '../support/axe';
import { writePdf } from '../support/pdf';
import { bounds, changedPixels, renderPage } from '../support/render';
import { shoot } from '../support/screenshots';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const PORTAL = 'https://forms.portal.example';
let rig: Rig;
let app: AppUnderTest;
let work: string;
let trustedNss: string;
let emptyNss: string;

/** `signet sign` with the rig's token (fixtures for the verify view), PIN on stdin. */
async function cliSign(file: string, key: string = STD.signP256): Promise<void> {
  const home = path.join(work, 'cli-home');
  const env = { ...process.env, ...rig.env, SIGNET_CONFIG_DIR: path.join(home, 'c'), SIGNET_DATA_DIR: path.join(home, 'd'), SIGNET_LOG_DIR: path.join(home, 'l'), SIGNET_POLICY_FILE: path.join(home, 'policy.json') };
  const code = await new Promise<number | null>((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, 'sign', file, '--key', rig.key(key).keyUri, '--module', rig.module, '--pin-stdin'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (c) => (c === 0 ? resolve(c) : reject(new Error(`signet sign exited ${c}: ${err}`))));
    p.stdin.end('123456\n');
  });
  expect(code).toBe(0);
}

const pdfsig = (nss: string, f: string) => pdfsigSignatures(spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, f], { encoding: 'utf8' }).stdout);
/** pdfsig's verdict per signature: the signature verifies and the certificate is trusted. */
const pdfsigValid = (nss: string, f: string) => pdfsig(nss, f).map((s) => s.validity === 'Signature is Valid.' && s.trust === 'Certificate is Trusted.');
const opensslValid = (p7s: string, content: string) =>
  spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null']).status === 0;

async function noSeriousA11yIssues(screen: string): Promise<void> {
  const v = await seriousViolations(app.page);
  expect(v, `${screen}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

async function nav(name: string): Promise<void> {
  await app.page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

/** Sign the confirmed plan; the token may still be logged in (then no PIN is asked). */
async function signAndWait(n = 1): Promise<void> {
  const page = app.page;
  await page.getByRole('button', { name: n === 1 ? 'Sign 1 document' : `Sign ${n} documents` }).click();
  const done = page.getByTestId('results').getByRole('heading', { name: n === 1 ? '1 document signed' : `${n} documents signed` });
  await Promise.race([done.waitFor({ timeout: 30_000 }), page.getByTestId('pin-dialog').waitFor({ timeout: 30_000 })]);
  if (await page.getByTestId('pin-dialog').count()) {
    const pin = page.getByTestId('pin-dialog').getByLabel(/PIN$/);
    await pin.fill('123456');
    await pin.press('Enter');
  }
  await done.waitFor({ timeout: 30_000 });
}

/** Open a file in the verify view; returns its card. */
async function verifyInApp(file: string, labels = { nav: 'Verify', open: 'Open a signed file…' }) {
  await nav(labels.nav);
  app.harness.setNextPick([file]);
  await app.page.getByRole('button', { name: labels.open }).click();
  const card = app.page.locator(`[data-testid="verify-doc"][data-file="${path.basename(file)}"]`).first();
  await card.waitFor();
  return card;
}

async function verdictOf(card: ReturnType<typeof app.page.locator>): Promise<{ valid: boolean; signatures: boolean[] }> {
  await card.getByTestId('verdict').waitFor({ timeout: 30_000 });
  const valid = (await card.getByTestId('verdict').getAttribute('data-valid')) === 'true';
  const signatures = (await card.getByTestId('signature-panel').evaluateAll((els) => els.map((e) => e.getAttribute('data-valid')))).map((v) => v === 'true');
  return { valid, signatures };
}

beforeAll(async () => {
  rig = await provisionRig();
  trustedNss = rig.nssDb();
  // No trust anchors: the rig's CA is trusted only once it is added in Settings. The web API is on
  // (any free port) with one site allowed, for the consent dialog's document preview.
  app = await openApp([{ path: rig.module, source: 'argument', env: rig.env }], {
    apiPort: 0,
    consentTimeoutMs: 60_000,
    settings: { allowedOrigins: [{ origin: PORTAL, addedAt: new Date().toISOString() }] },
  });
  work = path.join(app.dir, 'work');
  mkdirSync(work, { recursive: true });
  emptyNss = path.join(work, 'nss-empty');
  mkdirSync(emptyNss);
  execFileSync('certutil', ['-N', '-d', `sql:${emptyNss}`, '--empty-password']);
  await app.page.getByText('Signet Test A').first().waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await rig?.cleanup();
});

describe('see what you sign, check what you receive', () => {
  it('trust anchors added in Settings decide the verify view’s verdict, as the CA in pdfsig’s NSS db does', async () => {
    const page = app.page;
    const pdf = await writePdf(path.join(work, 'received.pdf'), 'Received');
    await cliSign(pdf);
    const signed = path.join(work, 'received-signed.pdf');

    // Untrusted CA: both say not valid.
    let card = await verifyInApp(signed);
    expect(await verdictOf(card)).toEqual({ valid: false, signatures: [false] });
    expect(await card.getByTestId('sig-integrity').textContent()).toBe('Unchanged since it was signed');
    expect(await card.getByTestId('sig-chain').textContent()).toContain('Not issued by an authority trusted on this computer');
    expect(pdfsigValid(emptyNss, signed)).toEqual([false]);
    await card.getByRole('button', { name: 'Close received-signed.pdf' }).click();

    await nav('Settings');
    const trust = page.getByTestId('trust-settings');
    await trust.getByText('None added.').waitFor();
    // A file that is not a certificate is refused, by name and in words.
    const note = path.join(work, 'not-a-cert.pem');
    writeFileSync(note, 'hello');
    app.harness.setNextPick([note]);
    await trust.getByRole('button', { name: 'Add a certificate…' }).click();
    await trust.getByText('“not-a-cert.pem” does not hold a certificate (PEM or DER).').waitFor();
    app.harness.setNextPick([rig.ca.certPath]);
    await trust.getByRole('button', { name: 'Add a certificate…' }).click();
    await trust.locator('[data-anchor*="Signet Test Root CA"]').waitFor();
    await shoot(page, 'ui-01-trust-anchors');
    await noSeriousA11yIssues('trust anchors');

    card = await verifyInApp(signed);
    expect(await verdictOf(card)).toEqual({ valid: true, signatures: [true] });
    expect(pdfsigValid(trustedNss, signed)).toEqual([true]);
    await shoot(page, 'ui-02-verify-valid');
    await noSeriousA11yIssues('verify');
    await card.getByRole('button', { name: 'Close received-signed.pdf' }).click();
  });

  it('the confirm step shows every page of a PDF, a text file as text, other types by type and size', async () => {
    const page = app.page;
    await nav('Sign documents');
    const pdf = await writePdf(path.join(work, 'report.pdf'), 'Quarterly report', 3);
    const txt = path.join(work, 'minutes.txt');
    writeFileSync(txt, 'Minutes of the meeting.\nDecision: approve the budget.\n');
    const bin = path.join(work, 'photo.png');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 0, 0xff]));
    app.harness.setNextPick([pdf, txt, bin]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="report.pdf"][data-state="ok"]').getByText('3 pages').waitFor();
    await page.locator('[data-file="photo.png"][data-state="ok"]').waitFor();
    await page.getByRole('radio', { name: 'Signet Test sign-p256' }).check();
    await page.getByRole('button', { name: 'Review and sign' }).click();
    const confirm = page.getByTestId('confirm');
    const pdfPreview = confirm.locator('[data-testid="confirm-preview"][data-file="report.pdf"]');
    await pdfPreview.getByText('3 pages').waitFor();
    expect(await pdfPreview.getByTestId('pdf-preview').getAttribute('data-pages')).toBe('3');
    await pdfPreview.locator('[data-page="1"][data-rendered="true"]').waitFor();
    expect(await pdfPreview.getByRole('img', { name: 'Page 1 of 3' }).count()).toBe(1);
    // The canvas holds the page as drawn (not a blank box): some dark pixels where the title is.
    const inked = await pdfPreview.locator('[data-page="1"] canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, Math.floor(c.height / 4)).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 128) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(50);
    expect(await confirm.locator('[data-file="minutes.txt"]').getByTestId('text-preview').textContent()).toContain('Decision: approve the budget.');
    expect(await confirm.locator('[data-file="photo.png"]').getByTestId('no-preview').textContent()).toBe(
      'PNG file, 21 B. Signet cannot show this file type: check it in the application that made it before you sign.',
    );
    await confirm.getByRole('heading', { name: 'What you sign' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shoot(page, 'ui-03-confirm-preview');
    await noSeriousA11yIssues('confirm with previews');
    await page.getByRole('button', { name: 'Back' }).click();
    for (const name of ['report.pdf', 'minutes.txt', 'photo.png']) await page.getByRole('button', { name: `Remove ${name}` }).click();
  });

  it('renders a long PDF lazily: pages far below are drawn only when scrolled to', async () => {
    const page = app.page;
    const pdf = await writePdf(path.join(work, 'long.pdf'), 'Long document', 80);
    app.harness.setNextPick([pdf]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="long.pdf"][data-state="ok"]').waitFor();
    await page.getByRole('button', { name: 'Review and sign' }).click();
    const preview = page.getByTestId('confirm').getByTestId('pdf-preview');
    await preview.locator('[data-page="1"][data-rendered="true"]').waitFor();
    expect(await preview.locator('[data-page]').count()).toBe(80);
    const drawn = await preview.locator('[data-rendered="true"]').count();
    expect(drawn).toBeLessThan(15);
    expect(await preview.locator('[data-page="80"] canvas').count()).toBe(0);
    await preview.getByRole('region').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await preview.locator('[data-page="80"][data-rendered="true"]').waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Remove long.pdf' }).click();
  });

  let stampRect: { x: number; y: number; width: number; height: number };
  let stampedOutput = '';

  it('places the stamp where it is dragged and resized on the preview: pdftoppm finds it inside that rectangle', async () => {
    const page = app.page;
    const original = await writePdf(path.join(work, 'lease.pdf'), 'Lease agreement', 2);
    app.harness.setNextPick([original]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="lease.pdf"][data-state="ok"]').waitFor();
    await page.getByRole('checkbox', { name: 'Show the signature on the page' }).check();
    const placer = page.getByTestId('stamp-placer');
    await placer.waitFor();
    await placer.getByLabel('Page').selectOption('1');
    const rect = placer.getByTestId('stamp-rect');
    await placer.locator('[data-page="1"][data-rendered="true"]').waitFor();
    await rect.scrollIntoViewIfNeeded();
    // Drag the box up and to the left, then pull its corner to make it larger.
    let box = (await rect.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 200, { steps: 8 });
    await page.mouse.up();
    box = (await rect.boundingBox())!;
    const handle = placer.getByTestId('stamp-handle');
    const hb = (await handle.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2 + 40, hb.y + hb.height / 2 + 25, { steps: 5 });
    await page.mouse.up();
    const num = async (label: string) => Number(await placer.getByLabel(label).inputValue());
    stampRect = { x: await num('From the left (pt)'), y: await num('From the bottom (pt)'), width: await num('Width (pt)'), height: await num('Height (pt)') };
    // Moved from the default (lower right, 220 × 64) and larger.
    expect(stampRect.width).toBeGreaterThan(240);
    expect(stampRect.height).toBeGreaterThan(75);
    expect(stampRect.y).toBeGreaterThan(200);
    await page.getByLabel('Reason (optional)').fill('Approved');
    await shoot(page, 'ui-04-stamp-placement');
    await noSeriousA11yIssues('stamp placement');

    await page.getByRole('button', { name: 'Review and sign' }).click();
    const confirm = page.getByTestId('confirm');
    const look = confirm.getByTestId('stamp-look');
    await look.waitFor();
    expect(await look.getAttribute('aria-label')).toMatch(/^Digitally signed by — Signet Test sign-p256 — Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d — /);
    expect(await look.getAttribute('aria-label')).toContain('Reason: Approved');
    await look.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shoot(page, 'ui-05-confirm-stamp');
    await signAndWait();

    const results = page.getByTestId('results');
    const meta = await results.getByTestId('result-meta').textContent();
    expect(meta).toMatch(/^Signed by Signet Test sign-p256at .+no timestamp$/);
    await shoot(page, 'ui-06-results');
    await noSeriousA11yIssues('results');
    await results.getByRole('button', { name: 'Open lease-signed.pdf' }).click();
    await expect.poll(() => app.harness.openedPaths.length).toBe(1);
    stampedOutput = app.harness.openedPaths[0]!;
    expect(path.basename(stampedOutput)).toBe('lease-signed.pdf');
    expect(pdfsigValid(trustedNss, stampedOutput)).toEqual([true]);

    // poppler draws page 1 of both files at 72 dpi (1 px = 1 pt): every changed pixel lies inside
    // the rectangle drawn (y flipped: the rectangle is in points from the bottom), and there are many.
    const before = renderPage(original, 1);
    const after = renderPage(stampedOutput, 1);
    const changed = changedPixels(before, after);
    expect(changed.length).toBeGreaterThan(300);
    const b = bounds(changed);
    const px = { left: stampRect.x, top: before.height - stampRect.y - stampRect.height, right: stampRect.x + stampRect.width, bottom: before.height - stampRect.y };
    expect(b.left).toBeGreaterThanOrEqual(px.left - 2);
    expect(b.right).toBeLessThanOrEqual(px.right + 2);
    expect(b.top).toBeGreaterThanOrEqual(px.top - 2);
    expect(b.bottom).toBeLessThanOrEqual(px.bottom + 2);
    // Page 2 is untouched.
    expect(changedPixels(renderPage(original, 2), renderPage(stampedOutput, 2))).toEqual([]);
    await results.getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('remembers the last placement for the same layout', async () => {
    const page = app.page;
    const again = await writePdf(path.join(work, 'lease-2.pdf'), 'Another lease', 2);
    app.harness.setNextPick([again]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="lease-2.pdf"][data-state="ok"]').waitFor();
    const placer = page.getByTestId('stamp-placer');
    await placer.waitFor();
    await expect.poll(async () => Number(await placer.getByLabel('From the left (pt)').inputValue())).toBe(Math.round(stampRect.x));
    expect(Number(await placer.getByLabel('From the bottom (pt)').inputValue())).toBe(Math.round(stampRect.y));
    expect(await placer.getByLabel('Page').inputValue()).toBe('1');
    await page.getByRole('checkbox', { name: 'Show the signature on the page' }).uncheck();
    await page.getByRole('button', { name: 'Remove lease-2.pdf' }).click();
  });

  it('verify view: valid, tampered, twice-signed — the same verdicts as pdfsig', async () => {
    // Valid (the stamped file), per signature.
    let card = await verifyInApp(stampedOutput);
    expect(await verdictOf(card)).toEqual({ valid: true, signatures: [true] });
    expect(await card.getByTestId('sig-changes').textContent()).toBe('None: the signature covers the whole document');
    await card.getByRole('button', { name: /^Close/ }).click();

    // Tampered: one byte of the signed revision flipped.
    const tampered = path.join(work, 'tampered.pdf');
    const bytes = readFileSync(stampedOutput);
    // One byte of the original revision (inside a compressed stream), covered by the signature.
    const at = bytes.indexOf('stream') + 20;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(tampered, bytes);
    card = await verifyInApp(tampered);
    const t = await verdictOf(card);
    expect(t).toEqual({ valid: false, signatures: [false] });
    expect(pdfsigValid(trustedNss, tampered)).toEqual(t.signatures);
    expect(await card.getByTestId('sig-integrity').textContent()).toBe('Changed after it was signed, or the signature is damaged');
    await shoot(app.page, 'ui-07-verify-tampered');
    await card.getByRole('button', { name: /^Close/ }).click();

    // Twice signed: the stamped file signed again (a permitted change after the first signature),
    // with another certificate — poppler 22's pdfsig reports the second validation of one and the
    // same certificate in a run as "Unknown issue with Certificate", whatever the file.
    const twice = path.join(work, 'twice.pdf');
    copyFileSync(stampedOutput, twice);
    await cliSign(twice, STD.signRsa2048);
    const twiceSigned = path.join(work, 'twice-signed.pdf');
    card = await verifyInApp(twiceSigned);
    const w = await verdictOf(card);
    expect(w.signatures).toHaveLength(2);
    expect(w.signatures).toEqual(pdfsigValid(trustedNss, twiceSigned));
    expect(w.valid).toBe(w.signatures.every(Boolean));
    // After the first signature: a further signature only, allowed (core's change classification, issue 14).
    const first = card.getByTestId('signature-panel').first();
    expect(await first.getByTestId('sig-changes').textContent()).toMatch(/^The document was updated once after this signature/);
    const changes = await first.getByTestId('sig-change-list').locator('li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-change'), e.getAttribute('data-permitted')]));
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => c.join(' ')))).toEqual(new Set(['signature true']));
    await shoot(app.page, 'ui-08-verify-twice-signed');
    await card.getByRole('button', { name: /^Close/ }).click();
  });

  it('verify view on .p7s: content next to it, changed, or asked for — the same verdicts as openssl cms -verify', async () => {
    const page = app.page;
    const data = path.join(work, 'data.csv');
    writeFileSync(data, 'id,amount\n1,100\n2,250\n');
    await cliSign(data);
    const p7s = `${data}.p7s`;
    let card = await verifyInApp(p7s);
    expect(await verdictOf(card)).toEqual({ valid: true, signatures: [true] });
    expect(opensslValid(p7s, data)).toBe(true);
    expect(await card.textContent()).toContain('Signed file: data.csv');
    await card.getByRole('button', { name: /^Close/ }).click();

    // Content changed after signing.
    const dir2 = path.join(work, 'changed');
    mkdirSync(dir2);
    copyFileSync(p7s, path.join(dir2, 'data.csv.p7s'));
    writeFileSync(path.join(dir2, 'data.csv'), 'id,amount\n1,100\n2,999\n');
    card = await verifyInApp(path.join(dir2, 'data.csv.p7s'));
    expect(await verdictOf(card)).toEqual({ valid: false, signatures: [false] });
    expect(opensslValid(path.join(dir2, 'data.csv.p7s'), path.join(dir2, 'data.csv'))).toBe(false);
    await card.getByRole('button', { name: /^Close/ }).click();

    // Alone: the view asks for the content.
    const dir3 = path.join(work, 'alone');
    mkdirSync(dir3);
    const lone = path.join(dir3, 'data.csv.p7s');
    copyFileSync(p7s, lone);
    card = await verifyInApp(lone);
    await card.getByTestId('needs-content').getByText('This signature file does not contain the signed document, and “data.csv” is not next to it. Choose the file it signs.').waitFor();
    await shoot(page, 'ui-09-verify-needs-content');
    app.harness.setNextPick([data]);
    await card.getByRole('button', { name: 'Choose the signed file…' }).click();
    expect(await verdictOf(card)).toEqual({ valid: true, signatures: [true] });
    await card.getByRole('button', { name: /^Close/ }).click();
  });

  it('"Open with Signet" on a signed PDF or a .p7s lands in the verify view; a signed PDF can still be signed too', async () => {
    const page = app.page;
    await nav('Sign documents');
    await app.harness.openFiles([stampedOutput]);
    await page.getByTestId('verify-page').waitFor();
    const card = page.locator('[data-testid="verify-doc"][data-file="lease-signed.pdf"]');
    await card.getByText('This PDF already has signatures, so Signet opened it here to check them.', { exact: false }).waitFor();
    await shoot(page, 'ui-10-open-with-signed');
    await card.getByRole('button', { name: 'Sign this PDF too' }).click();
    const row = page.locator('[data-file="lease-signed.pdf"][data-state="ok"]');
    await row.locator('[data-notice="already-signed"]').getByText('Already signed once: your signature is added after it, and it stays valid.').waitFor();
    await page.getByRole('button', { name: 'Remove lease-signed.pdf' }).click();

    await app.harness.openFiles([path.join(work, 'data.csv.p7s')]);
    await page.locator('[data-testid="verify-doc"][data-file="data.csv.p7s"]').getByTestId('verdict').waitFor();
    // A plain PDF still goes to the sign flow.
    await app.harness.openFiles([path.join(work, 'report.pdf')]);
    await page.locator('[data-file="report.pdf"][data-state="ok"]').waitFor();
    await page.getByRole('button', { name: 'Remove report.pdf' }).click();
  });

  it('names each problem on its file’s row before the confirm step, and a missing file among three', async () => {
    const page = app.page;
    const encrypted = path.join(work, 'locked.pdf');
    writeFileSync(encrypted, await makeFixturePdf());
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', encrypted, path.join(work, 'locked-enc.pdf')]);
    const fake = path.join(work, 'invoice.pdf');
    writeFileSync(fake, 'This is a text file named like a PDF.\n');
    app.harness.setNextPick([path.join(work, 'locked-enc.pdf'), fake, path.join(work, 'gone.pdf')]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="locked-enc.pdf"][data-state="problem"]').getByText('“locked-enc.pdf” is encrypted or password-protected. Remove the protection first, then sign it.').waitFor();
    await page.locator('[data-file="invoice.pdf"][data-state="problem"]').getByText(/“invoice.pdf” is named like a PDF but is not one/).waitFor();
    await page.getByTestId('rejected-files').getByText('“gone.pdf” can no longer be found (moved, renamed or deleted).').waitFor();
    await page.getByRole('radio', { name: 'Signet Test sign-p256' }).check();
    expect(await page.getByRole('button', { name: 'Review and sign' }).isDisabled()).toBe(true);
    await shoot(page, 'ui-11-file-problems');
    await noSeriousA11yIssues('file problems');
    await page.getByRole('button', { name: 'Remove locked-enc.pdf' }).click();
    await page.getByRole('button', { name: 'Remove invoice.pdf' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();

    // Three files; the second disappears before Review: it is named.
    const three = await Promise.all(['one', 'two', 'three'].map((n) => writePdf(path.join(work, `${n}.pdf`), n)));
    app.harness.setNextPick(three);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="three.pdf"][data-state="ok"]').waitFor();
    rmSync(three[1]!);
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await page.getByRole('alert').getByText('“two.pdf” can no longer be found (moved, renamed or deleted). Remove it from the list, or add it again.').waitFor();
    for (const n of ['one', 'two', 'three']) await page.getByRole('button', { name: `Remove ${n}.pdf` }).click();
  });

  it('history: what was signed, with names only; cleared in Settings', async () => {
    const page = app.page;
    await nav('History');
    const list = page.getByRole('list', { name: 'History' });
    await list.getByText('Signed lease.pdf → lease-signed.pdf').waitFor();
    await shoot(page, 'ui-12-history');
    await noSeriousA11yIssues('history');
    const file = readFileSync(path.join(app.harness.dataDir, 'history.json'), 'utf8');
    expect(file).toContain('lease-signed.pdf');
    expect(file).not.toContain('Lease agreement');
    expect(file).not.toContain('123456');
    await nav('Settings');
    const section = page.getByTestId('history-settings');
    await section.getByText('1 entry is kept on this computer.').waitFor();
    await section.getByRole('button', { name: 'Clear history' }).click();
    await section.getByRole('button', { name: 'Clear', exact: true }).click();
    await section.getByText('0 entries are kept on this computer.').waitFor();
    await nav('History');
    await page.getByText('Nothing yet.').waitFor();
  });

  it('signs into the PDF’s own empty signature field: pdfsig lists the signature under that field’s name', async () => {
    const page = app.page;
    await nav('Sign documents');
    const form = path.join(work, 'form-with-field.pdf');
    writeFileSync(form, await makeFixturePdf({ pages: [{ text: 'Application — sign in the box below' }, { text: 'Annex' }], sigFields: [{ name: 'ApplicantSignature', page: 0, rect: [320, 90, 540, 160] }] }));
    app.harness.setNextPick([form]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="form-with-field.pdf"][data-state="ok"]').waitFor();
    await page.getByRole('checkbox', { name: 'Show the signature on the page' }).check();
    const placer = page.getByTestId('stamp-placer');
    await placer.getByRole('radio', { name: 'In the signature field of the form' }).check();
    await placer.getByTestId('field-list').getByRole('radio', { name: 'ApplicantSignature (page 1)' }).waitFor();
    await placer.getByRole('button', { name: 'ApplicantSignature (page 1)' }).waitFor();
    await placer.locator('[data-page="1"][data-rendered="true"]').waitFor();
    await shoot(page, 'ui-17-sign-into-field');
    await noSeriousA11yIssues('sign into a field');
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await page.getByTestId('confirm').getByTestId('stamp-look').waitFor();
    await signAndWait();
    const out = path.join(work, 'form-with-field-signed.pdf');
    const sigs = pdfsig(trustedNss, out);
    expect(sigs).toHaveLength(1);
    expect(spawnSync('pdfsig', ['-nssdir', `sql:${trustedNss}`, out], { encoding: 'utf8' }).stdout).toContain('Signature Field Name: ApplicantSignature');
    expect(pdfsigValid(trustedNss, out)).toEqual([true]);
    // The stamp is drawn inside the field's box (user space [320 90 540 160] on an unrotated A4 page).
    const changed = changedPixels(renderPage(form, 1), renderPage(out, 1));
    expect(changed.length).toBeGreaterThan(300);
    const b = bounds(changed);
    expect([b.left >= 318, b.right <= 542, b.top >= 842 - 162, b.bottom <= 842 - 88]).toEqual([true, true, true, true]);
    await page.getByTestId('results').getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('on a page shown rotated (/Rotate 90) the stamp lands in the rectangle as the page is displayed', async () => {
    const page = app.page;
    const rotated = path.join(work, 'landscape.pdf');
    writeFileSync(rotated, await makeFixturePdf({ pages: [{ rotate: 90, text: 'Rotated page' }] }));
    app.harness.setNextPick([rotated]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="landscape.pdf"][data-state="ok"]').waitFor();
    await page.getByRole('checkbox', { name: 'Show the signature on the page' }).check();
    const placer = page.getByTestId('stamp-placer');
    await placer.locator('[data-page="1"][data-rendered="true"]').waitFor();
    const want = { x: 520, y: 110, width: 260, height: 80 };
    for (const [label, v] of [['Width (pt)', want.width], ['Height (pt)', want.height], ['From the left (pt)', want.x], ['From the bottom (pt)', want.y]] as const) {
      await placer.getByLabel(label).fill(String(v));
    }
    expect(await placer.getByTestId('stamp-rect').getAttribute('aria-label')).toBe('Signature box on page 1: 520, 110, 260 × 80 points');
    await shoot(page, 'ui-18-stamp-rotated-page');
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await signAndWait();
    const out = path.join(work, 'landscape-signed.pdf');
    expect(pdfsigValid(trustedNss, out)).toEqual([true]);
    const before = renderPage(rotated, 1);
    const after = renderPage(out, 1);
    expect([before.width, before.height]).toEqual([842, 595]); // pdftoppm renders the page as displayed
    const changed = changedPixels(before, after);
    expect(changed.length).toBeGreaterThan(300);
    const b = bounds(changed);
    expect(b.left).toBeGreaterThanOrEqual(want.x - 2);
    expect(b.right).toBeLessThanOrEqual(want.x + want.width + 2);
    expect(b.top).toBeGreaterThanOrEqual(595 - want.y - want.height - 2);
    expect(b.bottom).toBeLessThanOrEqual(595 - want.y + 2);
    // Upright: the stamp's words read left to right in the page as shown (pdftotext, raw order).
    expect(execFileSync('pdftotext', ['-raw', out, '-'], { encoding: 'utf8' })).toContain('Digitally signed by');
    await page.getByTestId('results').getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('French: the stamp as it will look, and the verify view', async () => {
    const page = app.page;
    await nav('Settings');
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Réglages', level: 1 }).waitFor();
    await nav('Signer des documents');
    const pdf = await writePdf(path.join(work, 'bail.pdf'), 'Bail', 1);
    app.harness.setNextPick([pdf]);
    await page.getByRole('button', { name: 'Choisir des fichiers…' }).click();
    await page.locator('[data-file="bail.pdf"][data-state="ok"]').waitFor();
    await page.getByRole('checkbox', { name: 'Afficher la signature sur la page' }).check();
    await page.getByTestId('stamp-placer').waitFor();
    await page.getByRole('button', { name: 'Vérifier et signer' }).click();
    const look = page.getByTestId('confirm').getByTestId('stamp-look');
    await look.waitFor();
    expect(await look.getAttribute('aria-label')).toMatch(/^Signé électroniquement par — Signet Test sign-p256 — Date : \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d — Motif : Approved$/);
    await look.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shoot(page, 'ui-13-confirm-stamp-fr');
    // Signed in French: the stamp's words are French in the PDF itself (poppler's pdftotext reads them).
    await page.getByRole('button', { name: 'Signer 1 document' }).click();
    const done = page.getByTestId('results').getByRole('heading', { name: '1 document signé' });
    await Promise.race([done.waitFor({ timeout: 30_000 }), page.getByTestId('pin-dialog').waitFor({ timeout: 30_000 })]);
    if (await page.getByTestId('pin-dialog').count()) {
      // The label names the PIN's role: 'Signing PIN' in English, 'PIN de signature' in French.
      const pin = page.getByTestId('pin-dialog').getByLabel(/^PIN|PIN$/);
      await pin.fill('123456');
      await pin.press('Enter');
    }
    await done.waitFor({ timeout: 30_000 });
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', path.join(work, 'bail-signed.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Signé électroniquement par');
    expect(text).toContain('Signet Test sign-p256');
    expect(text).toMatch(/Date : \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d/);
    expect(text).toContain('Motif : Approved');
    expect(pdfsigValid(trustedNss, path.join(work, 'bail-signed.pdf'))).toEqual([true]);
    await shoot(page, 'ui-13b-results-fr');
    await page.getByTestId('results').getByRole('button', { name: 'Signer d’autres documents' }).click();

    const card = await verifyInApp(stampedOutput, { nav: 'Vérifier', open: 'Ouvrir un fichier signé…' });
    await card.getByText('La signature est valide.').waitFor();
    await shoot(page, 'ui-14-verify-fr');
    await nav('Réglages');
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  });

  it('the web consent dialog shows the document the site sent: PDF pages; other types by type and size', async () => {
    const page = app.page;
    const modal = page.getByTestId('consent');
    const send = (name: string, format: 'pades' | 'cades', body: Buffer) =>
      fetch(`${app.harness.apiUrl}/v1/sign-document?${new URLSearchParams({ name, format }).toString()}`, {
        method: 'POST',
        headers: { Origin: PORTAL, 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array(body),
      });
    const form = readFileSync(await writePdf(path.join(work, 'application.pdf'), 'Application form', 2));
    const pending = send('application.pdf', 'pades', form);
    await modal.getByText('A website asks you to sign a document').waitFor({ timeout: 15_000 });
    const preview = modal.getByTestId('consent-document-preview');
    await preview.getByText('2 pages').waitFor();
    await preview.locator('[data-page="1"][data-rendered="true"]').waitFor();
    expect(await preview.getByRole('img', { name: 'Page 1 of 2' }).count()).toBe(1);
    await shoot(page, 'ui-15-consent-pdf-preview');
    await noSeriousA11yIssues('consent with PDF preview');
    await modal.getByRole('button', { name: 'Deny' }).click();
    expect((await pending).status).toBe(403);

    const other = send('scan.tiff', 'cades', Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0, 0, 0]));
    await modal.getByText('A website asks you to sign a document').waitFor({ timeout: 15_000 });
    expect(await modal.getByTestId('no-preview').textContent()).toBe('TIFF file, 12 B. Signet cannot show this file type: check it in the application that made it before you sign.');
    await shoot(page, 'ui-16-consent-other-type');
    await modal.getByRole('button', { name: 'Deny' }).click();
    expect((await other).status).toBe(403);
  });

  it('had no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});
