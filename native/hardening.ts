/**
 * Keeps a Signet process out of core dumps (issue 8: "the PIN never reaches a core dump of any
 * Signet process"). Called first thing by each process that may hold a PIN: the token host
 * (native/host/main.ts — pkcs11js's C_Login takes the PIN as a JS string), the CLI
 * (electron/cli/main.ts — it reads the PIN from the terminal or stdin) and the Electron main
 * process (electron/app/main.ts — the PIN dialog's answer passes through it).
 *
 * Node has no setrlimit/prctl, so the OS calls live in a tiny Node-API addon,
 * native/process-hardening (a `file:` dependency, compiled by node-gyp from the root package's
 * `install` script at `npm ci`, docs/packaging.md; see its src/hardening.c for what each call does
 * and cites). Why an addon and not something
 * else: a wrapper (`prlimit`, `ulimit -c 0; exec …`) can lower RLIMIT_CORE but cannot make the
 * process non-dumpable (execve resets PR_SET_DUMPABLE, so only the process itself can set it) and
 * does not exist for Electron's utilityProcess; the non-dumpable flag is what stops a core piped
 * to systemd-coredump/apport, which the kernel writes whatever RLIMIT_CORE says.
 *
 * Linux also gets /proc/self/coredump_filter = 0 from plain Node (core(5), "Controlling which
 * mappings are written to the core dump"): a core, if one is still written, holds no anonymous
 * memory (V8 heap, malloc heap, stacks). It is written before the addon runs (a non-dumpable
 * process's /proc files belong to root) and it is the fallback when the addon is not built.
 *
 * Nothing throws: a process that cannot harden itself still runs, and the report says in words
 * what is missing, for the caller to log (host → client log, main → log file, CLI → stderr).
 */
import { writeFileSync } from 'node:fs';
// Types by relative path: typecheck does not need the addon linked into node_modules yet.
import type * as Addon from './process-hardening';

export type HardeningMeasure = 'coredumpFilter' | 'coreLimit' | 'nonDumpable' | 'werExcluded' | 'werNoHeap';

export interface HardeningReport {
  /** Measures that took effect in this process. */
  applied: HardeningMeasure[];
  /** What failed or could not be tried, one sentence each (empty when fully hardened). */
  problems: string[];
}

/** The measures each OS offers (what a complete report contains). */
export function expectedMeasures(platform: NodeJS.Platform = process.platform): HardeningMeasure[] {
  switch (platform) {
    case 'linux':
      return ['coredumpFilter', 'coreLimit', 'nonDumpable'];
    case 'darwin':
      return ['coreLimit'];
    case 'win32':
      return ['werNoHeap', 'werExcluded'];
    default:
      return [];
  }
}

export const ADDON_NAME = 'signet-process-hardening';

/** The addon, or why it cannot be loaded. */
export function loadAddon(): typeof Addon | Error {
  try {
    // Loaded at run time (kept external by scripts/build.mjs): the .node sits in node_modules, or in
    // app.asar.unpacked in a package (build/electron-builder.yml asarUnpack).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(ADDON_NAME) as typeof Addon;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

let done: HardeningReport | undefined;

/** Harden this process (once; later calls return the first report). */
export function hardenProcess(): HardeningReport {
  if (done) return done;
  const applied: HardeningMeasure[] = [];
  const problems: string[] = [];
  if (process.platform === 'linux') {
    try {
      writeFileSync('/proc/self/coredump_filter', '0');
      applied.push('coredumpFilter');
    } catch (e) {
      problems.push(`/proc/self/coredump_filter not written: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const addon = loadAddon();
  if (addon instanceof Error) {
    const missing = expectedMeasures().filter((m) => m !== 'coredumpFilter');
    if (missing.length > 0) {
      problems.push(`${ADDON_NAME} is not available (${addon.message.split('\n')[0]}): ${missing.join(', ')} not set, so a crash may write a core dump. Build it with \`npx node-gyp -C native/process-hardening rebuild\` (or \`npm ci\`; needs python3, make and a C compiler).`);
    }
  } else {
    const result = addon.harden();
    for (const [measure, outcome] of Object.entries(result) as [HardeningMeasure, Addon.MeasureResult | undefined][]) {
      if (!outcome) continue;
      if (outcome.ok) applied.push(measure);
      else problems.push(`${measure} not set: ${outcome.error ?? 'refused'}`);
    }
  }
  done = { applied, problems };
  return done;
}
