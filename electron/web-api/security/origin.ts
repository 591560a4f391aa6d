/**
 * The `Origin` rule of the loopback API: present, one value, an exact ASCII-serialised origin
 * (RFC 6454 §6.2, as browsers send it), https — or http on a loopback host only when the
 * developer setting `allowHttpLocalhost` is on. Anything else is refused before any route runs.
 */
import { domainToUnicode } from 'node:url';
import type { ApiErrorReason } from '../protocol';

export type OriginCheck = { ok: true; origin: string } | { ok: false; reason: Extract<ApiErrorReason, `origin-${string}`>; message: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function checkOrigin(values: readonly string[] | undefined, opts: { allowHttpLocalhost: boolean }): OriginCheck {
  if (values === undefined || values.length === 0) {
    return { ok: false, reason: 'origin-missing', message: 'Requests must come from a web page (the Origin header is missing).' };
  }
  const raw = values[0];
  if (values.length !== 1 || raw === undefined || raw === 'null') {
    return { ok: false, reason: 'origin-malformed', message: 'The request has no usable origin (several or "null" Origin headers).' };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'origin-malformed', message: 'The Origin header is not an origin.' };
  }
  // Exact serialisation: no path, query, user info, trailing slash, upper case or default port.
  if (url.origin !== raw) {
    return { ok: false, reason: 'origin-malformed', message: 'The Origin header is not a serialised origin.' };
  }
  if (url.protocol === 'https:') return { ok: true, origin: raw };
  if (url.protocol === 'http:' && opts.allowHttpLocalhost && LOOPBACK_HOSTS.has(url.hostname)) return { ok: true, origin: raw };
  return {
    ok: false,
    reason: 'origin-insecure',
    message: url.protocol === 'http:' ? 'Only https pages may use Signet (http://localhost only with the developer setting).' : 'Only https pages may use Signet.',
  };
}

export interface OriginParts {
  scheme: string;
  /** ASCII (punycode) host, as the browser serialised it. */
  host: string;
  /** The same host in Unicode, for display next to the punycode form. */
  unicodeHost: string;
  /** Explicit or the scheme's default port. */
  port: string;
  isIdn: boolean;
}

/** For the consent modal: show punycode and Unicode so look-alike IDNs cannot hide. */
export function originParts(origin: string): OriginParts {
  const url = new URL(origin);
  const host = url.hostname;
  const unicodeHost = host.startsWith('[') ? host : domainToUnicode(host) || host;
  const scheme = url.protocol.replace(/:$/, '');
  const port = url.port !== '' ? url.port : scheme === 'https' ? '443' : '80';
  return { scheme, host, unicodeHost, port, isIdn: host.split('.').some((label) => label.startsWith('xn--')) };
}
