/**
 * The stamp's font: DejaVu Sans and DejaVu Sans Bold (an open font family covering Latin, Greek
 * and Cyrillic, from the `dejavu-fonts-ttf` package; licence in its LICENSE file), embedded as a
 * subset (only the glyphs used) through pdf-lib's CustomFontSubsetEmbedder and @pdf-lib/fontkit:
 * a Type 0 font with a CIDFontType2 descendant, /W widths and a /ToUnicode CMap (ISO 32000-1
 * §9.7, §9.10.3), so every name prints as in the certificate and text extraction gives it back.
 * An embedded font is also what keeps a PDF/A file PDF/A (ISO 19005-2 §6.2.11.4).
 *
 * The TTF files are looked up next to the bundle (scripts/build.mjs copies them to dist/fonts)
 * and, in development and tests, in node_modules.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CustomFontSubsetEmbedder } from 'pdf-lib';
import { SignetError } from '../../../../native/errors';

export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

const cache = new Map<string, Buffer>();

function fontDirs(): string[] {
  const dirs = [path.join(__dirname, 'fonts'), path.join(__dirname, '..', 'fonts')];
  try {
    dirs.push(path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // Not in development: the bundle's copy is the one.
  }
  return dirs;
}

function fontBytes(file: string): Buffer {
  let b = cache.get(file);
  if (!b) {
    const dir = fontDirs().find((d) => existsSync(path.join(d, file)));
    if (!dir) throw new SignetError('INTERNAL', `The stamp font ${file} is missing from this installation`);
    b = readFileSync(path.join(dir, file));
    cache.set(file, b);
  }
  return b;
}

// Ligatures off: "fi" stays two glyphs, each mapped to its own character in /ToUnicode.
const FEATURES = { liga: false, clig: false, dlig: false, calt: false } as unknown as Parameters<typeof CustomFontSubsetEmbedder.for>[3];

export type StampFont = CustomFontSubsetEmbedder;

/** A fresh subset embedder (one per signature: the subset holds only this stamp's glyphs). */
export async function stampFont(which: keyof typeof FONT_FILES, text: string): Promise<StampFont> {
  const base = which === 'bold' ? 'DejaVuSans-Bold' : 'DejaVuSans';
  // §9.6.4: a subset font's name starts with six capital letters and "+".
  const h = createHash('sha256').update(`${which}:${text}`).digest();
  const tag = Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  // fontkit is loaded with the first stamp: ~0.9 s of module start-up (its Brotli and font tables)
  // that an invisible signature or a CAdES file never needs (issue 13 item 8 profile).
  const { default: fontkit } = await import('@pdf-lib/fontkit');
  return CustomFontSubsetEmbedder.for(fontkit, new Uint8Array(fontBytes(FONT_FILES[which])), `${tag}+${base}`, FEATURES);
}

/** Whether the font has a glyph for `ch` (else the stamp shows "?" there). */
export function hasGlyph(font: StampFont, ch: string): boolean {
  const cp = ch.codePointAt(0);
  return cp !== undefined && (font as unknown as { font: { hasGlyphForCodePoint(c: number): boolean } }).font.hasGlyphForCodePoint(cp);
}

/** Glyphs in the subset (CIDs 1..n, plus .notdef 0): for a PDF/A-1 CIDSet. */
export function subsetGlyphCount(font: StampFont): number {
  return (font as unknown as { glyphs: unknown[] }).glyphs.length;
}
