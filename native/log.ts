/**
 * Logging with secrets made unprintable. Fields pass through `redact()` before any sink sees
 * them: byte arrays become their length, and any key that looks like a PIN or password is
 * replaced. Nothing in Signet logs a request's params directly; this is the second fence.
 */
export type LogFields = Record<string, unknown>;
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, message: string, fields?: LogFields): void;
}

const SECRET_KEY = /pin|puk|password|passphrase|secret/i;

export type SafeValue = string | number | boolean;

/** Flatten and redact fields into printable values (depth-limited). */
export function redact(fields: LogFields | undefined): Record<string, SafeValue> {
  const out: Record<string, SafeValue> = {};
  if (!fields) return out;
  const walk = (prefix: string, value: unknown, depth: number): void => {
    const key = prefix;
    const leaf = key.split('.').pop() ?? key;
    if (SECRET_KEY.test(leaf) && !/^(pinpad|pinPad|pinCountLow|pinFinalTry|pinLocked|pinToBeChanged|protectedAuthPath)$/.test(leaf)) {
      out[key] = '[redacted]';
      return;
    }
    if (value === null || value === undefined) return;
    if (typeof value === 'string') out[key] = value.length > 500 ? `${value.slice(0, 500)}…` : value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'bigint') out[key] = value.toString();
    else if (value instanceof Uint8Array || value instanceof ArrayBuffer) out[key] = `<${value.byteLength} bytes>`;
    else if (value instanceof Error) out[key] = value.message;
    else if (Array.isArray(value)) out[key] = `<array of ${value.length}>`;
    else if (typeof value === 'object' && depth < 2) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(`${key}.${k}`, v, depth + 1);
    } else out[key] = `<${typeof value}>`;
  };
  for (const [k, v] of Object.entries(fields)) walk(k, v, 0);
  return out;
}

export const nullLogger: Logger = { log: () => undefined };

/** Format one line: ISO time, level, message, key=value fields (already redacted). */
export function formatLine(level: Level, message: string, fields?: LogFields, source?: string): string {
  const f = redact(fields);
  const kv = Object.entries(f)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  return `${new Date().toISOString()} ${level.toUpperCase()}${source ? ` [${source}]` : ''} ${message}${kv ? ` ${kv}` : ''}`;
}
