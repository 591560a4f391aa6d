/**
 * The appearance of a visible signature (ISO 32000-1 §12.7.4.5 / §12.5.5: the widget's normal
 * appearance /AP /N, a form XObject §8.10). It only shows the signature — who signed, when, why —
 * and is not itself the signature: the CMS in /Contents is.
 *
 * Text is set in an embedded subset of DejaVu Sans (stamp-fonts.ts), so every name prints as in
 * the certificate. The text is laid out for the box as displayed: the largest size from 11 pt
 * down to 6 pt at which the wrapped lines fit; below that it never shrinks — the last line that
 * fits ends with an ellipsis. On a rotated page /Matrix turns the form so it reads upright
 * (geometry.ts). In a PDF/A file the colours are DeviceGray (allowed with any output intent,
 * ISO 19005-2 §6.2.4.3) and the subset fonts carry a /CIDSet (ISO 19005-1 §6.3.5).
 */
import { PDFName, type PDFContext, type PDFDict, type PDFRef } from 'pdf-lib';
import { uprightMatrix } from './geometry';
import type { Rotation } from './page-tree';
import { pdfProblem } from './problems';
import { hasGlyph, stampFont, subsetGlyphCount, type StampFont } from './stamp-fonts';
import { stampLines, type StampLocale, type StampText } from './stamp-text';

export interface StampInput {
  /** The box as displayed, in points. */
  width: number;
  height: number;
  rotate: Rotation;
  text: StampText;
  locale: StampLocale;
  /** Keep PDF/A: DeviceGray colours, CIDSet in the font descriptors. */
  pdfa: boolean;
}

const PAD = 4;
const MAX_SIZE = 11;
export const MIN_SIZE = 6;
const LEADING = 1.25;
const NAME_SCALE = 1.15;
const ELLIPSIS = '…';

/** The smallest box that shows the label and the name at 6 pt (user-chosen rectangles). */
export const MIN_STAMP = { width: 36, height: Math.ceil(2 * PAD + MIN_SIZE * LEADING * (1 + NAME_SCALE)) };

export function assertStampFits(width: number, height: number, fileName: string): void {
  if (width < MIN_STAMP.width || height < MIN_STAMP.height) {
    throw pdfProblem(
      'rect-too-small',
      `The signature rectangle (${width} × ${height} pt) is too small to show the signer's name on ${fileName}; it needs at least ${MIN_STAMP.width} × ${MIN_STAMP.height} pt`,
      { width, height, minWidth: MIN_STAMP.width, minHeight: MIN_STAMP.height },
    );
  }
}

interface Laid {
  text: string;
  bold: boolean;
  size: number;
}

export async function buildStamp(context: PDFContext, s: StampInput): Promise<PDFRef> {
  const logical = stampLines(s.text, s.locale);
  const all = logical.map((l) => l.text).join('\n');
  const fonts = { regular: await stampFont('regular', all), bold: await stampFont('bold', all) };
  const lines = logical.map((l) => ({ ...l, text: showable(l.bold ? fonts.bold : fonts.regular, l.text) }));
  const laid = layout(lines, fonts, s.width - 2 * PAD, s.height - 2 * PAD);

  const frame = s.pdfa ? '0.35 G' : '0.16 0.33 0.62 RG';
  const ink = s.pdfa ? '0.1 g' : '0.1 0.1 0.1 rg';
  const ops: string[] = ['q', `${frame} 0.8 w`, `0.4 0.4 ${n(s.width - 0.8)} ${n(s.height - 0.8)} re S`, `0 0 ${n(s.width)} ${n(s.height)} re W n`, 'BT', ink];
  const blockHeight = laid.reduce((a, l) => a + l.size * LEADING, 0);
  let top = s.height / 2 + blockHeight / 2;
  for (const l of laid) {
    const step = l.size * LEADING;
    // Baseline: descenders of the line stay inside its leading.
    const baseline = top - step + l.size * 0.3;
    top -= step;
    const font = l.bold ? fonts.bold : fonts.regular;
    ops.push(`/${l.bold ? 'F2' : 'F1'} ${n(l.size)} Tf`, `1 0 0 1 ${n(PAD)} ${n(baseline)} Tm`, `${font.encodeText(l.text).toString()} Tj`);
  }
  ops.push('ET', 'Q');
  // encodeText above chose the subsets' glyphs: only now can the fonts be serialised.
  const regularRef = await fonts.regular.embedIntoContext(context);
  const boldRef = await fonts.bold.embedIntoContext(context);
  if (s.pdfa) {
    addCidSet(context, regularRef, subsetGlyphCount(fonts.regular));
    addCidSet(context, boldRef, subsetGlyphCount(fonts.bold));
  }
  const stream = context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [0, 0, n(s.width), n(s.height)],
    Matrix: uprightMatrix(s.rotate, n(s.width), n(s.height)),
    Resources: { Font: { F1: regularRef, F2: boldRef } },
  });
  return context.register(stream);
}

