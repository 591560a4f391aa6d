/**
 * Files named on a command line: what the OS passes for "Open with" (Windows, Linux) and what a
 * second instance hands to the first. Switches (Chromium adds some, e.g.
 * `--original-process-start-time`) and the app itself are not files.
 */
import path from 'node:path';

/**
 * @param argv process.argv of the instance: `[exe, ...args]` when packaged, `[electron, appDir, ...args]`
 *   when run from source (`electron .`).
 */
export function filesFromArgv(argv: readonly string[], cwd: string, isPackaged: boolean): string[] {
  return argv
    .slice(isPackaged ? 1 : 2)
    .filter((a) => a.length > 0 && !a.startsWith('-') && a !== '.')
    .map((a) => path.resolve(cwd, a));
}

/**
 * The files a second instance hands over: Electron passes `additionalData` unchanged, while its
 * `argv` may be reordered and extended by Chromium (Electron docs, app 'second-instance' event),
 * so `additionalData.files` wins and argv is the fallback (an older Signet sends none).
 */
export function filesFromSecondInstance(argv: readonly string[], cwd: string, additionalData: unknown, isPackaged: boolean): string[] {
  if (typeof additionalData === 'object' && additionalData !== null && Array.isArray((additionalData as { files?: unknown }).files)) {
    return ((additionalData as { files: unknown[] }).files).filter((f): f is string => typeof f === 'string' && path.isAbsolute(f));
  }
  return filesFromArgv(argv, cwd, isPackaged);
}
