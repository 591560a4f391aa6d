/**
 * Decoding the few streams Signet must read — object streams (ISO 32000-1 §7.5.7),
 * cross-reference streams (§7.5.8) and XMP metadata (§14.3.2) — with bounded output:
 * FlateDecode (§7.4.4) through zlib with `maxOutputLength`, the PNG and TIFF predictors
 * (§7.4.4.4, Table 8), ASCIIHexDecode and ASCII85Decode (§7.4.2–3, which only shrink). A stream
 * that would expand beyond the per-stream or per-file budget is refused
 * (INVALID_INPUT, reason pdf-inflate-limit) instead of being inflated: a decompression bomb
 * costs at most the budget. Page content, images and fonts are never decoded.
 */
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFObject, type PDFRawStream } from 'pdf-lib';
import { formatBytes, type Work } from './limits';
import { pdfProblem } from './problems';

export interface DecodeContext {
  work: Work;
  /** Resolves indirect /Filter or /DecodeParms entries. */
  lookup(o: PDFObject | undefined): PDFObject | undefined;
  /** For messages: "object stream 12 0". */
  what: string;
  /** An exact expected size, when the caller knows it (cross-reference streams). */
  expectedSize?: number;
}

export function decodeStream(stream: PDFRawStream, ctx: DecodeContext): Buffer {
  const dict = stream.dict;
  const filters = asList(ctx.lookup(dict.get(PDFName.of('Filter'))), ctx).map((f) => (f instanceof PDFName ? f.decodeText() : ''));
  const params = asList(ctx.lookup(dict.get(PDFName.of('DecodeParms'))), ctx);
  let data = Buffer.from(stream.contents.buffer, stream.contents.byteOffset, stream.contents.byteLength);
  const name = ctx.work.fileName;
  const perStream = Math.min(ctx.work.limits.maxStreamBytes, ctx.expectedSize !== undefined ? ctx.expectedSize + 64 * 1024 : Infinity);
  filters.forEach((filter, i) => {
    const p = ctx.lookup(params[i]);
    switch (filter) {
      case 'FlateDecode':
      case 'Fl': {
        const room = Math.min(perStream, ctx.work.inflateRoom());
        data = inflateBounded(data, room, ctx);
        ctx.work.inflated(data.length);
        data = unpredict(data, p instanceof PDFDict ? p : undefined, ctx);
        break;
      }
      case 'ASCIIHexDecode':
      case 'AHx':
        data = asciiHex(data);
        break;
      case 'ASCII85Decode':
      case 'A85':
        data = ascii85(data, ctx);
        break;
      default:
        throw pdfProblem('pdf-unsupported-filter', `${name} uses ${filter ? `the /${filter} filter` : 'an unreadable filter'} for ${ctx.what}, which Signet does not decode`, {
          filter: filter || '?',
        });
    }
  });
  return data;
}

function asList(o: PDFObject | undefined, ctx: DecodeContext): (PDFObject | undefined)[] {
  if (o === undefined) return [];
  if (o instanceof PDFArray) {
    if (o.size() > 16) throw pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${ctx.what} has ${o.size()} filters`);
    return o.asArray().map((x) => ctx.lookup(x));
  }
  return [o];
}

function inflateBounded(data: Buffer, room: number, ctx: DecodeContext): Buffer {
  const limit = Math.max(0, Math.floor(room));
  try {
    // finishFlush: accept a stream without its final block (common in the wild), as readers do.
    return inflateSync(data, { maxOutputLength: Math.max(1, limit), finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw pdfProblem('pdf-inflate-limit', `${ctx.work.fileName}: compressed data expands beyond ${formatBytes(limit)} (${ctx.what}); Signet refuses to inflate it`, {
        limit,
        what: ctx.what,
      });
    }
    throw pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${ctx.what} is not valid compressed data`, { what: ctx.what }, e);
  }
}

/** §7.4.4.4: PNG (10–15) and TIFF (2) predictors on the decoded rows. */
function unpredict(data: Buffer, p: PDFDict | undefined, ctx: DecodeContext): Buffer {
  const num = (k: string, d: number) => {
    const v = ctx.lookup(p?.get(PDFName.of(k)));
    return v instanceof PDFNumber ? v.asNumber() : d;
  };
  const predictor = num('Predictor', 1);
  if (predictor === 1) return data;
  const colors = num('Colors', 1);
  const bpc = num('BitsPerComponent', 8);
  const columns = num('Columns', 1);
  if (![1, 2, 4, 8, 16].includes(bpc) || colors < 1 || colors > 32 || columns < 1 || columns > 1 << 24) {
    throw pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${ctx.what} has impossible predictor parameters`);
  }
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) throw pdfProblem('pdf-unsupported-filter', `${ctx.work.fileName} uses a TIFF predictor Signet does not decode (${ctx.what})`, { filter: 'TIFF predictor' });
    const out = Buffer.from(data);
    for (let r = 0; r + rowLen <= out.length; r += rowLen) for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i]! + out[r + i - bpp]!) & 0xff;
    return out;
  }
  if (predictor < 10 || predictor > 15) throw pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${ctx.what} has an unknown predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  const prev = Buffer.alloc(rowLen);
  for (let r = 0; r < rows; r++) {
    const src = r * (rowLen + 1);
    const type = data[src]!;
    const row = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const x = data[src + 1 + i]!;
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${ctx.what} has an unknown PNG filter type ${type}`);
      }
      row[i] = v & 0xff;
    }
    row.copy(prev);
  }
  return out;
}

function asciiHex(data: Buffer): Buffer {
  const s = data.toString('latin1');
  const end = s.indexOf('>');
  let hex = (end >= 0 ? s.slice(0, end) : s).replace(/[^0-9a-fA-F]/g, '');
  if (hex.length % 2) hex += '0';
  return Buffer.from(hex, 'hex');
}

function ascii85(data: Buffer, ctx: DecodeContext): Buffer {
  const s = data.toString('latin1').replace(/\s+/g, '');
  const end = s.indexOf('~>');
  const body = (s.startsWith('<~') ? s.slice(2) : s).slice(0, end >= 0 ? end - (s.startsWith('<~') ? 2 : 0) : undefined);
  const out: number[] = [];
  let group: number[] = [];
  const flush = (n: number) => {
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const d of group) v = v * 85 + d;
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, n));
    group = [];
  };
  for (const ch of body) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const d = ch.charCodeAt(0) - 33;
    if (d < 0 || d > 84) throw pdfProblem('pdf-damaged', `${ctx.work.fileName} is damaged: ${ctx.what} is not valid ASCII85`);
    group.push(d);
    if (group.length === 5) flush(4);
  }
  if (group.length > 1) flush(group.length - 1);
  return Buffer.from(out);
}
