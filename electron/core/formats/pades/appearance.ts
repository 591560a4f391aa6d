/**
 * The appearance of a visible signature (ISO 32000-1 §12.7.4.5 / §12.5.5: the widget's normal
 * appearance /AP /N, a form XObject §8.10). It only shows the signature — who signed, when, why —
 * and is not itself the signature: the CMS in /Contents is.
 *
 * Text is set in Helvetica / Helvetica-Bold (standard 14 fonts, §9.6.2.2, with WinAnsiEncoding, Annex D) through
 * font resources, sized to fit the rectangle. Characters outside WinAnsi are transliterated
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

type Embedder = ReturnType<typeof StandardFontEmbedder.for>;
// pdf-lib's StandardFonts and the embedder's FontNames are two enums with the same string values.
const fontFor = (f: StandardFonts): Embedder => StandardFontEmbedder.for(f as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);

export function buildAppearance(changes: Changes, width: number, height: number, text: AppearanceText): PDFRef {
  const { context } = changes;
  const regular = fontFor(StandardFonts.Helvetica);
  const bold = fontFor(StandardFonts.HelveticaBold);
  // The signer's name is the line that matters: bold and larger.
  const lines = appearanceLines(text).map((t, i) => {
    const font = i === 1 ? bold : regular;
    return { text: winAnsiSafe(font, t), font, res: i === 1 ? 'F2' : 'F1', scale: i === 1 ? 1.3 : 1 };
  });
  const lineFactor = 1.25;
  const totalScale = lines.reduce((a, l) => a + l.scale * lineFactor, 0);
  let size = Math.min(MAX_FONT, (height - 2 * PAD) / totalScale);
  const widest = Math.max(...lines.map((l) => l.font.widthOfTextAtSize(l.text, l.scale)));
  if (widest > 0) size = Math.min(size, (width - 2 * PAD) / widest);
  size = Math.max(MIN_FONT, Math.floor(size * 10) / 10);

  const font = (base: string) => changes.add(context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: base, Encoding: 'WinAnsiEncoding' }));
  const f1 = font('Helvetica');
  const f2 = font('Helvetica-Bold');
  const ops: string[] = [
    'q',
    // Frame, then clip everything to the box.
    '0.16 0.33 0.62 RG 0.8 w',
    `0.4 0.4 ${n(width - 0.8)} ${n(height - 0.8)} re S`,
    `0 0 ${n(width)} ${n(height)} re W n`,
    'BT',
    '0.1 0.1 0.1 rg',
  ];
  const blockHeight = size * totalScale;
  let y = height / 2 + blockHeight / 2;
  for (const l of lines) {
    const sz = size * l.scale;
    y -= sz * lineFactor;
    ops.push(`/${l.res} ${n(sz)} Tf`, `1 0 0 1 ${n(PAD)} ${n(y + sz * (lineFactor - 1))} Tm`, `${l.font.encodeText(l.text).toString()} Tj`);
  }
  ops.push('ET', 'Q');
  const stream = context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { Font: { F1: f1, F2: f2 } },
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
function winAnsiSafe(font: Embedder, s: string): string {
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

function encodes(font: Embedder, ch: string): boolean {
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
