/**
 * The last stamp placement per document layout (issue 12 §2): the same form from the same portal
 * has the same page count and page sizes, so the stamp goes where the user put it last time. A
 * small JSON file in the data dir, the most recently used layouts first, at most LIMIT of them.
 * It holds page numbers, rectangles and field names only — nothing of any document's content.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { writeJsonAtomic } from '../config/files';

const LIMIT = 100;
const num = () => z.number().check(z.minimum(0), z.maximum(14_400));

export const PlacementSchema = z.object({
  page: z.int().check(z.minimum(0), z.maximum(100_000)),
  rect: z.object({ x: num(), y: num(), width: num(), height: num() }),
  field: z.optional(z.string().check(z.maxLength(1000))),
});
export type Placement = z.infer<typeof PlacementSchema>;

const FileSchema = z.object({ version: z.literal(1), layouts: z.array(z.object({ layout: z.string().check(z.maxLength(200)), placement: PlacementSchema })) });

export class PlacementStore {
  private layouts: { layout: string; placement: Placement }[];

  constructor(private readonly file: string) {
    this.layouts = this.load();
  }

  get(layout: string): Placement | null {
    return structuredClone(this.layouts.find((l) => l.layout === layout)?.placement ?? null);
  }

  set(layout: string, placement: Placement): void {
    const p = PlacementSchema.parse(placement);
    this.layouts = [{ layout, placement: p }, ...this.layouts.filter((l) => l.layout !== layout)].slice(0, LIMIT);
    writeJsonAtomic(this.file, { version: 1, layouts: this.layouts });
  }

  private load(): { layout: string; placement: Placement }[] {
    if (!existsSync(this.file)) return [];
    try {
      return FileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).layouts.slice(0, LIMIT);
    } catch {
      // A damaged file costs only the remembered placements.
      return [];
    }
  }
}
