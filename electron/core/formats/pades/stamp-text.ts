/**
 * The words and the time on a visible signature, in the user's language (issue 12 §3: English
 * and French, like the app). The time is local with its UTC offset, so a reader in another time
 * zone knows exactly when it was; the signed time itself is /M (UTC) and, with a time-stamp, the
 * TSA's genTime.
 */

export type StampLocale = 'en' | 'fr';
export const STAMP_LOCALES: readonly StampLocale[] = ['en', 'fr'];

interface Labels {
  signedBy: string;
  date: string;
  reason: string;
  location: string;
}

const LABELS: Record<StampLocale, Labels> = {
  en: { signedBy: 'Digitally signed by', date: 'Date:', reason: 'Reason:', location: 'Location:' },
  fr: { signedBy: 'Signé électroniquement par', date: 'Date :', reason: 'Motif :', location: 'Lieu :' },
};

/** A BCP 47 tag or a POSIX locale (LANG=fr_FR.UTF-8) → a stamp locale (English by default). */
export function stampLocaleFor(tag: string | undefined): StampLocale {
  const lang = (tag ?? '').toLowerCase().split(/[-_.@]/)[0];
  return lang === 'fr' ? 'fr' : 'en';
}

export interface StampText {
  signerName: string;
  signingTime: Date;
  reason?: string;
  location?: string;
}

export interface StampLine {
  text: string;
  bold: boolean;
}

const MAX_FIELD = 500;

export function stampLines(t: StampText, locale: StampLocale): StampLine[] {
  const l = LABELS[locale];
  const clean = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, MAX_FIELD);
  const lines: StampLine[] = [
    { text: l.signedBy, bold: false },
    { text: clean(t.signerName), bold: true },
    { text: `${l.date} ${localTime(t.signingTime, locale)}`, bold: false },
  ];
  if (t.reason) lines.push({ text: `${l.reason} ${clean(t.reason)}`, bold: false });
  if (t.location) lines.push({ text: `${l.location} ${clean(t.location)}`, bold: false });
  return lines;
}

/** Local time with the UTC offset: "2025-03-14 15:30:05 UTC+01:00" (fr: "14/03/2025 …"). */
export function localTime(d: Date, locale: StampLocale): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const zone = `UTC${sign}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  const day = locale === 'fr' ? `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}` : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${day} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`;
}
