/**
 * Coded errors worded in the UI language (issue 12 §6): every reason core's PDF checks can give
 * (PdfProblemReason, listed exhaustively so a new reason without words does not compile) and every
 * reason the app's handlers give has a sentence in each catalog, filled with the error's
 * parameters (name, sizes, counts); an unknown reason still gets the code's words, with main's
 * sentence as a detail.
 */
import { describe, expect, it } from 'vitest';
import type { PdfProblemReason } from '../../../electron/core/formats/pades/problems';
import { CATALOGS, createI18n, hasMessage } from '../../../renderer/src/i18n';
import { describeError } from '../../../renderer/src/lib/errors';

const PDF_REASONS: Record<PdfProblemReason, true> = {
  'not-a-pdf': true,
  'pdf-encrypted': true,
  'pdf-damaged': true,
  'pdf-too-complex': true,
  'pdf-inflate-limit': true,
  'pdf-object-number-limit': true,
  'pdf-unsupported-filter': true,
  'docmdp-no-changes': true,
  'page-not-found': true,
  'rect-off-page': true,
  'rect-too-small': true,
  'field-not-found': true,
  'field-already-signed': true,
  'field-not-signature': true,
  'field-and-rect': true,
  'no-signature': true,
  'file-too-large': true,
  'certify-signed': true,
};

/** Reasons set by the app's IPC handlers and file checks (electron/app). */
const APP_REASONS = [
  'empty-file',
  'unreadable',
  'missing',
  'missing-files',
  'permission-denied',
  'not-a-file',
  'not-a-certificate',
  'anchor-from-policy',
  'anchor-unknown',
  'not-signed-file',
  'not-a-signature',
  'cannot-open',
  'no-tsa',
  'no-output-folder',
  'pades-needs-pdf',
  'plan-cancelled',
  'plan-used',
  'file-forgotten',
];

describe('error reasons', () => {
  it('every reason has words in every catalog', () => {
    for (const reason of [...Object.keys(PDF_REASONS), ...APP_REASONS]) {
      expect(hasMessage(`reason.${reason}`), reason).toBe(true);
      for (const lang of Object.keys(CATALOGS) as (keyof typeof CATALOGS)[]) {
        const { t } = createI18n(lang);
        const h = describeError(t, { code: 'INVALID_INPUT', message: 'English sentence from main', details: { reason, name: 'x.pdf', names: 'a.pdf, b.pdf', page: 3, pageCount: 2, field: 'Sig1', limit: 10, objectNumber: 9_000_000, filter: 'JBIG2Decode', pageWidth: 595, pageHeight: 842, size: 10, limitBytes: 5 } });
        expect(h.action, `${lang} ${reason}`).not.toMatch(/^reason\.|\{\w+\}/);
        expect(h.detail, reason).toBeUndefined();
      }
    }
  });

  it('fills the parameters in the UI language: names, sizes as sizes, counts as numbers', () => {
    const fr = createI18n('fr');
    expect(describeError(fr.t, { code: 'INVALID_INPUT', message: 'x.pdf is encrypted', details: { reason: 'pdf-encrypted', name: 'contrat.pdf' } }, fr).action).toBe(
      '« contrat.pdf » est chiffré ou protégé par mot de passe. Retirez la protection, puis signez-le.',
    );
    const en = createI18n('en');
    const big = describeError(en.t, { code: 'INVALID_INPUT', message: '', details: { reason: 'file-too-large', name: 'scan.pdf', size: 5 * 1024 ** 3, limitBytes: 4 * 1024 ** 3 } }, en);
    expect(big.action).toBe('“scan.pdf” (5 GB) is larger than a PDF Signet can sign (4 GB). Sign it as a separate signature file (.p7s).');
    const complex = describeError(en.t, { code: 'INVALID_INPUT', message: '', details: { reason: 'pdf-too-complex', name: 'a.pdf', limit: 1_000_000 } }, en);
    expect(complex.action).toContain('more than 1,000,000 objects');
    const missing = describeError(fr.t, { code: 'FILE_UNREADABLE', message: '', details: { reason: 'missing-files', name: 'b.pdf', names: 'b.pdf', n: 1 } }, fr);
    expect(missing.title).toBe(fr.t('error.FILE_UNREADABLE.title'));
    expect(missing.action).toBe('« b.pdf » est introuvable (déplacé, renommé ou supprimé). Retirez-le de la liste, ou ajoutez-le à nouveau.');
    const two = describeError(en.t, { code: 'FILE_UNREADABLE', message: '', details: { reason: 'missing-files', name: 'b.pdf', names: 'b.pdf, c.pdf', n: 2 } }, en);
    expect(two.action).toBe('These files can no longer be found (moved, renamed or deleted): b.pdf, c.pdf. Remove them from the list, or add them again.');
  });

  it('an unknown reason keeps the code’s words and shows main’s sentence as a detail', () => {
    const { t } = createI18n('fr');
    const h = describeError(t, { code: 'INVALID_INPUT', message: 'Something specific happened.', details: { reason: 'brand-new-reason' } });
    expect(h.title).toBe(t('error.INVALID_INPUT.title'));
    expect(h.detail).toBe('Something specific happened.');
  });
});