/** An empty appearance for an invisible signature's widget (PDF/A wants /AP on every widget). */
export function emptyAppearance(context: PDFContext): PDFRef {
  return context.register(context.flateStream('', { Type: 'XObject', Subtype: 'Form', FormType: 1, BBox: [0, 0, 0, 0] }));
}

/**
 * Wrap each line at spaces (a word wider than the box is broken between characters), at the
 * largest size that fits; at the minimum size keep what fits and end the last line with "…".
 */
function layout(lines: { text: string; bold: boolean }[], fonts: { regular: StampFont; bold: StampFont }, width: number, height: number): Laid[] {
  const fontOf = (bold: boolean) => (bold ? fonts.bold : fonts.regular);
  const wrapAt = (size: number): Laid[] =>
    lines.flatMap((l) => {
      const sz = l.bold ? size * NAME_SCALE : size;
      return wrap(l.text, (t) => fontOf(l.bold).widthOfTextAtSize(t, sz), width).map((text) => ({ text, bold: l.bold, size: sz }));
    });
  const heightOf = (ls: Laid[]) => ls.reduce((a, l) => a + l.size * LEADING, 0);
  for (let size = MAX_SIZE; size >= MIN_SIZE; size -= 0.25) {
    const ls = wrapAt(size);
    if (heightOf(ls) <= height) return ls;
  }
  const ls = wrapAt(MIN_SIZE);
  const kept: Laid[] = [];
  let used = 0;
  for (const l of ls) {
    if (used + l.size * LEADING > height) break;
    kept.push(l);
    used += l.size * LEADING;
  }
  if (kept.length < ls.length && kept.length > 0) {
    const last = kept[kept.length - 1]!;
    const measure = (t: string) => fontOf(last.bold).widthOfTextAtSize(t, last.size);
    let t = last.text;
    while (t.length > 0 && measure(`${t}${ELLIPSIS}`) > width) t = [...t].slice(0, -1).join('');
    last.text = `${t.trimEnd()}${ELLIPSIS}`;
  }
  return kept;
}

function wrap(text: string, measure: (t: string) => number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line) out.push(line);
    line = '';
    // A word wider than the box: break it between characters.
    let rest = word;
    while (measure(rest) > width && [...rest].length > 1) {
      const chars = [...rest];
      let k = chars.length - 1;
      while (k > 1 && measure(chars.slice(0, k).join('')) > width) k--;
      out.push(chars.slice(0, k).join(''));
      rest = chars.slice(k).join('');
    }
    line = rest;
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

/** Characters the font has no glyph for become "?" (the exact text is in the certificate). */
function showable(font: StampFont, s: string): string {
  let out = '';
  for (const ch of s) out += ch === ' ' || hasGlyph(font, ch) ? ch : '?';
  return out;
}

/** ISO 19005-1 §6.3.5: a subset CIDFont's descriptor lists its CIDs (here 0..count). */
function addCidSet(context: PDFContext, type0: PDFRef, count: number): void {
  const font = context.lookup(type0) as PDFDict;
  const descendant = context.lookup((font.lookup(PDFName.of('DescendantFonts')) as unknown as { get(i: number): PDFRef }).get(0)) as PDFDict;
  const descriptor = context.lookup(descendant.get(PDFName.of('FontDescriptor'))) as PDFDict;
  const bits = new Uint8Array(Math.ceil((count + 1) / 8));
  for (let cid = 0; cid <= count; cid++) bits[cid >> 3]! |= 0x80 >> (cid & 7);
  descriptor.set(PDFName.of('CIDSet'), context.register(context.flateStream(bits)));
}

function n(x: number): number {
  return Math.round(x * 100) / 100;
}
