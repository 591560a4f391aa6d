/** Text helpers for human output, and the error form both modes print. */
import { toErrorInfo, type ErrorInfo } from '../../native/errors';

export function errorJson(e: unknown): { error: ErrorInfo } {
  return { error: toErrorInfo(e) };
}

export function errorText(e: unknown): string {
  const info = toErrorInfo(e);
  const extra: string[] = [];
  if (info.finalTry) extra.push('last attempt before the PIN locks');
  if (info.retriesLeft !== undefined) extra.push(`${info.retriesLeft} attempt(s) left`);
  return `signet: ${info.message}${extra.length ? ` (${extra.join('; ')})` : ''} [${info.code}]`;
}

/** A simple aligned table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(headers), ...rows.map(line)].join('\n');
}
