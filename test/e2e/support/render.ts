/**
 * Pages rendered by poppler's pdftoppm (an independent renderer), as RGB pixels: at 72 dpi one
 * pixel is one point, so a rectangle given in points on the page as displayed maps to pixels by
 * y ↦ height − y. Used to check that a stamp landed inside the rectangle the user drew.
 */
import { execFileSync } from 'node:child_process';

export interface Raster {
  width: number;
  height: number;
  /** RGB, row-major. */
  data: Buffer;
}

/** Page `page` (1-based) of `pdf` at `dpi` (netpbm P6 from pdftoppm's stdout). */
export function renderPage(pdf: string, page: number, dpi = 72): Raster {
  const ppm = execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf], { maxBuffer: 256 * 1024 * 1024 });
  return parsePpm(ppm);
}

export function parsePpm(buf: Buffer): Raster {
  // "P6 <w> <h> <max>\n" with comments possible; one whitespace byte after max.
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (buf[i] === 0x23) while (buf[i++] !== 0x0a);
    let s = '';
    while (i < buf.length && !/\s/.test(String.fromCharCode(buf[i]!))) s += String.fromCharCode(buf[i++]!);
    if (s) fields.push(s);
    i++;
  }
  if (fields[0] !== 'P6' || fields[3] !== '255') throw new Error(`not an 8-bit P6 image: ${fields.join(' ')}`);
  const width = Number(fields[1]);
  const height = Number(fields[2]);
  return { width, height, data: buf.subarray(i, i + width * height * 3) };
}

/** Pixels that differ between two renders of the same size (any channel by more than `tolerance`). */
export function changedPixels(a: Raster, b: Raster, tolerance = 16): { x: number; y: number }[] {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  const out: { x: number; y: number }[] = [];
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const o = (y * a.width + x) * 3;
      if (Math.abs(a.data[o]! - b.data[o]!) > tolerance || Math.abs(a.data[o + 1]! - b.data[o + 1]!) > tolerance || Math.abs(a.data[o + 2]! - b.data[o + 2]!) > tolerance) out.push({ x, y });
    }
  }
  return out;
}

/** The bounding box of some pixels. */
export function bounds(px: readonly { x: number; y: number }[]): { left: number; top: number; right: number; bottom: number } {
  return {
    left: Math.min(...px.map((p) => p.x)),
    top: Math.min(...px.map((p) => p.y)),
    right: Math.max(...px.map((p) => p.x)),
    bottom: Math.max(...px.map((p) => p.y)),
  };
}
