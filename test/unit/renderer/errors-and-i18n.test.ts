import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../native/errors';
import { CATALOGS, createI18n, resolveLanguage } from '../../../renderer/src/i18n';
import { en } from '../../../renderer/src/i18n/en';
import { describeError } from '../../../renderer/src/lib/errors';

describe('error messages', () => {
  for (const lang of Object.keys(CATALOGS) as (keyof typeof CATALOGS)[]) {
    it(`every design error code has a human title and action in ${lang}, never a CKR name`, () => {
      const { t } = createI18n(lang);
      for (const code of ERROR_CODES) {
        const h = describeError(t, { code, message: 'CKR_DEVICE_REMOVED' });
        expect(h.title, code).not.toMatch(/^error\./);
        expect(h.action, code).not.toMatch(/^error\./);
        expect(h.title.length, code).toBeGreaterThan(3);
        expect(`${h.title} ${h.action}`).not.toMatch(/CKR_|undefined/);
      }
    });
  }

  it('PIN_INCORRECT uses the count only when the token gave one', () => {
    const { t } = createI18n('en');
    expect(describeError(t, { code: 'PIN_INCORRECT', message: '', retriesLeft: 2 }).action).toBe('2 attempts left before the PIN is locked.');
    expect(describeError(t, { code: 'PIN_INCORRECT', message: '', finalTry: true }).action).toMatch(/Last attempt/);
    expect(describeError(t, { code: 'PIN_INCORRECT', message: '' }).action).toBe('Check your PIN and try again.');
  });
});

describe('catalogs', () => {
  it('French has every English key, non-empty, with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const fr = CATALOGS.fr[key];
      expect(fr, key).toBeTruthy();
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(fr), key).toEqual(vars(en[key]));
    }
  });

  it('picks the language from the setting, else the system, else English', () => {
    expect(resolveLanguage('fr', ['en-US'])).toBe('fr');
    expect(resolveLanguage('system', ['fr-CA', 'en'])).toBe('fr');
    expect(resolveLanguage(undefined, ['de-DE'])).toBe('en');
  });

  it('formats sizes per locale', () => {
    expect(createI18n('en').formatBytes(1536)).toBe('1.5 KB');
    expect(createI18n('fr').formatBytes(1536)).toBe('1,5 Ko');
  });
});

describe('plurals', () => {
  it('uses the singular form where the language says so', () => {
    expect(createI18n('en').t('tokens.certCount', { n: 1 })).toBe('1 certificate');
    expect(createI18n('en').t('tokens.certCount', { n: 0 })).toBe('0 certificates');
    expect(createI18n('fr').t('tokens.certCount', { n: 0 })).toBe('0 certificat');
    expect(createI18n('fr').t('tokens.certCount', { n: 3 })).toBe('3 certificats');
  });
});
