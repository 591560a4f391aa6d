/**
 * The stamp rectangle between the screen and the page as displayed (the contract with core:
 * points from the displayed page's lower-left corner, y up): round trips, clamping onto the page,
 * the default place, "last page", and the layout key that remembers a placement per form.
 */
import { describe, expect, it } from 'vitest';
import { clampRect, cssToRect, defaultPlacement, layoutKey, rectToCss, resolvePage } from '../../../renderer/src/components/stamp/geometry';

describe('stamp geometry', () => {
  it('maps points (y up) to CSS pixels (y down) and back', () => {
    // A4 page shown 1.5 px per point: a box 100 pt from the left and 50 pt from the bottom.
    const css = rectToCss({ x: 100, y: 50, width: 200, height: 60 }, 842, 1.5);
    expect(css).toEqual({ left: 150, top: (842 - 50 - 60) * 1.5, width: 300, height: 90 });
    expect(cssToRect(css, 842, 1.5)).toEqual({ x: 100, y: 50, width: 200, height: 60 });
  });

  it('keeps the box on the page and at least the minimum size', () => {
    const page = { width: 842, height: 595 }; // a landscape page as displayed (e.g. /Rotate 90)
    expect(clampRect({ x: 800, y: -20, width: 100, height: 5 }, page)).toEqual({ x: 742, y: 0, width: 100, height: 26 });
    expect(clampRect({ x: -5, y: 590, width: 2000, height: 70 }, page)).toEqual({ x: 0, y: 525, width: 842, height: 70 });
  });

  it('puts the default stamp low on the right of the last page, inside it', () => {
    const p = defaultPlacement([{ width: 595, height: 842, rotate: 0 }, { width: 842, height: 595, rotate: 90 }]);
    expect(p).toEqual({ page: 0, rect: { x: 842 - 220 - 36, y: 72, width: 220, height: 64 } });
    expect(resolvePage(0, 2)).toBe(2);
    expect(resolvePage(5, 2)).toBe(2);
    expect(resolvePage(1, 2)).toBe(1);
  });

  it('gives the same layout key to the same page sizes and another to different ones', () => {
    const a = [{ width: 595.28, height: 841.89, rotate: 0 as const }, { width: 595, height: 842, rotate: 0 as const }];
    expect(layoutKey(a)).toBe(layoutKey([{ width: 595, height: 842, rotate: 0 }, { width: 595.3, height: 842.2, rotate: 0 }]));
    expect(layoutKey(a)).not.toBe(layoutKey([...a, { width: 595, height: 842, rotate: 0 }]));
    expect(layoutKey(a)).not.toBe(layoutKey([{ width: 842, height: 595, rotate: 90 }, a[1]!]));
    expect(layoutKey(Array.from({ length: 5000 }, () => a[0]!)).length).toBeLessThanOrEqual(200);
  });
});
