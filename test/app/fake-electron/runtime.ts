/**
 * State every part of the fake shares: whether the app is ready, the journal, and the checks that
 * make the fake as strict as Electron's documentation about *when* an API may be called.
 */
import { appendFileSync } from 'node:fs';
import type { JournalEntry } from './wire';

const journalFile = process.env.FAKE_ELECTRON_JOURNAL;

/** JSON for the journal: byte arrays become their length (payloads may hold certificates). */
function replacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return { bytes: original.byteLength };
  return value;
}

export function journal(entry: JournalEntry): void {
  if (!journalFile) return;
  // Synchronous: the entry must be on disk before a following process.exit().
  appendFileSync(journalFile, `${JSON.stringify(entry, replacer)}\n`);
}

let ready = false;

export function isReady(): boolean {
  return ready;
}

export function markReady(): void {
  ready = true;
}

export class FakeElectronError extends Error {
  constructor(message: string) {
    super(`fake electron: ${message}`);
    this.name = 'FakeElectronError';
  }
}

/** "This API must be called after the ready event" (cited at each caller). */
export function requireReady(api: string, doc: string): void {
  if (!ready) throw new FakeElectronError(`${api} cannot be used before the app's 'ready' event (${doc})`);
}

/** "This method can only be called before app is ready" (cited at each caller). */
export function requireNotReady(api: string, doc: string): void {
  if (ready) throw new FakeElectronError(`${api} can only be called before the app is ready (${doc})`);
}

/** The docs' base URL; each faked API cites its own page and anchor. */
export const DOCS = 'https://www.electronjs.org/docs/latest/api';

/** A Response's headers as a plain object (lower-case names). */
export function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
