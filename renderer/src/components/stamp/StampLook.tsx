/**
 * The stamp as it will look, drawn over the page preview at its rectangle: who signs, when (local
 * time with its UTC offset), why and where, in the UI language — the lines, words, time format and
 * sizes of core's stamp (electron/core/formats/pades/stamp-text.ts, appearance.ts: the name in
 * bold, 11 pt down to 6 pt, lines wrapped, never smaller than 6 pt).
 */
import type { PageRect } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { rectToCss } from './geometry';

const MAX_FONT = 11;
const MIN_FONT = 6;
const LINE = 1.25;
const NAME_SCALE = 1.15;
const PAD = 4;

export interface StampText {
  signer: string;
  /** When it will be signed (the confirm step: now). */
  at: Date;
  reason?: string;
  location?: string;
}

export function StampLook({ rect, pageHeight, scale, text }: { rect: PageRect; pageHeight: number; scale: number; text: StampText }) {
  const { t, lang } = useI18n();
  const lines = stampLines(t, text, lang);
  const box = rectToCss(rect, pageHeight, scale);
  const weights = lines.map((_, i) => (i === 1 ? NAME_SCALE : 1));
  const total = weights.reduce((a, w) => a + w * LINE, 0);
  const size = Math.max(MIN_FONT, Math.min(MAX_FONT, (rect.height - 2 * PAD) / total));
  return (
    <div className="stamp-look" style={{ left: box.left, top: box.top, width: box.width, height: box.height }} data-testid="stamp-look" aria-label={lines.join(' — ')} role="img">
      {lines.map((l, i) => (
        <p key={i} className={i === 1 ? 'stamp-title' : undefined} style={{ fontSize: size * weights[i]! * scale, lineHeight: LINE }} aria-hidden="true">
          {l}
        </p>
      ))}
    </div>
  );
}

export function stampLines(t: ReturnType<typeof useI18n>['t'], text: StampText, lang: string): string[] {
  const lines = [t('stamp.look.signedBy'), text.signer, t('stamp.look.date', { date: localTimeWithOffset(text.at, lang) })];
  if (text.reason) lines.push(t('stamp.look.reason', { reason: text.reason }));
  if (text.location) lines.push(t('stamp.look.location', { location: text.location }));
  return lines;
}

/** Local time with its UTC offset, as the stamp prints it: "2025-03-14 15:30:05 UTC+01:00" (fr: "14/03/2025 15:30:05 UTC+01:00"). */
export function localTimeWithOffset(d: Date, lang: string): string {
  const p = (x: number): string => String(Math.abs(x)).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = `UTC${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  const day = lang === 'fr' ? `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}` : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${day} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`;
}
