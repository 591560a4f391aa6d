/**
 * Stamp rectangles live in the page as displayed (the contract with core, VisibleSignature.rect):
 * PDF points, origin at the lower-left corner of the displayed CropBox (after /Rotate), x to the
 * right, y up. pdf.js draws the displayed page with its origin at the top-left and y down, so a
 * rectangle on screen at CSS (left, top) with `scale` CSS px per point is
 *   x = left / scale,   y = pageHeight − (top + height) / scale.
 */
import type { PageRect, PdfPageInfo, StampPlacement } from '../../../../electron/api';

export interface CssBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** At least core's smallest stamp (appearance.ts MIN_STAMP: the label and the name at 6 pt). */
export const MIN_WIDTH = 40;
export const MIN_HEIGHT = 26;
export const DEFAULT_SIZE = { width: 220, height: 64 };

export function rectToCss(rect: PageRect, pageHeight: number, scale: number): CssBox {
  return { left: rect.x * scale, top: (pageHeight - rect.y - rect.height) * scale, width: rect.width * scale, height: rect.height * scale };
}

export function cssToRect(box: CssBox, pageHeight: number, scale: number): PageRect {
  return { x: box.left / scale, y: pageHeight - (box.top + box.height) / scale, width: box.width / scale, height: box.height / scale };
}

/** Keep a rectangle on the page (core refuses one that is not) and at least the minimum size. */
export function clampRect(rect: PageRect, page: { width: number; height: number }): PageRect {
  const width = Math.min(Math.max(rect.width, MIN_WIDTH), page.width);
  const height = Math.min(Math.max(rect.height, MIN_HEIGHT), page.height);
  const x = Math.min(Math.max(rect.x, 0), page.width - width);
  const y = Math.min(Math.max(rect.y, 0), page.height - height);
  return round({ x, y, width, height });
}

export function round(r: PageRect): PageRect {
  const q = (n: number): number => Math.round(n * 10) / 10;
  return { x: q(r.x), y: q(r.y), width: q(r.width), height: q(r.height) };
}

/** The default: lower right of the last page, clear of the usual bottom margin. */
export function defaultPlacement(pages: readonly PdfPageInfo[]): StampPlacement {
  const last = pages[pages.length - 1] ?? { width: 595, height: 842 };
  return { page: 0, rect: clampRect({ x: last.width - DEFAULT_SIZE.width - 36, y: 72, ...DEFAULT_SIZE }, last) };
}

/** 1-based page a placement means (0 = the last page). */
export function resolvePage(page: number, pageCount: number): number {
  return page === 0 ? pageCount : Math.min(Math.max(page, 1), pageCount);
}

/**
 * The layout a remembered placement belongs to: the same form has the same page count and page
 * sizes. A short, stable key (count, first and last size, and a hash of every size).
 */
export function layoutKey(pages: readonly PdfPageInfo[]): string {
  let h = 5381;
  const sizes = pages.map((p) => `${Math.round(p.width)}x${Math.round(p.height)}`);
  for (const s of sizes) for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return `${pages.length}|${sizes[0] ?? ''}|${sizes[sizes.length - 1] ?? ''}|${h.toString(16)}`;
}
