/**
 * Showing text a web page (or a file name) chose, so it cannot disguise itself (issue 8 §4):
 *
 * - Bidirectional controls (U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, U+200E/
 *   U+200F/U+061C marks) are shown as visible escapes: "login-\u202Etxt.exe" reads
 *   "login-⟨U+202E⟩txt.exe", never "login-exe.txt". (Unicode TR #9 §2: these reorder what follows.)
 * - Other invisible or control characters (C0/C1 controls, DEL, zero-width spaces and joiners,
 *   the BOM, line/paragraph separators, soft hyphen, interlinear annotation marks) are escaped
 *   the same way; tab and new line are kept where the text is multi-line (`multiline`).
 * - The result is cut to `max` characters (escapes count as one), with "…" and `truncated` set,
 *   so a 10 000-character "name" cannot push the rest of a dialog off screen.
 *
 * Render the result inside a bidi isolate (`<bdi>`, or `unicode-bidi: isolate`), so even plain
 * right-to-left letters cannot reorder the text around it (Unicode TR #9 §6.3).
 */

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200d\u2028\u2029\u2060-\u2064\ufeff\ufff9-\ufffb]/;

export interface SafeText {
  text: string;
  /** Characters were escaped (the UI may say the name contains hidden characters). */
  escaped: boolean;
  /** The text was cut at `max` characters. */
  truncated: boolean;
}

function escapeChar(ch: string): string {
  return `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

export function displaySafe(value: string, options: { max?: number; multiline?: boolean } = {}): SafeText {
  const max = options.max ?? 200;
  let escaped = false;
  const out: string[] = [];
  let truncated = false;
  for (const ch of value) {
    if (out.length >= max) {
      truncated = true;
      break;
    }
    const keep = options.multiline === true && (ch === '\n' || ch === '\t' || ch === '\r');
    if (!keep && (BIDI.test(ch) || INVISIBLE.test(ch))) {
      escaped = true;
      out.push(escapeChar(ch));
    } else out.push(ch);
  }
  return { text: out.join('') + (truncated ? '…' : ''), escaped, truncated };
}
