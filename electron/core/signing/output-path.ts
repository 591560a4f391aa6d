/**
 * Output names: next to the input with a suffix (`report.pdf` → `report-signed.pdf`,
 * `contract.docx` → `contract.docx.p7s`), or in a chosen folder. Never over an existing file: a
 * free name is found by adding " (2)", " (3)", … (the same rule the app shows on its
 * confirmation screen). The writer still creates the file exclusively (write-output.ts), so a file
 * that appears between planning and writing is not overwritten either.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DocumentFormat } from './types';

export function outputNameFor(inputName: string, format: DocumentFormat): string {
  if (format === 'cades') return `${inputName}.p7s`;
  const ext = path.extname(inputName);
  const stem = ext ? inputName.slice(0, -ext.length) : inputName;
  // A container is named after its (first) file, as DigiDoc does; signing a container again gives "-signed".
  if (format === 'asice') return ext.toLowerCase() === '.asice' ? `${stem}-signed.asice` : `${stem || inputName}.asice`;
  return `${stem}-signed${ext || '.pdf'}`;
}

/** The n-th alternative of a name: "report-signed (2).pdf", "data.txt (2).p7s". */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const ext = name.endsWith('.p7s') ? '.p7s' : path.extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  return `${stem} (${n})${ext}`;
}

/** A path in `dir` for `name` that does not exist and is not in `taken` (other outputs of the batch). */
export function freeOutputPath(dir: string, name: string, taken: ReadonlySet<string> = new Set(), exists: (p: string) => boolean = existsSync): string {
  for (let n = 1; n < 10_000; n++) {
    const candidate = path.join(dir, numberedName(name, n));
    if (!taken.has(path.resolve(candidate)) && !exists(candidate)) return candidate;
  }
  throw new Error(`no free output name for ${name} in ${dir}`);
}
