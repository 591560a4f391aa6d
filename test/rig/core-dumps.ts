/**
 * Looking at a process from outside the way the Linux kernel does when it decides about a core
 * dump (core(5), proc(5), ptrace(2) "Ptrace access mode checking"). Used by the tests that show
 * Signet's processes cannot leave a core holding a PIN. Linux only; nothing here imports app code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, openSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';

export interface CoreLimit {
  /** bytes; Infinity = unlimited */
  soft: number;
  hard: number;
}

const limitValue = (s: string): number => (s === 'unlimited' ? Infinity : Number(s));

/** "Max core file size" of /proc/<pid>/limits: what the kernel compares a core file against. */
export function coreLimitOf(pid: number | 'self'): CoreLimit {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max core file size'));
  const m = line && /^Max core file size\s+(\S+)\s+(\S+)/.exec(line);
  if (!m) throw new Error(`no core limit in /proc/${pid}/limits`);
  return { soft: limitValue(m[1]!), hard: limitValue(m[2]!) };
}

/** /proc/<pid>/coredump_filter as a number (bit 0 anonymous private … bit 4 ELF headers). */
export function coredumpFilterOf(pid: number): number {
  return parseInt(readFileSync(`/proc/${pid}/coredump_filter`, 'utf8').trim(), 16);
}

/**
 * Where the kernel writes a core file for a process whose working directory is `cwd`, from
 * /proc/sys/kernel/core_pattern: a directory to watch, or why it cannot be watched (a pipe to
 * systemd-coredump/apport, or a pattern with per-crash directories).
 */
export function coreDirectory(cwd: string): { dir: string; prefix: string } | { unobservable: string } {
  const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  if (pattern.startsWith('|')) return { unobservable: `core_pattern pipes cores to a program (${pattern.split(' ')[0]})` };
  const dir = path.isAbsolute(pattern) ? path.dirname(pattern) : path.resolve(cwd, path.dirname(pattern));
  if (dir.includes('%')) return { unobservable: `core_pattern "${pattern}" makes a directory per crash` };
  return { dir, prefix: path.basename(pattern).split('%')[0]! };
}

/** Files in `dir` named like a core (the pattern's fixed prefix) that are not in `before`. */
export function newCoreFiles(where: { dir: string; prefix: string }, before: ReadonlySet<string>): string[] {
  return readdirSync(where.dir)
    .filter((f) => f.startsWith(where.prefix) && !before.has(f))
    .map((f) => path.join(where.dir, f));
}

export function listDir(dir: string): Set<string> {
  return new Set(readdirSync(dir));
}

/** Whether `file` contains `needle` (read in chunks: cores are large). */
export function fileContains(file: string, needle: Uint8Array): boolean {
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  const n = Buffer.from(needle);
  let carry = Buffer.alloc(0);
  try {
    for (;;) {
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got <= 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, got)]);
      if (window.includes(n)) return true;
      carry = window.subarray(Math.max(0, window.length - n.length + 1));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `needle` is anywhere in the writable memory of process `pid` (/proc/<pid>/maps +
 * /proc/<pid>/mem). Needs PTRACE_MODE_ATTACH: root (CAP_SYS_PTRACE) can do it to any process,
 * another user's process or a non-dumpable one cannot.
 */
export function memoryContains(pid: number, needle: Uint8Array): boolean {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  const n = Buffer.from(needle);
  try {
    for (const line of maps) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) rw/.exec(line);
      if (!m) continue;
      const start = BigInt(`0x${m[1]}`);
      const end = BigInt(`0x${m[2]}`);
      for (let at = start; at < end; at += 8n * 1024n * 1024n) {
        const len = Number(end - at < 8n * 1024n * 1024n ? end - at : 8n * 1024n * 1024n);
        const buf = Buffer.alloc(len + n.length);
        let got = 0;
        try {
          got = readSync(fd, buf, 0, buf.length, at);
        } catch {
          continue; // guard pages, [vvar]
        }
        if (buf.subarray(0, got).includes(n)) return true;
      }
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether an ordinary process of ours may read /proc/<pid>/environ (PTRACE_MODE_READ): the kernel
 * refuses it for a non-dumpable target unless the reader has CAP_SYS_PTRACE (ptrace(2), "Ptrace
 * access mode checking"). Root has that capability: run the reader through `prefix` (e.g.
 * setpriv dropping every capability), and the target without capabilities too, or the check
 * that a reader holds the target's capabilities refuses every target alike.
 */
export function environReadableByPeer(pid: number, prefix: string[] = []): boolean {
  const argv = [...prefix, 'cat', `/proc/${pid}/environ`];
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  return r.status === 0;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * Command prefix that starts a process the way an ordinary user's would be for these checks:
 * without capabilities when we are root (setpriv; root's CAP_SYS_PTRACE would hide the dumpable
 * check), with RLIMIT_CORE raised as far as our hard limit allows (prlimit), so that any limit of
 * 0 seen in it — or in its children — was set by the process itself.
 */
export function ordinaryProcessPrefix(): string[] {
  const hard = coreLimitOf('self').hard;
  const limit = hard === Infinity ? 'unlimited' : String(hard);
  return [...(isRoot() ? WITHOUT_CAPS : []), 'prlimit', `--core=${limit}:${limit}`, '--'];
}

/** setpriv dropping every capability (for the reader side of environReadableByPeer when root). */
export const WITHOUT_CAPS = ['setpriv', '--inh-caps=-all', '--bounding-set=-all', '--'];

/** Peer check as it applies to us: without capabilities when we are root. */
export const peerMayReadEnviron = (pid: number): boolean => environReadableByPeer(pid, isRoot() ? WITHOUT_CAPS : []);

/** Children of `pid` (/proc/<pid>/task/<pid>/children). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
