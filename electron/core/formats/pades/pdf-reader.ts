/**
 * A bounded, lazy PDF reader (ISO 32000-1 §7.5): objects are found through the cross-reference
 * chain and parsed only when asked for, object streams are decoded only when an object in them is
 * needed, and everything counts against one `Work` budget (nodes, inflated bytes, cancellation).
 * Signing reads a handful of objects (trailer, catalog, page tree, form fields), so a file with
 * 300,000 objects or a decompression bomb in an unrelated stream costs nothing.
 *
 * `revision(end)` gives the document as it was when the first `end` bytes were the whole file
 * (the xref chain from that revision's `startxref`), sharing the parsed sections and objects:
 * that is what a signature covers, and what verify compares with the final document.
 *
 * pdf-lib is used for object syntax (its PDFObjectParser) and serialisation only; its document
 * loader (which parses every object and inflates every object stream up front) is not used.
 */
import { PDFArray, PDFContext, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { limitsFor, Work } from './limits';
import { parseObjectAt, readObjectHeader, skipWs } from './object-parser';
import { pdfProblem } from './problems';
import { quietly } from './quiet';
import { decodeStream } from './stream-decode';
import { damaged, findStartXref, readXrefSection, type XrefEntry, type XrefKind, type XrefSection } from './xref';

export interface OpenOptions {
  /** For messages ("report.pdf is damaged: …"). */
  name?: string;
  signal?: AbortSignal;
  /** Share a budget across several readers of the same operation. */
  work?: Work;
}

interface ObjStm {
  data: Buffer;
  first: number;
  /** [object number, offset] per index. */
  pairs: [number, number][];
}

/** What is shared by every revision of one file: bytes, parsed sections and objects, budget. */
class FileState {
  readonly context = PDFContext.create();
  readonly sections = new Map<number, XrefSection>();
  readonly objects = new Map<string, PDFObject | null>();
  readonly objStms = new Map<string, ObjStm>();
  private scanIndex: Map<number, number[]> | undefined;
  private readonly resolving = new Set<string>();

  constructor(
    readonly bytes: Buffer,
    readonly work: Work,
  ) {}

  get name(): string {
    return this.work.fileName;
  }

  section(offset: number, lookup: (o: PDFObject | undefined) => PDFObject | undefined): XrefSection {
    let s = this.sections.get(offset);
    if (!s) {
      s = readXrefSection({ bytes: this.bytes, context: this.context, work: this.work, lookup }, offset);
      this.sections.set(offset, s);
    }
    return s;
  }

  /** The object an entry designates (cached by where it lives, so revisions share it). */
  object(num: number, entry: Exclude<XrefEntry, { type: 'free' }>, reader: PdfReader): PDFObject | undefined {
    const key = entry.type === 'offset' ? `o${entry.offset}` : `s${entry.stream}:${entry.index}@${entry.section}`;
    const cached = this.objects.get(key);
    if (cached !== undefined) return cached ?? undefined;
    if (this.resolving.has(key)) return undefined; // e.g. a /Length that refers to its own stream
    this.resolving.add(key);
    this.work.count(1);
    try {
      const obj = entry.type === 'offset' ? this.atOffset(num, entry.gen, entry.offset, entry.section, reader) : this.inObjectStream(num, entry.stream, entry.index, reader);
      this.objects.set(key, obj ?? null);
      return obj;
    } finally {
      this.resolving.delete(key);
    }
  }

  private atOffset(num: number, gen: number, offset: number, section: number, reader: PdfReader): PDFObject | undefined {
    const what = `object ${num} ${gen}`;
    let start = this.headerAt(num, gen, offset);
    if (start === undefined) start = this.scanFor(num, gen, section);
    if (start === undefined) throw damaged(this, `${what} is not where the cross-reference table says (offset ${offset})`, { object: num });
    return quietly(() =>
      parseObjectAt(this.bytes, start, this.context, {
        fileName: this.name,
        what,
        lengthOf: (o) => {
          const v = reader.lookup(o);
          return v instanceof PDFNumber ? v.asNumber() : undefined;
        },
      }),
    );
  }

  /** The body start of `num gen obj` at `offset`, or a few bytes off (a common writer error). */
  private headerAt(num: number, gen: number, offset: number): number | undefined {
    if (offset < 0 || offset >= this.bytes.length) return undefined;
    const h = readObjectHeader(this.bytes, offset);
    if (h && h.num === num) return h.bodyStart;
    const from = Math.max(0, offset - 64);
    const win = this.bytes.toString('latin1', from, Math.min(this.bytes.length, offset + 64));
    const m = new RegExp(`(?:^|[^0-9])${num}\\s+${gen}\\s+obj`).exec(win);
    if (!m) return undefined;
    const h2 = readObjectHeader(this.bytes, from + m.index + (/^[0-9]/.test(m[0]) ? 0 : 1));
    return h2 && h2.num === num ? h2.bodyStart : undefined;
  }

  /** Last resort for a wrong offset: the last `num gen obj` before the section that lists it. */
  private scanFor(num: number, gen: number, section: number): number | undefined {
    if (!this.scanIndex) {
      this.scanIndex = new Map();
      const re = /(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b/g;
      const text = this.bytes.toString('latin1');
      let m: RegExpExecArray | null;
      let found = 0;
      while ((m = re.exec(text))) {
        const n = Number(m[1]);
        const list = this.scanIndex.get(n) ?? [];
        list.push(m.index);
        this.scanIndex.set(n, list);
        if (++found > this.work.limits.maxNodes) break;
      }
    }
    const list = this.scanIndex.get(num);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]! < section) {
        const h = readObjectHeader(this.bytes, list[i]!);
        if (h && h.num === num && h.gen === gen) return h.bodyStart;
      }
    }
    return undefined;
  }

  private inObjectStream(num: number, streamNum: number, index: number, reader: PdfReader): PDFObject | undefined {
    const stm = this.objectStream(streamNum, reader);
    let pair = stm.pairs[index];
    if (!pair || pair[0] !== num) pair = stm.pairs.find((p) => p[0] === num);
    if (!pair) throw damaged(this, `object ${num} is not in object stream ${streamNum} as the cross-reference says`, { object: num });
    const start = stm.first + pair[1];
    if (start >= stm.data.length) throw damaged(this, `object ${num} lies outside object stream ${streamNum}`, { object: num });
    return quietly(() => parseObjectAt(stm.data, start, this.context, { fileName: this.name, what: `object ${num} 0 (in object stream ${streamNum})` }));
  }

  private objectStream(streamNum: number, reader: PdfReader): ObjStm {
    const entry = reader.entry(streamNum);
    if (!entry || entry.type !== 'offset') throw damaged(this, `object stream ${streamNum} is missing`, { object: streamNum });
    const key = `o${entry.offset}`;
    const cached = this.objStms.get(key);
    if (cached) return cached;
    const what = `object stream ${streamNum} 0`;
    const obj = this.object(streamNum, entry, reader);
    if (!(obj instanceof PDFRawStream)) throw damaged(this, `${what} is not a stream`, { object: streamNum });
    const data = decodeStream(obj, { work: this.work, lookup: (o) => reader.lookup(o), what });
    const n = reader.lookup(obj.dict.get(PDFName.of('N')));
    const first = reader.lookup(obj.dict.get(PDFName.of('First')));
    if (!(n instanceof PDFNumber) || !(first instanceof PDFNumber)) throw damaged(this, `${what} lacks /N or /First`, { object: streamNum });
    const count = n.asNumber();
    const firstOff = first.asNumber();
    if (!Number.isInteger(count) || count < 0 || !Number.isInteger(firstOff) || firstOff < 0 || firstOff > data.length || count > firstOff / 2 + 1) {
      throw damaged(this, `${what} has an impossible /N or /First`, { object: streamNum });
    }
    const head = data.toString('latin1', 0, firstOff);
    const nums = head.trim().split(/\s+/).filter(Boolean).map(Number);
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < nums.length && pairs.length < count; i += 2) pairs.push([nums[i]!, nums[i + 1]!]);
    this.work.count(pairs.length);
    const stm = { data, first: firstOff, pairs };
    this.objStms.set(key, stm);
    return stm;
  }
}

