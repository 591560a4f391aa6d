/**
 * i18n: every user-visible string comes from a catalog (./en.ts is the reference; other catalogs
 * must have every key, checked at compile time). `t(key, vars)` fills `{name}` placeholders;
 * numbers, dates and sizes are formatted with Intl for the active locale.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { fr } from './fr';

export type { MessageKey };
export const CATALOGS = { en, fr } as const;
export type Language = keyof typeof CATALOGS;

export type Vars = Record<string, string | number>;
export type T = (key: MessageKey, vars?: Vars) => string;

export interface I18n {
  lang: Language;
  t: T;
  formatDate(iso: string): string;
  formatDateTime(iso: string): string;
  formatBytes(n: number): string;
  formatNumber(n: number): string;
}

export function resolveLanguage(setting: string | undefined, navigatorLanguages: readonly string[]): Language {
  if (setting && setting !== 'system' && setting in CATALOGS) return setting as Language;
  for (const l of navigatorLanguages) {
    const base = l.toLowerCase().split('-')[0] ?? '';
    if (base in CATALOGS) return base as Language;
  }
  return 'en';
}

/** Whether the reference catalog has a key (for keys built from data, like error reasons). */
export function hasMessage(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function createI18n(lang: Language): I18n {
  const catalog = CATALOGS[lang];
  const plural = new Intl.PluralRules(lang);
  const lookup = (key: string): string | undefined => (catalog as Record<string, string>)[key] ?? (en as Record<string, string>)[key];
  const t: T = (key, vars) => {
    // Plural forms: "key.one" is used when the count {n} is singular in this language.
    const n = vars?.n;
    const singular = typeof n === 'number' && plural.select(n) === 'one' ? lookup(`${key}.one`) : undefined;
    const template = singular ?? lookup(key) ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
  const dateFmt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric' });
  const dateTimeFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFmt = new Intl.NumberFormat(lang);
  const formatBytes = (n: number): string => {
    const units = ['B', 'KB', 'MB', 'GB'] as const;
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    const num = new Intl.NumberFormat(lang, { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v);
    return `${num} ${t(`unit.${units[u]}` as MessageKey)}`;
  };
  return {
    lang,
    t,
    formatDate: (iso) => dateFmt.format(new Date(iso)),
    formatDateTime: (iso) => dateTimeFmt.format(new Date(iso)),
    formatBytes,
    formatNumber: (n) => numberFmt.format(n),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
