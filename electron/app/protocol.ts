/**
 * app://signet/ — the only origin the renderer loads from. Files come from dist/renderer (inside
 * the asar in a packaged app), each response carrying the CSP header. Registered as a standard,
 * secure scheme so the page has a real origin for the sender checks.
 */
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { contentTypeOf, RENDERER_HEADERS } from './csp';
import { resolveStatic } from './static-files';
import { APP_HOST, APP_SCHEME } from './windows/harden';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }]);
}

export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = resolveStatic(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { ...RENDERER_HEADERS, 'Content-Type': contentTypeOf(file) } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