export class PdfReader {
  private readonly entries = new Map<number, XrefEntry | undefined>();

  private constructor(
    private readonly state: FileState,
    /** Sections of this revision, newest first. */
    readonly chain: readonly XrefSection[],
    /** Hybrid files: the /XRefStm section of each table, by table offset. */
    private readonly hybrid: ReadonlyMap<number, XrefSection>,
    /** This revision ends here (the file length for the final revision). */
    readonly end: number,
  ) {}

  /** Open the final revision of `bytes`. Throws INVALID_INPUT (details.reason) when it cannot be read. */
  static async open(bytes: Buffer, opts: OpenOptions = {}): Promise<PdfReader> {
    const name = opts.name ?? 'The PDF';
    if (!bytes.subarray(0, 1024).includes('%PDF-')) throw pdfProblem('not-a-pdf', `${name} is not a PDF (no %PDF- header)`);
    const work = opts.work ?? new Work(limitsFor(bytes.length), opts.signal, name);
    const state = new FileState(bytes, work);
    return PdfReader.at(state, bytes.length);
  }

  private static async at(state: FileState, end: number): Promise<PdfReader> {
    const { offset } = findStartXref(state.bytes, state.name, end);
    const chain: XrefSection[] = [];
    const hybrid = new Map<number, XrefSection>();
    const seen = new Set<number>();
    const bootstrap = new PdfReader(state, chain, hybrid, end);
    let next: number | undefined = offset;
    while (next !== undefined) {
      if (seen.has(next)) throw damaged(state, `the cross-reference sections point back at each other (/Prev ${next})`, { offset: next });
      seen.add(next);
      if (chain.length >= state.work.limits.maxXrefSections) {
        throw pdfProblem('pdf-too-complex', `${state.name} has more than ${state.work.limits.maxXrefSections} cross-reference sections`, { limit: state.work.limits.maxXrefSections });
      }
      if (next >= end) throw damaged(state, `/Prev ${next} points past the end of its revision`, { offset: next });
      const section = state.section(next, (o) => bootstrap.lookupDirect(o));
      chain.push(section);
      if (section.kind === 'table') {
        const stm = section.trailer.get(PDFName.of('XRefStm'));
        if (stm instanceof PDFNumber) hybrid.set(section.offset, state.section(stm.asNumber(), (o) => bootstrap.lookupDirect(o)));
      }
      next = section.prev;
      await state.work.step();
    }
    const reader = new PdfReader(state, chain, hybrid, end);
    if (!(reader.trailer.get(PDFName.of('Root')) instanceof PDFRef)) throw damaged(state, 'the trailer names no document catalog (/Root)');
    return reader;
  }

