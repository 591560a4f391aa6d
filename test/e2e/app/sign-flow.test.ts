/**
 * The desktop app end to end, in Debian's Chromium against the browser harness (the real renderer,
 * the same IPC handlers, core, the token host and SoftHSM2 tokens from the rig): pick the signing
 * certificate, wrong PIN → message, right PIN → a PDF that pdfsig validates; a batch of three with
 * one PIN (PDFs checked by pdfsig, the .p7s by openssl cms); a keyboard-only run; axe-core on every
 * screen; screenshots of every screen at 1280×800 and 800×600.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, startTsa, type Rig } from '../../rig';
import { openApp, tabUntil, type AppUnderTest } from '../support/app';
import { seriousViolations } from '../support/axe';
import { writePdf } from '../support/pdf';
import { shoot } from '../support/screenshots';

let rig: Rig;
let app: AppUnderTest;
let nssDir: string;
let tsa: Awaited<ReturnType<typeof startTsa>>;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function pdfsig(file: string): string {
  try {
    return execFileSync('pdfsig', ['-nssdir', nssDir, file], { encoding: 'utf8' });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

function expectValidPdfSignature(file: string): void {
  const out = pdfsig(file);
  expect(out, out).toContain('Signature Validation: Signature is Valid.');
  expect(out, out).toContain('Certificate Validation: Certificate is Trusted.');
}

async function expectNoSeriousA11yIssues(screen: string): Promise<void> {
  const v = await seriousViolations(app.page);
  expect(v, `${screen}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

/** The PIN dialog, filled and sent. */
async function enterPin(pin: string): Promise<void> {
  const dialog = app.page.getByTestId('pin-dialog');
  await dialog.waitFor();
  await dialog.getByLabel(/PIN$/).fill(pin);
  await dialog.getByLabel(/PIN$/).press('Enter');
}

function pinRequestsSince(mark: number): number {
  return app.harness.events.slice(mark).filter((e) => e.event === 'pin.request').length;
}

beforeAll(async () => {
  rig = await provisionRig();
  tsa = await startTsa();
  nssDir = rig.nssDb();
  app = await openApp([{ path: rig.module, source: 'argument', env: rig.env }], { trustAnchorFiles: [rig.ca.certPath] });
  await app.page.getByText('Signet Test A').first().waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await tsa?.stop();
  await rig?.cleanup();
});

