/**
 * CORS (Fetch standard §3.2) and Chrome's Private Network Access preflight
 * (WICG private-network-access §3: `Access-Control-Request-Private-Network: true` →
 * `Access-Control-Allow-Private-Network: true`). These headers go only to allowed origins:
 * for any other page the browser hides our answer, which is the point.
 */
import type { IncomingMessage } from 'node:http';

export const ALLOWED_METHODS = ['GET', 'POST'] as const;
/** The only non-safelisted request header pages may send. */
export const ALLOWED_REQUEST_HEADERS = ['content-type'] as const;
/** Browsers cache a successful preflight this long (seconds). Every real request is checked again. */
export const PREFLIGHT_MAX_AGE = 60;

export function corsHeaders(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin };
}

/** Response headers for a valid preflight from an allowed origin, or null when the preflight asks
 *  for a method or header the API never accepts. */
export function preflightHeaders(req: IncomingMessage, origin: string, routeMethod: string): Record<string, string> | null {
  const method = req.headers['access-control-request-method'];
  if (method !== routeMethod) return null;
  const requested = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  if (!requested.every((h) => (ALLOWED_REQUEST_HEADERS as readonly string[]).includes(h))) return null;
  const headers: Record<string, string> = {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': ALLOWED_METHODS.join(', '),
    'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS.join(', '),
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
  };
  if (req.headers['access-control-request-private-network'] === 'true') {
    headers['Access-Control-Allow-Private-Network'] = 'true';
  }
  return headers;
}
