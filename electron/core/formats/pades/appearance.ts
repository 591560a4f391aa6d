/**
 * The appearance of a visible signature (ISO 32000-1 §12.7.4.5 / §12.5.5: the widget's normal
 * appearance /AP /N, a form XObject §8.10). It only shows the signature — who signed, when, why —
 * and is not itself the signature: the CMS in /Contents is.
 *
 * Text is set in Helvetica (a standard 14 font, §9.6.2.2, with WinAnsiEncoding, Annex D) through
 * a font resource, sized to fit the rectangle. Characters outside WinAnsi are transliterated
 * (diacritics dropped) or shown as "?": the signer's exact name is in the certificate.
 */
import { PDFName, StandardFontEmbedder, StandardFonts, type PDFRef } from 'pdf-lib';
import type { Changes } from './changes';

export interface AppearanceText {
  signerName: string;
  signingTime: Date;
  reason?: string;
  location?: string;
}

const PAD = 4;
const MAX_FONT = 11;
const MIN_FONT = 3;

export function buildAppearance(changes: Changes, width: number, height: number, text: AppearanceText): PDFRef {
  const { context } = changes;
  // pdf-lib's StandardFonts and the embedder's FontNames are two enums with the same string values.
  const font = StandardFontEmbedder.for(StandardFonts.Helvetica as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);
  const lines = appearanceLines(text).map((l) => winAnsiSafe(font, l));
  const lineFactor = 1.25;
  let size = Math.min(MAX_FONT, (height - 2 * PAD) / (lines.length * lineFactor));
  const widest = Math.max(...lines.map((l) => font.widthOfTextAtSize(l, 1)));
  if (widest > 0) size = Math.min(size, (width - 2 * PAD) / widest);
  size = Math.max(MIN_FONT, Math.floor(size * 10) / 10);

  const fontRef = changes.add(context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }));
  const ops: string[] = [
    'q',
    // Frame, then clip everything to the box.
    '0.16 0.33 0.62 RG 0.8 w',
    `0.4 0.4 ${n(width - 0.8)} ${n(height - 0.8)} re S`,
    `0 0 ${n(width)} ${n(height)} re W n`,
    'BT',
    `/F1 ${n(size)} Tf`,
    '0.1 0.1 0.1 rg',
  ];
  const blockHeight = lines.length * size * lineFactor;
  let y = height / 2 + blockHeight / 2 - size;
  for (const line of lines) {
    ops.push(`1 0 0 1 ${n(PAD)} ${n(y)} Tm`, `${font.encodeText(line).toString()} Tj`);
    y -= size * lineFactor;
  }
  ops.push('ET', 'Q');
  const stream = context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { Font: { F1: fontRef } },
  });
  stream.dict.set(PDFName.of('FormType'), context.obj(1));
  return changes.add(stream);
}

export function appearanceLines(t: AppearanceText): string[] {
  const d = t.signingTime;
  const p = (x: number) => String(x).padStart(2, '0');
  const when = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
  const lines = ['Digitally signed by', t.signerName, `Date: ${when}`];
  if (t.reason) lines.push(`Reason: ${t.reason}`);
  if (t.location) lines.push(`Location: ${t.location}`);
  return lines;
}

/** Keep what WinAnsi can show: try the character, then without diacritics, else "?". */
function winAnsiSafe(font: StandardFontEmbedder, s: string): string {
  let out = '';
  for (const ch of s) {
    if (encodes(font, ch)) out += ch;
    else {
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base && [...base].every((c) => encodes(font, c)) ? base : '?';
    }
  }
  return out;
}

function encodes(font: StandardFontEmbedder, ch: string): boolean {
  try {
    font.encodeText(ch);
    return true;
  } catch {
    return false;
  }
}

function n(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}
