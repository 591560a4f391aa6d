/**
 * The stamp as it will look, drawn over the page preview at its rectangle: who signs, when (local
 * time with its UTC offset), why and where, in the UI language — the lines and sizes core's stamp
 * renderer uses (text no smaller than 6 pt; lines too long end with an ellipsis).
 */
import type { PageRect } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { rectToCss } from './geometry';

const MAX_FONT = 11;
const MIN_FONT = 6;
const LINE = 1.25;

export interface StampText {
  signer: string;
  /** When it will be signed (the confirm step: now). */
  at: Date;
  reason?: string;
  location?: string;
}

export function StampLook({ rect, pageHeight, scale, text }: { rect: PageRect; pageHeight: number; scale: number; text: StampText }) {
  const { t } = useI18n();
  const lines = stampLines(t, text);
  const box = rectToCss(rect, pageHeight, scale);
  const weights = lines.map((_, i) => (i === 1 ? 1.3 : 1));
  const total = weights.reduce((a, w) => a + w * LINE, 0);
  const size = Math.max(MIN_FONT, Math.min(MAX_FONT, (rect.height - 8) / total));
  return (
    <div className="stamp-look" style={{ left: box.left, top: box.top, width: box.width, height: box.height }} data-testid="stamp-look" aria-label={lines.join(' — ')} role="img">
      {lines.map((l, i) => (
        <p key={i} className={i === 1 ? 'stamp-title' : undefined} style={{ fontSize: size * weights[i]! * scale }} aria-hidden="true">
          {l}
        </p>
      ))}
    </div>
  );
}

export function stampLines(t: ReturnType<typeof useI18n>['t'], text: StampText): string[] {
  const lines = [t('stamp.look.signedBy'), text.signer, t('stamp.look.date', { date: localTimeWithOffset(text.at) })];
  if (text.reason) lines.push(t('stamp.look.reason', { reason: text.reason }));
  if (text.location) lines.push(t('stamp.look.location', { location: text.location }));
  return lines;
}

/** 2025-03-14 15:09 +01:00 — local time and its offset from UTC. */
export function localTimeWithOffset(d: Date): string {
  const p = (x: number): string => String(Math.abs(x)).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())} ${sign}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}
