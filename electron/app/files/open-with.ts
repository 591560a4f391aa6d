/**
 * Files handed to Signet from outside ("Open with Signet", a second instance, the command line):
 * a signed file goes to the verify view, anything else to the sign flow. Signed means a CMS
 * signature file (.p7s / .p7m, or a PEM "PKCS7") or a PDF that already holds signatures — the
 * user who double-clicks those wants to know whether they are valid, not to sign them again
 * (issue 12 §4: `data.csv.p7s` was offered for signing as `data.csv.p7s.p7s`). The verify view
 * says why it opened and offers "Sign this PDF too" for a signed PDF.
 */
import type { ErrorInfo } from '../../../native/errors';
import type { FileRef, SignetEvent, SignetEvents } from '../../api';
import { checkFile } from './check';
import type { FileRegistry } from './registry';

export interface OpenedFiles {
  sign: FileRef[];
  verify: FileRef[];
  rejected: { name: string; error: ErrorInfo }[];
}

export async function routeOpenedFiles(files: FileRegistry, paths: readonly string[]): Promise<OpenedFiles> {
  const { refs, rejected } = await files.addMany(paths);
  const out: OpenedFiles = { sign: [], verify: [], rejected };
  for (const ref of refs) {
    const check = await checkFile(ref.id, files.input(ref.id).path);
    const signed = check.kind === 'signature' || (check.pdf?.signatureCount ?? 0) > 0;
    (signed ? out.verify : out.sign).push(ref);
  }
  return out;
}

/** Emit the routed files as the renderer's events. */
export function emitOpenedFiles(opened: OpenedFiles, emit: <E extends SignetEvent>(event: E, payload: SignetEvents[E]) => void): void {
  if (opened.sign.length > 0) emit('files.opened', opened.sign);
  for (const ref of opened.verify) emit('verify.opened', ref);
  if (opened.rejected.length > 0) emit('files.rejected', opened.rejected);
}
