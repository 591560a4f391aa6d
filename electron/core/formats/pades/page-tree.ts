/**
 * The page tree (ISO 32000-1 §7.7.3): every page in order with its inherited attributes
 * (§7.7.3.4: MediaBox, CropBox, Rotate). The walk keeps a visited set — a page tree that loops
 * back on itself or lists a node twice is damaged (refused with the object number), never an
 * endless loop or a stack overflow — and counts every node against the operation's budget.
 */
import { type PDFDict, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import type { PdfReader } from './pdf-reader';
import { pdfProblem } from './problems';
import { damaged } from './xref';

export type Box = [number, number, number, number];
export type Rotation = 0 | 90 | 180 | 270;

export interface PageInfo {
  /** 0-based. */
  index: number;
  ref: PDFRef;
  dict: PDFDict;
  mediaBox: Box;
  /** The visible region (§14.11.2): CropBox ∩ MediaBox, MediaBox when absent. */
  cropBox: Box;
  rotate: Rotation;
}

const LETTER: Box = [0, 0, 612, 792];

/** Every page in order; `nodes` (optional) collects the tags of the tree's intermediate nodes. */
export async function readPages(reader: PdfReader, nodes?: Set<string>): Promise<PageInfo[]> {
  const catalog = reader.catalog();
  const rootRef = catalog.get(PDFName.of('Pages'));
  if (!(rootRef instanceof PDFRef) || !reader.dict(rootRef)) throw damaged(reader, 'the document has no page tree (/Pages)');
  const pages: PageInfo[] = [];
  const visited = new Set<string>();
  interface Frame {
    ref: PDFRef;
    inherited: { mediaBox?: PDFObject; cropBox?: PDFObject; rotate?: PDFObject };
  }
  const stack: Frame[] = [{ ref: rootRef, inherited: {} }];
  while (stack.length > 0) {
    const { ref, inherited } = stack.pop()!;
    await reader.work.step();
    if (visited.has(ref.tag)) {
      throw damaged(reader, `the page tree comes back to object ${ref.objectNumber} (a loop or a node listed twice)`, { object: ref.objectNumber });
    }
    visited.add(ref.tag);
    const node = reader.dict(ref);
    if (!node) throw damaged(reader, `page tree node ${ref.objectNumber} is missing or not a dictionary`, { object: ref.objectNumber });
    const here = {
      mediaBox: node.get(PDFName.of('MediaBox')) ?? inherited.mediaBox,
      cropBox: node.get(PDFName.of('CropBox')) ?? inherited.cropBox,
      rotate: node.get(PDFName.of('Rotate')) ?? inherited.rotate,
    };
    const type = reader.name(node.get(PDFName.of('Type')));
    const kids = reader.array(node.get(PDFName.of('Kids')));
    if (type === 'Pages' || (type !== 'Page' && kids)) {
      if (!kids) throw damaged(reader, `page tree node ${ref.objectNumber} has no /Kids`, { object: ref.objectNumber });
      nodes?.add(ref.tag);
      const items = kids.asArray();
      for (let i = items.length - 1; i >= 0; i--) {
        const k = items[i];
        if (!(k instanceof PDFRef)) throw damaged(reader, `page tree node ${ref.objectNumber} lists a page that is not an indirect object`, { object: ref.objectNumber });
        stack.push({ ref: k, inherited: here });
      }
      reader.work.count(items.length);
      continue;
    }
    const mediaBox = box(reader, here.mediaBox) ?? LETTER;
    const crop = box(reader, here.cropBox);
    const cropBox = crop ? intersect(crop, mediaBox) ?? mediaBox : mediaBox;
    pages.push({ index: pages.length, ref, dict: node, mediaBox, cropBox, rotate: rotation(reader.number(here.rotate)) });
  }
  if (pages.length === 0) throw damaged(reader, 'the document has no pages');
  return pages;
}

/** Which page, by reference (for a widget's /P). */
export function pageIndexOf(pages: readonly PageInfo[]): Map<string, number> {
  return new Map(pages.map((p) => [p.ref.tag, p.index]));
}

function box(reader: PdfReader, o: PDFObject | undefined): Box | undefined {
  const a = reader.array(o);
  if (!a || a.size() !== 4) return undefined;
  const v = a.asArray().map((x) => reader.number(x));
  if (v.some((x) => x === undefined || !Number.isFinite(x))) return undefined;
  const [x1, y1, x2, y2] = v as number[] as Box;
  const b: Box = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
  return b[2] - b[0] > 0 && b[3] - b[1] > 0 ? b : undefined;
}

function intersect(a: Box, b: Box): Box | undefined {
  const r: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[2] - r[0] > 0 && r[3] - r[1] > 0 ? r : undefined;
}

/** §7.7.3.3 /Rotate: a multiple of 90, clockwise; anything else is treated as 0. */
function rotation(n: number | undefined): Rotation {
  if (n === undefined || !Number.isInteger(n) || n % 90 !== 0) return 0;
  return (((n % 360) + 360) % 360) as Rotation;
}

/** Page `n` (1-based; 0 = the last page), or INVALID_INPUT page-not-found. */
export function pageAt(pages: readonly PageInfo[], n: number, fileName: string): PageInfo {
  const index = n === 0 ? pages.length - 1 : n - 1;
  const page = pages[index];
  if (!page || !Number.isInteger(n)) {
    throw pdfProblem('page-not-found', `${fileName} has ${pages.length} page${pages.length === 1 ? '' : 's'}; page ${n} does not exist`, { page: n, pageCount: pages.length });
  }
  return page;
}

