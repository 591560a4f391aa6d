/**
 * The CLI's log: one line per event appended to <logDir>/signet-cli.log (created on first write),
 * and on stderr with --verbose. Lines go through native/log.ts's redaction: byte arrays print as
 * their length, PIN-like keys as [redacted].
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { formatLine, type Level, type LogFields, type Logger } from '../../native/log';

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export class CliLogger implements Logger {
  private ready = false;
  private broken = false;

  constructor(
    private readonly logDir: () => string,
    private readonly stderr: Writable | null,
    private readonly minLevel: Level = 'info',
  ) {}

  log(level: Level, message: string, fields?: LogFields): void {
    const line = formatLine(level, message, fields, 'cli');
    if (this.stderr) this.stderr.write(`${line}\n`);
    if (ORDER[level] < ORDER[this.minLevel] || this.broken) return;
    try {
      const dir = this.logDir();
      if (!this.ready) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        this.ready = true;
      }
      appendFileSync(path.join(dir, 'signet-cli.log'), `${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never break a command (read-only home, full disk).
      this.broken = true;
    }
  }
}