describe('desktop app in Chromium', () => {
  it('shows every token and its certificates on the home screen', async () => {
    const tokens = app.page.getByTestId('token-list');
    await expect.poll(() => tokens.locator('[data-token-label]').count()).toBe(2);
    expect(await tokens.textContent()).toContain('Signet Test B');
    // Signing certificates are offered; the authentication ones are filtered out of the picker.
    await app.page.getByRole('radio', { name: 'Signet Test sign-rsa2048' }).waitFor();
    expect(await app.page.getByRole('radio', { name: 'Signet Test auth-rsa2048' }).count()).toBe(0);
    // The expired certificate is listed but cannot be chosen, and says why.
    expect(await app.page.getByRole('radio', { name: 'Signet Test expired-rsa2048' }).isDisabled()).toBe(true);
    expect(await app.page.getByText(/Signatures made with an expired certificate are not valid/).count()).toBe(1);
    await shoot(app.page, '01-home');
    await expectNoSeriousA11yIssues('home');
  });

  it('explains why an authentication certificate cannot sign, and shows certificate details', async () => {
    await app.page.getByRole('radio', { name: 'All' }).first().check();
    expect(await app.page.getByRole('radio', { name: 'Signet Test auth-p256' }).isDisabled()).toBe(true);
    await app.page.getByText(/This is an authentication certificate/).first().waitFor();
    await shoot(app.page, '02-picker-all');
    await app.page.getByRole('radio', { name: 'Signing' }).first().check();

    await app.page.getByRole('button', { name: 'Certificates' }).click();
    await app.page.getByRole('heading', { name: 'Certificates', level: 1 }).waitFor();
    await shoot(app.page, '03-certificates');
    await expectNoSeriousA11yIssues('certificates');
    await app.page.getByRole('button', { name: 'Details of Signet Test sign-rsa2048' }).click();
    const details = app.page.getByTestId('cert-details');
    await details.getByText('Certification path').waitFor();
    expect(await details.textContent()).toContain('Signet Test Root CA');
    await details.getByText('The path ends at a trusted certificate authority.').waitFor();
    await shoot(app.page, '04-certificate-details');
    await expectNoSeriousA11yIssues('details');
    await app.page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    await app.page.getByRole('button', { name: 'Sign documents' }).click();
  });

  it('signs a PDF: wrong PIN → message with the token’s state, right PIN → pdfsig says valid', async () => {
    const pdf = await writePdf(path.join(app.dir, 'contract.pdf'), 'Contract');
    const before = sha256(pdf);
    app.harness.setNextPick([pdf]);
    await app.page.getByRole('button', { name: 'Choose files…' }).click();
    await app.page.getByText('contract.pdf').waitFor();
    await app.page.getByRole('radio', { name: 'Signet Test sign-rsa2048' }).check();
    await shoot(app.page, '05-compose-ready');
    await expectNoSeriousA11yIssues('compose');

    await app.page.getByRole('button', { name: 'Review and sign' }).click();
    const confirm = app.page.getByTestId('confirm');
    await confirm.waitFor();
    const text = (await confirm.textContent()) ?? '';
    expect(text.replace(/\s/g, '')).toContain(before);
    expect(text).toContain('contract-signed.pdf');
    expect(text).toContain('Signet Test sign-rsa2048');
    await shoot(app.page, '06-confirm');
    await expectNoSeriousA11yIssues('confirm');

    const mark = app.harness.events.length;
    await app.page.getByRole('button', { name: 'Sign 1 document' }).click();
    await app.page.getByTestId('pin-dialog').waitFor();
    expect(await app.page.getByTestId('pin-dialog').textContent()).toContain('Signet Test A');
    await shoot(app.page, '07-pin');
    await expectNoSeriousA11yIssues('pin');
    await enterPin('000000');
    // Asked again, saying the PIN was wrong — SoftHSM2 gives no count, so none is shown.
    await app.page.getByTestId('pin-status').waitFor();
    const status = (await app.page.getByTestId('pin-status').textContent()) ?? '';
    expect(status).toMatch(/^Wrong PIN\./);
    expect(status).not.toMatch(/\d+ attempts? left/);
    await shoot(app.page, '08-pin-wrong');
    await enterPin('123456');

    const results = app.page.getByTestId('results');
    await results.waitFor({ timeout: 30_000 });
    await results.getByRole('heading', { name: '1 document signed' }).waitFor();
    expect(pinRequestsSince(mark)).toBe(2);
    await shoot(app.page, '09-results');
    await expectNoSeriousA11yIssues('results');

    await results.getByRole('button', { name: 'Show in folder: contract-signed.pdf' }).click();
    await expect.poll(() => app.harness.shownInFolder.length).toBe(1);
    const output = app.harness.shownInFolder[0]!;
    expect(path.basename(output)).toBe('contract-signed.pdf');
    expectValidPdfSignature(output);
    expect(sha256(pdf)).toBe(before); // the input is never modified
    await results.getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('Escape at the PIN dialog returns to the documents with a neutral "Cancelled — nothing was signed" and writes nothing', async () => {
    const pdf = await writePdf(path.join(app.dir, 'cancel-me.pdf'), 'Cancel me');
    const before = readdirSync(app.dir).sort();
    app.harness.setNextPick([pdf]);
    await app.page.getByRole('button', { name: 'Choose files…' }).click();
    await app.page.getByText('cancel-me.pdf').waitFor();
    await app.page.getByRole('radio', { name: 'Signet Test sign-rsa2048' }).check();
    await app.page.getByRole('button', { name: 'Review and sign' }).click();
    await app.page.getByTestId('confirm').waitFor();
    await app.page.getByRole('button', { name: 'Sign 1 document' }).click();
    await app.page.getByTestId('pin-dialog').waitFor();
    await app.page.keyboard.press('Escape');
    const notice = app.page.getByTestId('sign-cancelled');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('Cancelled — nothing was signed.');
    expect(await app.page.getByRole('heading', { name: 'Signing did not complete' }).count()).toBe(0);
    // Back where the user was: the document is still chosen, nothing was written next to it.
    expect(await app.page.getByRole('button', { name: 'Remove cancel-me.pdf' }).count()).toBe(1);
    expect(readdirSync(app.dir).sort()).toEqual(before);
    expect(existsSync(path.join(app.dir, 'cancel-me-signed.pdf'))).toBe(false);
    await shoot(app.page, '19-pin-cancelled');
    await app.page.getByRole('button', { name: 'Remove cancel-me.pdf' }).click();
  });

  it('signs a batch of three files with one PIN (PAdES ×2 verified by pdfsig, CAdES by openssl)', async () => {
    const files = [await writePdf(path.join(app.dir, 'a.pdf'), 'A'), await writePdf(path.join(app.dir, 'b.pdf'), 'B', 3), path.join(app.dir, 'notes.txt')];
    writeFileSync(files[2]!, 'Minutes of the meeting.\n');
    app.harness.setNextPick(files);
    await app.page.getByRole('button', { name: 'Choose files…' }).click();
    await app.page.getByText('notes.txt').waitFor();
    // Token B has not been logged in yet: exactly one PIN for the whole batch.
    await app.page.getByRole('radio', { name: 'Signet Test b-sign-p256' }).check();
    await app.page.getByRole('button', { name: 'Review and sign' }).click();
    await app.page.getByTestId('confirm').waitFor();
    const mark = app.harness.events.length;
    await app.page.getByRole('button', { name: 'Sign 3 documents' }).click();
    await enterPin('654321');
    const results = app.page.getByTestId('results');
    await results.getByRole('heading', { name: '3 documents signed' }).waitFor({ timeout: 60_000 });
    expect(pinRequestsSince(mark)).toBe(1);
    const progress = app.harness.events.slice(mark).filter((e) => e.event === 'sign.progress').map((e) => e.payload as { index: number; phase: string });
    expect(new Set(progress.filter((p) => p.phase === 'done').map((p) => p.index))).toEqual(new Set([0, 1, 2]));
    expect(await results.locator('[data-result="ok"]').count()).toBe(3);
    await shoot(app.page, '10-results-batch');

    expectValidPdfSignature(path.join(app.dir, 'a-signed.pdf'));
    expectValidPdfSignature(path.join(app.dir, 'b-signed.pdf'));
    const p7s = path.join(app.dir, 'notes.txt.p7s');
    const out = execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', files[2]!, '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
    await results.getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('can be run with the keyboard only (per-signature PIN key)', async () => {
    const pdf = await writePdf(path.join(app.dir, 'keyboard.pdf'), 'Keyboard');
    app.harness.setNextPick([pdf]);
    const page = app.page;
    await page.locator('body').focus();
    await tabUntil(page, 'Choose files…', "el.textContent === 'Choose files…'");
    await page.keyboard.press('Enter');
    await page.getByText('keyboard.pdf').waitFor();
    // Into the certificate radio group, then arrows to the always-authenticate key.
    await tabUntil(page, 'a certificate radio', "el.classList.contains('cert-radio')");
    for (let i = 0; i < 12; i++) {
      const name = await page.evaluate(() => (document.activeElement as HTMLInputElement).closest('[data-cert-name]')?.getAttribute('data-cert-name'));
      if (name === 'Signet Test always-auth-rsa2048') break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: 'Signet Test always-auth-rsa2048' }).isChecked()).toBe(true);
    await tabUntil(page, 'Review and sign', "el.textContent === 'Review and sign'");
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm').waitFor();
    await tabUntil(page, 'Sign 1 document', "el.textContent === 'Sign 1 document'");
    await page.keyboard.press('Enter');
    // A new action: the token's PIN first (nothing stays unlocked between actions), then this
    // key asks its own PIN for every signature.
    const dialog = page.getByTestId('pin-dialog');
    await dialog.waitFor();
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await dialog.getByText('This certificate asks for its PIN for every signature.').waitFor();
    await shoot(page, '11-pin-per-signature');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await page.getByTestId('results').getByRole('heading', { name: '1 document signed' }).waitFor({ timeout: 30_000 });
    expectValidPdfSignature(path.join(app.dir, 'keyboard-signed.pdf'));
    await tabUntil(page, 'Sign other documents', "el.textContent === 'Sign other documents'");
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign documents', level: 1 }).waitFor();
  });

  it('takes files by drag and drop and from "open with", and removes one', async () => {
    const page = app.page;
    // A real drop: a DataTransfer with a File, dispatched on the drop zone.
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['%PDF-1.4\n% dropped\n'], 'dropped.pdf', { type: 'application/pdf' }));
      return dt;
    });
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByText('dropped.pdf', { exact: true }).waitFor();
    // Checked when added: a header with nothing behind it is no PDF to sign, said on its row (issue 12 §6).
    await page.locator('[data-file="dropped.pdf"][data-state="problem"]').getByText('“dropped.pdf” is a damaged PDF that cannot be read.').waitFor();
    // "Open with Signet" / a second instance: the app pushes files.opened.
    const opened = await writePdf(path.join(app.dir, 'opened.pdf'), 'Opened');
    await app.harness.openFiles([opened]);
    await page.getByText('opened.pdf', { exact: true }).waitFor();
    await page.locator('[data-file="opened.pdf"][data-state="ok"]').waitFor();
    await shoot(page, '05b-compose-two-files');
    await page.getByRole('button', { name: 'Remove dropped.pdf' }).click();
    await page.getByRole('button', { name: 'Remove opened.pdf' }).click();
    await page.getByText('Drop files here, or choose them.', { exact: false }).waitFor();
  });

  it('options: a timestamp from the TSA set in Settings, a visible signature with a reason', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Timestamp server (RFC 3161) address').fill(tsa.url);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => app.harness.ctx.settings.get().tsaUrl).toBe(tsa.url);
    await page.getByRole('button', { name: 'Sign documents' }).click();

    const pdf = await writePdf(path.join(app.dir, 'stamped.pdf'), 'Stamped', 2);
    app.harness.setNextPick([pdf]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.getByText('stamped.pdf').waitFor();
    await page.getByRole('radio', { name: 'Signet Test sign-p256' }).check();
    await page.getByRole('checkbox', { name: 'Add a trusted timestamp' }).check();
    await page.getByRole('checkbox', { name: 'Show the signature on the page' }).check();
    await page.getByLabel('Reason (optional)').fill('Approved for release');
    await shoot(page, '05c-compose-options');
    await page.getByRole('button', { name: 'Review and sign' }).click();
    await page.getByTestId('confirm').getByText(`A timestamp will be added by ${tsa.url}.`).waitFor();
    await page.getByRole('button', { name: 'Sign 1 document' }).click();
    // Token A may still be logged in from an earlier test (then no PIN is asked).
    const done = page.getByTestId('results').getByRole('heading', { name: '1 document signed' });
    await Promise.race([done.waitFor({ timeout: 30_000 }), page.getByTestId('pin-dialog').waitFor({ timeout: 30_000 })]);
    if (await page.getByTestId('pin-dialog').count()) await enterPin('123456');
    await done.waitFor({ timeout: 30_000 });
    const out = path.join(app.dir, 'stamped-signed.pdf');
    expectValidPdfSignature(out);
    // Our verifier reports the RFC 3161 timestamp (checked against the TSA's CA) and the reason.
    const verify = JSON.parse(
      execFileSync(process.execPath, [path.resolve(__dirname, '../../../dist/cli.js'), 'verify', out, '--json', '--trust', rig.ca.certPath, '--trust', tsa.caCertPath, '--no-system-trust'], {
        encoding: 'utf8',
      }),
    ) as { valid: boolean; signatures: { timestamp?: { valid: boolean; trusted: boolean } }[] };
    expect(verify.valid).toBe(true);
    expect(verify.signatures[0]?.timestamp).toMatchObject({ valid: true, trusted: true });
    expect(JSON.stringify(verify.signatures[0])).toContain('"reason":"Approved for release"');
    // The visible signature: a widget with a real rectangle on the last page (pdf-lib reads it).
    const doc = await PDFDocument.load(readFileSync(out));
    const widgets = doc.getForm().getFields().flatMap((f) => f.acroField.getWidgets());
    const rects = widgets.map((w) => w.getRectangle()).filter((r) => r.width > 0 && r.height > 0);
    expect(rects).toHaveLength(1);
    const lastPage = doc.getPages().at(-1)!;
    expect(widgets.some((w) => w.P() === lastPage.ref)).toBe(true);
    await page.getByTestId('results').getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('settings, help and diagnostics (public data only)', async () => {
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await app.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await shoot(app.page, '12-settings');
    await expectNoSeriousA11yIssues('settings');

    await app.page.getByRole('button', { name: 'Help' }).click();
    await app.page.getByRole('button', { name: 'Export diagnostics…' }).click();
    await app.page.getByText(/Saved as signet-diagnostics-/).waitFor();
    await shoot(app.page, '13-help');
    await expectNoSeriousA11yIssues('help');
    const report = readFileSync(app.harness.savedFiles[0]!, 'utf8');
    expect(report).toContain('Signet Test A');
    expect(report).toContain('CKM_');
    expect(report).toContain('SHA-256 fingerprint');
    for (const secret of ['123456', '654321', '000000']) expect(report).not.toContain(secret);
    expect(report).not.toContain('Minutes of the meeting');
    expect(report).not.toMatch(/MII[A-Za-z0-9+/]{40}/); // no DER certificates or keys

    // Change PIN dialog: the token's length rules and a confirmation field.
    await app.page.getByRole('button', { name: 'Change PIN: Signet Test B' }).click();
    const dialog = app.page.getByTestId('change-pin');
    await dialog.waitFor();
    await shoot(app.page, '14-change-pin');
    await expectNoSeriousA11yIssues('change-pin');
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('changes a token’s PIN (wrong current PIN refused with the token’s state)', async () => {
    const open = async () => {
      await app.page.getByRole('button', { name: 'Change PIN: Signet Test B' }).click();
      const d = app.page.getByTestId('change-pin');
      await d.waitFor();
      return d;
    };
    const fill = async (d: ReturnType<typeof app.page.getByTestId>, current: string, next: string) => {
      await d.getByLabel('Current PIN').fill(current);
      await d.getByLabel('New PIN', { exact: true }).fill(next);
      await d.getByLabel('New PIN again').fill(next);
      await d.getByRole('button', { name: 'Change PIN' }).click();
    };
    let d = await open();
    await fill(d, '999999', '24681357');
    await d.getByRole('alert').getByText('Wrong PIN.').waitFor();
    await shoot(app.page, '14b-change-pin-wrong');
    await fill(d, '654321', '24681357');
    await app.page.getByText('The PIN of Signet Test B was changed.').waitFor();
    // The new PIN works (as the current one), and puts the rig's PIN back.
    d = await open();
    await fill(d, '24681357', '654321');
    await d.waitFor({ state: 'detached' });
  });

  it('PIN pad and locked states, driven through main’s PIN broker (SoftHSM2 has neither)', async () => {
    const page = app.page;
    const snapshot = await app.harness.ctx.services.tokens.snapshot();
    const t = snapshot.tokens.find((x) => x.label === 'Signet Test A')!;
    const token = { uri: t.uri, label: t.label, manufacturer: t.manufacturer, model: t.model, serial: t.serial, minPinLength: t.minPinLength, maxPinLength: t.maxPinLength, pinCountLow: false, pinFinalTry: false };
    // PIN pad: countdown and Cancel, which reaches the login's cancel callback in main.
    let cancelled = 0;
    const close = app.harness.ctx.pins.showPinPad({ token, kind: 'login', action: { purpose: 'sign-documents', documents: ['a.pdf'] }, pinPad: true, timeoutMs: 90_000, certificate: { uri: 'pkcs11:x', displayName: 'Signet Test sign-rsa2048' } }, () => cancelled++);
    const dialog = page.getByTestId('pin-dialog');
    await dialog.getByText('Type your PIN on the card reader’s keypad and confirm it there.').waitFor();
    expect(await dialog.getByLabel(/PIN$/).count()).toBe(0);
    await shoot(page, '16-pin-pad');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => cancelled).toBe(1);
    close();
    // Locked: what to do, no retry; closing answers "no PIN".
    const answer = app.harness.ctx.pins.askPin({ token, kind: 'login', action: { purpose: 'sign-documents', documents: ['a.pdf'] }, pinPad: false, timeoutMs: 30_000, previousError: { code: 'PIN_LOCKED', message: 'locked' } }, new AbortController().signal);
    await dialog.getByText(/PUK/).waitFor();
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Close']);
    await shoot(page, '17-pin-locked');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await answer).toBeNull();
  });

  it('the PIN dialog says what and for whom, for every kind of action (issue 8 §3)', async () => {
    const page = app.page;
    const snapshot = await app.harness.ctx.services.tokens.snapshot();
    const t = snapshot.tokens.find((x) => x.label === 'Signet Test A')!;
    const token = { uri: t.uri, label: t.label, manufacturer: t.manufacturer, model: t.model, serial: t.serial, minPinLength: t.minPinLength, maxPinLength: t.maxPinLength, pinCountLow: false, pinFinalTry: false };
    const cases = [
      { shot: '18a-pin-sign-3-documents', title: 'Sign 3 documents', label: 'Signing PIN', action: { purpose: 'sign-documents' as const, documents: ['contract.pdf', 'annex-1.pdf', 'invoice.txt'] }, cert: 'Signet Test sign-rsa2048' },
      { shot: '18b-pin-web-login', title: 'Log in to portal.example', label: 'Authentication PIN', action: { purpose: 'authenticate' as const, origin: 'https://portal.example' }, cert: 'Signet Test auth-p256' },
      { shot: '18c-pin-sign-data', title: 'Sign data for portal.example', label: 'Signing PIN', action: { purpose: 'sign-data' as const, origin: 'https://portal.example' }, cert: 'Signet Test sign-p256' },
      { shot: '18d-pin-web-document', title: 'Sign login-⟨U+202E⟩txt.exe for portal.example', label: 'Signing PIN', action: { purpose: 'sign-documents' as const, origin: 'https://portal.example', documents: ['login-\u202Etxt.exe'] }, cert: 'Signet Test sign-p256' },
      { shot: '18e-pin-tls-login', title: 'Log in to bank.example', label: 'Authentication PIN', action: { purpose: 'tls' as const, origin: 'https://bank.example' }, cert: 'Signet Test auth-rsa2048' },
    ];
    const dialog = page.getByTestId('pin-dialog');
    for (const c of cases) {
      const answer = app.harness.ctx.pins.askPin({ token, kind: 'login', action: c.action, pinPad: false, timeoutMs: 30_000, certificate: { uri: 'pkcs11:x', displayName: c.cert } }, new AbortController().signal);
      await page.getByRole('alertdialog', { name: c.title }).waitFor();
      expect(await dialog.getByLabel(c.label).count()).toBe(1);
      await shoot(page, c.shot);
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      expect(await answer).toBeNull();
    }
  });

  it('French', async () => {
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await app.page.getByLabel('Language').selectOption('fr');
    await app.page.getByRole('heading', { name: 'Réglages', level: 1 }).waitFor();
    await app.page.getByRole('button', { name: 'Signer des documents' }).click();
    await shoot(app.page, '15-home-fr');
    await app.page.getByRole('button', { name: 'Réglages' }).click();
    await app.page.getByLabel('Langue').selectOption('en');
    await app.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await app.page.getByRole('button', { name: 'Sign documents' }).click();
  });

  it('had no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});