  /** The document as of the revision that ends at `end` (a signature's /ByteRange end). */
  async revision(end: number): Promise<PdfReader> {
    return PdfReader.at(this.state, end);
  }

  get bytes(): Buffer {
    return this.state.bytes;
  }
  get work(): Work {
    return this.state.work;
  }
  get fileName(): string {
    return this.state.name;
  }
  /** Objects are created in (and parsed into) this context; it holds no file objects. */
  get context(): PDFContext {
    return this.state.context;
  }
  /** The last trailer (or cross-reference stream dictionary). */
  get trailer(): PDFDict {
    return this.chain[0]!.trailer;
  }
  get xrefKind(): XrefKind {
    return this.chain[0]!.kind;
  }
  get lastXrefOffset(): number {
    return this.chain[0]!.offset;
  }
  get encrypted(): boolean {
    return this.trailer.has(PDFName.of('Encrypt'));
  }
  get rootRef(): PDFRef {
    return this.trailer.get(PDFName.of('Root')) as PDFRef;
  }

  /**
   * One more than the highest object number in use or claimed (/Size): new objects are numbered
   * from here. Refused beyond ISO 32000-1 Annex C's limit — a bogus /Size 2147483647 would
   * otherwise give the new objects numbers no reader accepts.
   */
  nextObjectNumber(extra = 0): number {
    let n = 0;
    for (const s of this.chain) {
      const size = this.lookup(s.trailer.get(PDFName.of('Size')));
      if (size instanceof PDFNumber) n = Math.max(n, size.asNumber());
      n = Math.max(n, s.maxNumber + 1);
    }
    for (const s of this.hybrid.values()) n = Math.max(n, s.maxNumber + 1);
    const limit = this.work.limits.maxObjectNumber;
    if (!Number.isInteger(n) || n - 1 + extra > limit) {
      throw pdfProblem(
        'pdf-object-number-limit',
        `${this.fileName} claims ${n.toLocaleString('en')} objects (trailer /Size); a PDF may number at most ${limit.toLocaleString('en')} (ISO 32000-1 Annex C), so a signature cannot be added: the file is damaged`,
        { size: n, limit },
      );
    }
    return n;
  }

