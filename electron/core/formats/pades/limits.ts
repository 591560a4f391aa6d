/**
 * Bounds on the work a PDF may cause (issue 14): hostile files must be refused in seconds and a
 * few hundred MB, never hang. Every graph walk counts nodes against one budget per operation
 * and yields to the event loop now and then, so SIGINT/SIGTERM (the CLI) and Cancel (the app)
 * are seen within milliseconds; every stream Signet inflates is capped per stream and per file.
 */
import { pdfProblem } from './problems';

const MiB = 1024 * 1024;

export interface PdfLimits {
  /** ISO 32000-1 Annex C.2: the largest object number a conforming reader must accept. */
  maxObjectNumber: number;
  /** Cross-reference sections followed through /Prev (incremental updates). */
  maxXrefSections: number;
  /** Graph nodes (page tree, fields, annotations, objects compared) per operation. */
  maxNodes: number;
  /** One decoded stream (object stream, cross-reference stream, XMP metadata). */
  maxStreamBytes: number;
  /** All streams decoded for one file, in total. */
  maxTotalInflate: number;
  /** Yield to the event loop after this many nodes. */
  yieldEvery: number;
}

export const MAX_OBJECT_NUMBER = 8_388_607;

/** The limits for a file of `fileSize` bytes: the inflate budget grows with the file, within bounds. */
export function limitsFor(fileSize: number): PdfLimits {
  return {
    maxObjectNumber: MAX_OBJECT_NUMBER,
    maxXrefSections: 4096,
    maxNodes: 2_000_000,
    maxStreamBytes: 32 * MiB,
    maxTotalInflate: Math.min(256 * MiB, Math.max(64 * MiB, 16 * fileSize)),
    yieldEvery: 2000,
  };
}

export function formatBytes(n: number): string {
  return n >= MiB ? `${Math.round((n / MiB) * 10) / 10} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The budget of one operation on one file: node count, inflated bytes, cancellation. Walks call
 * `await step()` per node; decoders call `inflated(n)`.
 */
export class Work {
  private nodes = 0;
  private inflatedBytes = 0;
  private sinceYield = 0;

  constructor(
    readonly limits: PdfLimits,
    readonly signal?: AbortSignal,
    readonly fileName = 'The PDF',
  ) {}

  /** Count `n` nodes; yields now and then, and throws when cancelled or over budget. */
  async step(n = 1): Promise<void> {
    this.count(n);
    this.sinceYield += n;
    if (this.sinceYield >= this.limits.yieldEvery) {
      this.sinceYield = 0;
      await yieldNow();
      this.signal?.throwIfAborted();
    }
  }

  /** Count without yielding (synchronous code paths); still bounded. */
  count(n = 1): void {
    this.nodes += n;
    if (this.nodes > this.limits.maxNodes) {
      throw pdfProblem('pdf-too-complex', `${this.fileName} is too complex to be read safely (more than ${this.limits.maxNodes.toLocaleString('en')} objects to visit)`, {
        limit: this.limits.maxNodes,
      });
    }
  }

  /** Yield and check for cancellation (between phases). */
  async checkpoint(): Promise<void> {
    this.sinceYield = 0;
    await yieldNow();
    this.signal?.throwIfAborted();
  }

  /** Room left in the per-file inflate budget. */
  inflateRoom(): number {
    return this.limits.maxTotalInflate - this.inflatedBytes;
  }

  inflated(n: number): void {
    this.inflatedBytes += n;
  }
}
