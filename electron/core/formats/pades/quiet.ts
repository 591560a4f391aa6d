/**
 * pdf-lib reports some oddities (e.g. numbers beyond 2^53) with console.warn, i.e. on the CLI's
 * stderr and in the user's terminal. Library chatter belongs in the debug log: every synchronous
 * call into pdf-lib's parser runs through `quietly`, which routes console.warn to the sink the
 * host program set (the CLI and the app set their loggers; the default drops it).
 */
import type { Logger } from '../../../../native/log';

let sink: Logger | undefined;

export function setPdfLibLogger(logger: Logger | undefined): void {
  sink = logger;
}

export function quietly<T>(fn: () => T): T {
  const original = console.warn;
  console.warn = (...args: unknown[]) => sink?.log('debug', 'pdf-lib', { message: args.map(String).join(' ') });
  try {
    return fn();
  } finally {
    console.warn = original;
  }
}
