/**
 * Where a signed output goes: next to the input with a suffix (report-signed.pdf,
 * contract.docx.p7s), or in a folder the user chose. Never over an existing file: a free name is
 * found by adding " (2)", " (3)", … The writer still creates the file exclusively, so a file that
 * appears between planning and writing is not overwritten either.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DocumentFormat } from '../../api';

export function outputNameFor(inputName: string, format: DocumentFormat): string {
  if (format === 'cades') return `${inputName}.p7s`;
  const ext = path.extname(inputName);
  const stem = ext ? inputName.slice(0, -ext.length) : inputName;
  // A container is named after its (first) file, as DigiDoc does; signing a container again gives "-signed".
  if (format === 'asice') return ext.toLowerCase() === '.asice' ? `${stem}-signed.asice` : `${stem || inputName}.asice`;
  return `${stem}-signed${ext || '.pdf'}`;
}

/** A path in `dir` for `name` that does not exist and is not in `taken` (other outputs of the batch). */
export function freeOutputPath(dir: string, name: string, taken: ReadonlySet<string> = new Set(), exists: (p: string) => boolean = existsSync): string {
  const ext = name.endsWith('.p7s') ? '.p7s' : path.extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  for (let n = 1; n < 10_000; n++) {
    const candidate = path.join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
    if (!taken.has(candidate) && !exists(candidate)) return candidate;
  }
  throw new Error(`no free output name for ${name} in ${dir}`);
}
