/**
 * Paths stay in main: the renderer only ever holds opaque ids for the files the user gave us
 * (open dialog, drop, open-with, command line) and for the outputs Signet wrote. An id the
 * registry did not hand out names nothing, so a compromised renderer cannot reach other files.
 */
import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { SignetError, type ErrorInfo } from '../../../native/errors';
import type { FileRef, OutputRef } from '../../api';

const MAX_FILES = 10_000;

export class FileRegistry {
  private readonly inputs = new Map<string, { path: string; ref: FileRef }>();
  private readonly outputs = new Map<string, { path: string; ref: OutputRef }>();

  /** Register a user-given path (a regular, readable file). */
  async add(filePath: string): Promise<FileRef> {
    const abs = path.resolve(filePath);
    let size: number;
    try {
      const st = await stat(abs);
      if (!st.isFile()) throw new SignetError('FILE_UNREADABLE', `${path.basename(abs)} is not a file.`, { details: { name: path.basename(abs), reason: 'not-a-file' } });
      size = st.size;
    } catch (e) {
      if (e instanceof SignetError) throw e;
      const errno = (e as NodeJS.ErrnoException | undefined)?.code;
      const reason = errno === 'ENOENT' ? 'missing' : errno === 'EACCES' || errno === 'EPERM' ? 'permission-denied' : 'unreadable';
      throw new SignetError('FILE_UNREADABLE', `${path.basename(abs)} cannot be read.`, { cause: e, details: { name: path.basename(abs), reason } });
    }
    for (const entry of this.inputs.values()) if (entry.path === abs && entry.ref.size === size) return entry.ref;
    if (this.inputs.size >= MAX_FILES) this.inputs.delete(this.inputs.keys().next().value as string);
    const ref: FileRef = { id: randomUUID(), name: path.basename(abs), size, isPdf: await looksLikePdf(abs) };
    this.inputs.set(ref.id, { path: abs, ref });
    return ref;
  }

  /** Register several paths; every refused one is returned with its name and why (none is dropped silently). */
  async addMany(paths: readonly string[]): Promise<{ refs: FileRef[]; errors: SignetError[]; rejected: { name: string; error: ErrorInfo }[] }> {
    const refs: FileRef[] = [];
    const errors: SignetError[] = [];
    const rejected: { name: string; error: ErrorInfo }[] = [];
    for (const p of paths) {
      try {
        refs.push(await this.add(p));
      } catch (e) {
        const error = e instanceof SignetError ? e : new SignetError('FILE_UNREADABLE', String(e), { details: { name: path.basename(p) } });
        errors.push(error);
        rejected.push({ name: path.basename(p), error: error.toInfo() });
      }
    }
    return { refs, errors, rejected };
  }

  input(id: string): { path: string; ref: FileRef } {
    const entry = this.inputs.get(id);
    if (!entry) throw new SignetError('INVALID_INPUT', 'This file is no longer available. Add it again.', { details: { reason: 'file-forgotten' } });
    return entry;
  }

  async addOutput(filePath: string): Promise<OutputRef> {
    const st = await stat(filePath);
    const ref: OutputRef = { id: randomUUID(), name: path.basename(filePath), size: st.size };
    this.outputs.set(ref.id, { path: filePath, ref });
    return ref;
  }

  output(id: string): { path: string; ref: OutputRef } {
    const entry = this.outputs.get(id);
    if (!entry) throw new SignetError('INVALID_INPUT', 'Unknown output.', { details: { reason: 'file-forgotten' } });
    return entry;
  }
}

/** A PDF by extension or by its header (`%PDF-` within the first 1024 bytes, as readers accept). */
async function looksLikePdf(filePath: string): Promise<boolean> {
  if (filePath.toLowerCase().endsWith('.pdf')) return true;
  try {
    const fh = await open(filePath, 'r');
    try {
      const buf = Buffer.alloc(1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).includes('%PDF-');
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}