  /** The cross-reference entry of object `num` in this revision. */
  entry(num: number): XrefEntry | undefined {
    if (this.entries.has(num)) return this.entries.get(num);
    let found: XrefEntry | undefined;
    for (const s of this.chain) {
      const e = s.lookup(num);
      const stm = s.kind === 'table' ? this.hybrid.get(s.offset) : undefined;
      if (stm && (e === undefined || e.type === 'free')) {
        const e2 = stm.lookup(num);
        if (e2 !== undefined) {
          found = e2;
          break;
        }
      }
      if (e !== undefined) {
        found = e;
        break;
      }
    }
    this.entries.set(num, found);
    return found;
  }

  /** The object `ref` designates in this revision (undefined: free, missing or another generation). */
  resolve(ref: PDFRef): PDFObject | undefined {
    const e = this.entry(ref.objectNumber);
    if (!e || e.type === 'free') return undefined;
    if (e.type === 'offset' && e.gen !== ref.generationNumber) return undefined;
    if (e.type === 'compressed' && ref.generationNumber !== 0) return undefined;
    return this.state.object(ref.objectNumber, e, this);
  }

  /** Follow one indirect reference (direct objects are returned as they are). */
  lookup(o: PDFObject | undefined): PDFObject | undefined {
    return o instanceof PDFRef ? this.resolve(o) : o;
  }

  /** Before the chain is complete (reading a section's own /Length etc.): direct values only. */
  private lookupDirect(o: PDFObject | undefined): PDFObject | undefined {
    if (!(o instanceof PDFRef)) return o;
    return this.chain.length > 0 ? this.resolve(o) : undefined;
  }

  dict(o: PDFObject | undefined): PDFDict | undefined {
    const v = this.lookup(o);
    return v instanceof PDFDict ? v : undefined;
  }
  streamDict(o: PDFObject | undefined): PDFDict | undefined {
    const v = this.lookup(o);
    return v instanceof PDFDict ? v : v instanceof PDFRawStream ? v.dict : undefined;
  }
  array(o: PDFObject | undefined): PDFArray | undefined {
    const v = this.lookup(o);
    return v instanceof PDFArray ? v : undefined;
  }
  number(o: PDFObject | undefined): number | undefined {
    const v = this.lookup(o);
    return v instanceof PDFNumber ? v.asNumber() : undefined;
  }
  name(o: PDFObject | undefined): string | undefined {
    const v = this.lookup(o);
    return v instanceof PDFName ? v.decodeText() : undefined;
  }
  text(o: PDFObject | undefined): string | undefined {
    const v = this.lookup(o);
    if (!(v instanceof PDFString || v instanceof PDFHexString)) return undefined;
    try {
      return v.decodeText();
    } catch {
      return undefined;
    }
  }
  get(d: PDFDict | undefined, key: string): PDFObject | undefined {
    return d ? this.lookup(d.get(PDFName.of(key))) : undefined;
  }

  /** The catalog (ISO 32000-1 §7.7.2); damaged when missing. */
  catalog(): PDFDict {
    const c = this.dict(this.rootRef);
    if (!c) throw damaged(this.state, `the document catalog (object ${this.rootRef.objectNumber}) is missing or not a dictionary`, { object: this.rootRef.objectNumber });
    return c;
  }

  /** Decode a stream Signet must read (XMP metadata), within the budgets. */
  decode(stream: PDFRawStream, what: string): Buffer {
    return decodeStream(stream, { work: this.work, lookup: (o) => this.lookup(o), what });
  }

  /** Sections added after `older` (a revision of the same file): the update's own objects. */
  sectionsSince(older: PdfReader): XrefSection[] {
    const old = new Set(older.chain.map((s) => s.offset));
    return this.chain.filter((s) => !old.has(s.offset));
  }

  hybridOf(section: XrefSection): XrefSection | undefined {
    return this.hybrid.get(section.offset);
  }

  skipWs(pos: number): number {
    return skipWs(this.bytes, pos);
  }
}
