/**
 * Structured logs: one JSON object per line in `<logDir>/signet.log`, rotated by size
 * (signet.log → signet.1.log → … keeping `keep` old files). Secrets never reach the file: every
 * record goes through `redact`, which drops values under secret-looking keys (pin, puk, password,
 * content, …) and byte buffers whatever their key. Writes are synchronous appends — a log line
 * must survive a crash that follows it, and the volume is small.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The last `lines` records, already redacted (for diagnostics). */
  recent(lines: number): string[];
}

const SECRET_KEY = /pin|puk|pass(word|phrase)?|secret|content|base64|private|cookie|authorization|token$/i;
const REDACTED = '[redacted]';

/** Deep copy with secrets removed. Exported for the tests and for diagnostics. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (value === null || value === undefined) return value;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (value instanceof Error) return { name: value.name, message: value.message, ...(redact({ ...value }, depth + 1) as object) };
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // A "tokenUri"/"tokens" key is public (it names a card); only bare secret names are hidden.
      out[k] = SECRET_KEY.test(k) && !/uri|label|count|len(gth)?|pad|kind|locked|final|low|request/i.test(k) ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}

export const LOG_FILE_NAME = 'signet.log';

/**
 * Creates the log folder and opens the log file for appending once, so a folder that cannot be
 * written is found at start-up (the app stops and says so) rather than by a logger that would
 * silently drop every line. Returns the log file's path.
 */
export function openLogFile(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOG_FILE_NAME);
  closeSync(openSync(file, 'a', 0o600));
  return file;
}

export interface FileLoggerOptions {
  dir: string;
  maxBytes?: number;
  keep?: number;
  level?: LogLevel;
  /** Also print to stderr (development). */
  echo?: boolean;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createFileLogger(opts: FileLoggerOptions): Logger {
  const maxBytes = opts.maxBytes ?? 1_000_000;
  const keep = opts.keep ?? 3;
  const min = ORDER[opts.level ?? 'info'];
  const file = path.join(opts.dir, LOG_FILE_NAME);
  mkdirSync(opts.dir, { recursive: true });

  const rotate = (): void => {
    try {
      if (!existsSync(file) || statSync(file).size < maxBytes) return;
      rmSync(path.join(opts.dir, `signet.${keep}.log`), { force: true });
      for (let i = keep - 1; i >= 1; i--) {
        const from = path.join(opts.dir, `signet.${i}.log`);
        if (existsSync(from)) renameSync(from, path.join(opts.dir, `signet.${i + 1}.log`));
      }
      renameSync(file, path.join(opts.dir, 'signet.1.log'));
    } catch {
      // Rotation is best effort; logging must never take the app down.
    }
  };

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return;
    const record = { time: new Date().toISOString(), level, msg, ...(fields ? (redact(fields) as object) : {}) };
    const line = `${JSON.stringify(record)}\n`;
    try {
      rotate();
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // Disk full or read-only: keep running.
    }
    if (opts.echo) process.stderr.write(line);
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    recent(lines) {
      const out: string[] = [];
      for (const name of ['signet.log', 'signet.1.log']) {
        const p = path.join(opts.dir, name);
        if (!existsSync(p)) continue;
        const chunk = readFileSync(p, 'utf8').split('\n').filter(Boolean);
        out.unshift(...chunk);
        if (out.length >= lines) break;
      }
      return out.slice(-lines);
    },
  };
}

/** A logger that keeps records in memory (tests, harness without a log dir). */
export function createMemoryLogger(): Logger & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    records.push({ time: new Date().toISOString(), level, msg, ...(fields ? (redact(fields) as object) : {}) });
  };
  return {
    records,
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    recent: (lines) => records.slice(-lines).map((r) => JSON.stringify(r)),
  };
}
