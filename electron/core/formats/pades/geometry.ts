/**
 * Rectangles "as displayed" (issue 12): points, origin at the lower-left corner of the page as a
 * viewer shows it — the CropBox (§14.11.2) turned by /Rotate (§7.7.3.3, clockwise) — x to the
 * right, y up. This file converts between that and the page's default user space (§8.3.2.3),
 * where annotation rectangles live, and gives the appearance matrix that keeps a stamp upright
 * on a rotated page (§12.5.5: the form's BBox is transformed by /Matrix, then fitted to /Rect).
 */
import type { Box, PageInfo, Rotation } from './page-tree';
import { pdfProblem } from './problems';

export interface DisplayedRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Width and height of the page as displayed. */
export function displayedSize(page: Pick<PageInfo, 'cropBox' | 'rotate'>): { width: number; height: number } {
  const w = page.cropBox[2] - page.cropBox[0];
  const h = page.cropBox[3] - page.cropBox[1];
  return page.rotate === 90 || page.rotate === 270 ? { width: h, height: w } : { width: w, height: h };
}

/** A displayed point → default user space. */
function toUser(page: Pick<PageInfo, 'cropBox' | 'rotate'>, X: number, Y: number): [number, number] {
  const [llx, lly, urx, ury] = page.cropBox;
  const W = urx - llx;
  const H = ury - lly;
  switch (page.rotate) {
    case 0:
      return [llx + X, lly + Y];
    case 90:
      return [llx + W - Y, lly + X];
    case 180:
      return [llx + W - X, lly + H - Y];
    case 270:
      return [llx + Y, lly + H - X];
  }
}

/** A displayed rectangle → /Rect in default user space [x1 y1 x2 y2]. */
export function displayedToUser(page: Pick<PageInfo, 'cropBox' | 'rotate'>, r: DisplayedRect): Box {
  const [ax, ay] = toUser(page, r.x, r.y);
  const [bx, by] = toUser(page, r.x + r.width, r.y + r.height);
  return [round(Math.min(ax, bx)), round(Math.min(ay, by)), round(Math.max(ax, bx)), round(Math.max(ay, by))];
}

/** /Rect in user space → the rectangle as displayed (for listing existing fields). */
export function userToDisplayed(page: Pick<PageInfo, 'cropBox' | 'rotate'>, rect: Box): DisplayedRect {
  const [llx, lly, urx, ury] = page.cropBox;
  const W = urx - llx;
  const H = ury - lly;
  const pt = (x: number, y: number): [number, number] => {
    const u = x - llx;
    const v = y - lly;
    switch (page.rotate) {
      case 0:
        return [u, v];
      case 90:
        return [v, W - u];
      case 180:
        return [W - u, H - v];
      case 270:
        return [H - v, u];
    }
  };
  const [ax, ay] = pt(rect[0], rect[1]);
  const [bx, by] = pt(rect[2], rect[3]);
  const x = Math.min(ax, bx);
  const y = Math.min(ay, by);
  return { x: round(x), y: round(y), width: round(Math.max(ax, bx) - x), height: round(Math.max(ay, by) - y) };
}

/**
 * The appearance /Matrix for a stamp drawn upright in a BBox of [0 0 width height] (displayed
 * size): the page turns clockwise by /Rotate when shown, so the form turns back by as much.
 */
export function uprightMatrix(rotate: Rotation, width: number, height: number): [number, number, number, number, number, number] {
  switch (rotate) {
    case 0:
      return [1, 0, 0, 1, 0, 0];
    case 90:
      return [0, 1, -1, 0, height, 0];
    case 180:
      return [-1, 0, 0, -1, width, height];
    case 270:
      return [0, -1, 1, 0, 0, width];
  }
}

const EPS = 0.01;

/** The rectangle must lie on the page as displayed (INVALID_INPUT rect-off-page otherwise). */
export function assertOnPage(page: PageInfo, r: DisplayedRect, pageNumber: number, fileName: string): void {
  const size = displayedSize(page);
  const ok =
    [r.x, r.y, r.width, r.height].every(Number.isFinite) &&
    r.width > 0 &&
    r.height > 0 &&
    r.x >= -EPS &&
    r.y >= -EPS &&
    r.x + r.width <= size.width + EPS &&
    r.y + r.height <= size.height + EPS;
  if (!ok) {
    throw pdfProblem(
      'rect-off-page',
      `The signature rectangle (x ${r.x}, y ${r.y}, ${r.width} × ${r.height} pt) is not inside page ${pageNumber} of ${fileName}, which is ${round(size.width)} × ${round(size.height)} pt as displayed`,
      { page: pageNumber, x: r.x, y: r.y, width: r.width, height: r.height, pageWidth: round(size.width), pageHeight: round(size.height) },
    );
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
