/**
 * Every BrowserWindow spells out its webPreferences literally (so Electronegativity can check them
 * at the constructor); this keeps each literal equal to the one definition in harden.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECURE_WEB_PREFERENCES } from '../../../electron/app/windows/harden';

const ROOT = path.resolve(__dirname, '../../..');
const WINDOWS = ['electron/app/windows/main-window.ts', 'electron/app/tls/portal-window.ts'];

/** The `webPreferences: { ... }` literal of the file's `new BrowserWindow`, as key → source value. */
function literalPreferences(file: string): Map<string, string> {
  const src = readFileSync(path.join(ROOT, file), 'utf8');
  const start = src.indexOf('webPreferences: {');
  expect(start, `${file} has a literal webPreferences`).toBeGreaterThan(-1);
  const body = src.slice(start, src.indexOf('}', start));
  const out = new Map<string, string>();
  for (const m of body.matchAll(/^\s*(\w+):\s*(.+?),?\s*$/gm)) out.set(m[1]!, m[2]!.replace(/,$/, ''));
  return out;
}

describe('secure webPreferences', () => {
  for (const file of WINDOWS) {
    it(`${file} sets every secure preference to the shared value`, () => {
      const prefs = literalPreferences(file);
      for (const [key, value] of Object.entries(SECURE_WEB_PREFERENCES)) {
        expect(prefs.get(key), `${file}: ${key}`).toBe(typeof value === 'string' ? `'${value}'` : String(value));
      }
    });
  }
});
