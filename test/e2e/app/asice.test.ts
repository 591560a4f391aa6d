/**
 * The app's sign flow with "Container (.asice)": three files chosen, the container option offered
 * (not for one plain file), one PIN, one container next to the first file that xmlsec1 verifies,
 * the results screen; screenshots of the options and the results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { provisionRig, type Rig } from '../../rig';
import { extract, xmlsecVerify, zipNames } from '../../unit/documents/helpers/asice-tools';
import { openApp, type AppUnderTest } from '../support/app';
import { writePdf } from '../support/pdf';
import { shoot } from '../support/screenshots';

let rig: Rig;
let app: AppUnderTest;

beforeAll(async () => {
  rig = await provisionRig();
  app = await openApp([{ path: rig.module, source: 'argument', env: rig.env }], { trustAnchorFiles: [rig.ca.certPath] });
  await app.page.getByText('Signet Test A').first().waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await rig?.cleanup();
});

describe('sign flow: Container (.asice)', () => {
  it('offers the container for several files only; signs three files into one container with one PIN', async () => {
    const one = path.join(app.dir, 'only.txt');
    writeFileSync(one, 'alone\n');
    app.harness.setNextPick([one]);
    await app.page.getByRole('button', { name: 'Choose files…' }).click();
    await app.page.getByText('only.txt').waitFor();
    const format = app.page.getByLabel('Signature format');
    expect(await format.locator('option[value="asice"]').count()).toBe(0);
    await app.page.getByRole('button', { name: 'Remove only.txt' }).click();

    const files = [await writePdf(path.join(app.dir, 'contract.pdf'), 'Contract'), path.join(app.dir, 'annex.txt'), path.join(app.dir, 'terms.docx')];
    writeFileSync(files[1]!, 'Annex: prices.\n');
    writeFileSync(files[2]!, Buffer.from('PK\u0003\u0004 stand-in'));
    app.harness.setNextPick(files);
    await app.page.getByRole('button', { name: 'Choose files…' }).click();
    await app.page.getByText('terms.docx').waitFor();
    await format.selectOption('asice');
    await app.page.getByText('All the files go into one .asice container').waitFor();
    await app.page.getByRole('radio', { name: 'Signet Test sign-rsa2048' }).check();
    await shoot(app.page, 'asice-01-options');
    await app.page.getByRole('button', { name: 'Review and sign' }).click();
    const confirm = app.page.getByTestId('confirm');
    await confirm.waitFor();
    expect(await confirm.getByText('contract.asice').count()).toBeGreaterThan(0);
    const mark = app.harness.events.length;
    await confirm.getByRole('button', { name: /^Sign 3 documents/ }).click();
    const dialog = app.page.getByTestId('pin-dialog');
    await dialog.waitFor();
    await dialog.getByLabel(/PIN$/).fill('123456');
    await dialog.getByLabel(/PIN$/).press('Enter');
    const results = app.page.getByTestId('results');
    await results.getByRole('heading', { name: '3 documents signed' }).waitFor({ timeout: 60_000 });
    expect(app.harness.events.slice(mark).filter((e) => e.event === 'pin.request').length).toBe(1);
    await shoot(app.page, 'asice-02-results');

    const out = path.join(app.dir, 'contract.asice');
    expect(zipNames(out)).toEqual(['mimetype', 'contract.pdf', 'annex.txt', 'terms.docx', 'META-INF/manifest.xml', 'META-INF/signatures0.xml']);
    const x = extract(out, app.dir);
    const v = xmlsecVerify(x, 'META-INF/signatures0.xml', rig.ca.certPath);
    expect(v.ok, v.output).toBe(true);
    await results.getByRole('button', { name: 'Sign other documents' }).click();
  });

  it('the verify view shows the container valid and which files the signature covers', async () => {
    await app.page.getByRole('navigation').getByRole('button', { name: 'Verify', exact: true }).click();
    app.harness.setNextPick([path.join(app.dir, 'contract.asice')]);
    await app.page.getByRole('button', { name: 'Open a signed file…' }).click();
    const card = app.page.locator('[data-testid="verify-doc"][data-file="contract.asice"]').first();
    await card.getByTestId('verdict').waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('verdict').getAttribute('data-valid')).toBe('true');
    expect(await card.getByTestId('sig-covers').textContent()).toBe('contract.pdf, annex.txt, terms.docx');
    expect(await card.getByTestId('sig-integrity').textContent()).toBe('Unchanged since it was signed');
    await shoot(app.page, 'asice-03-verify');
  });
});
