/**
 * The renderer's Content-Security-Policy, sent as a header by the app:// protocol handler and by
 * the browser harness (and repeated in renderer/index.html's meta tag): only the app's own
 * scripts and styles, no eval, no inline script, no remote anything, no frames, no forms posting out.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // pdf.js's worker (the document preview) is a file of the app's own origin; no blob: workers.
  // pdf.js runs with isEvalSupported: false and useWasm: false (renderer/src/lib/pdf/pdfjs.ts),
  // so neither 'unsafe-eval' nor 'wasm-unsafe-eval' is needed.
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every renderer response carries. */
export const RENDERER_HEADERS: Record<string, string> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return TYPES[dot >= 0 ? file.slice(dot).toLowerCase() : ''] ?? 'application/octet-stream';
}
