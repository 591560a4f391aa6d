/**
 * The history file (JSON, data dir, mode 0600), newest first, at most HISTORY_LIMIT entries,
 * rewritten atomically on every change. A damaged file is set aside (`history.json.damaged`) and
 * an empty history starts: losing the history must never stop signing, and the damaged file is
 * kept for whoever wants to look at it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import * as z from 'zod/mini';
import { writeJsonAtomic } from '../config/files';
import { HISTORY_LIMIT, type HistoryEntry, type NewHistoryEntry } from './types';

const text = (max: number) => z.string().check(z.maxLength(max));
const base = { id: text(100), at: z.iso.datetime(), signer: text(1000) };
const EntrySchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('document-signed'), name: text(1000), output: text(1000), format: z.enum(['pades', 'cades']), timestamp: z.optional(z.iso.datetime()) }),
  z.object({ ...base, kind: z.literal('web-signature'), origin: text(300), operation: z.enum(['sign-hash', 'sign-document']), documentName: z.optional(text(1000)) }),
  z.object({ ...base, kind: z.literal('web-login'), origin: text(300) }),
]);
const FileSchema = z.object({ version: z.literal(1), entries: z.array(EntrySchema) });

export class HistoryStore {
  private entries: HistoryEntry[];
  private readonly listeners = new Set<(entries: readonly HistoryEntry[]) => void>();

  constructor(
    private readonly file: string,
    private readonly limit = HISTORY_LIMIT,
  ) {
    this.entries = this.load();
  }

  /** Newest first. */
  list(): HistoryEntry[] {
    return structuredClone(this.entries);
  }

  add(entry: NewHistoryEntry): HistoryEntry {
    const full = { ...entry, id: randomUUID(), at: entry.at ?? new Date().toISOString() } as HistoryEntry;
    const parsed = EntrySchema.parse(full) as HistoryEntry;
    this.entries = [parsed, ...this.entries].slice(0, this.limit);
    this.save();
    return parsed;
  }

  clear(): void {
    this.entries = [];
    this.save();
  }

  onChange(listener: (entries: readonly HistoryEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(): void {
    writeJsonAtomic(this.file, { version: 1, entries: this.entries });
    for (const l of this.listeners) l(this.entries);
  }

  private load(): HistoryEntry[] {
    if (!existsSync(this.file)) return [];
    try {
      const parsed = FileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      return (parsed.entries as HistoryEntry[]).slice(0, this.limit);
    } catch {
      try {
        renameSync(this.file, `${this.file}.damaged`);
      } catch {
        // Unwritable directory: the next save fails loudly instead.
      }
      return [];
    }
  }
}
