/**
 * The demo "form upload" site: a small Node server on 127.0.0.1 whose page asks Signet (through
 * the SDK) to sign the form's PDF or a file, then uploads it; and logs in with the card (Web eID
 * token). Its server side verifies everything with ./verifier and shows the verdict — the part a
 * real back end would copy.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { NonceStore, verifyAuthToken, verifyDetachedCms, verifyPdf } from './verifier';
import { INDEX_HTML, APP_JS } from './page';

export interface DemoSiteOptions {
  /** 0 = any free port. Always 127.0.0.1. */
  port?: number;
  /** Signet's loopback API port, told to the page. */
  apiPort: number;
  /** CAs whose certificates the site accepts (PEM). */
  anchors: X509Certificate[];
  /** The built SDK (dist/sdk/signet.mjs). */
  sdkPath: string;
  /** This site's origin as users reach it; default http://localhost:PORT. The token check uses
   *  this configured value, never the request's headers. */
  origin?: string;
  log?: (line: string) => void;
}

export interface DemoSite {
  port: number;
  origin: string;
  close(): Promise<void>;
}

const MAX_BODY = 40 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(c);
  }
  const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected an object');
  return v as Record<string, unknown>;
}

function sessionOf(req: IncomingMessage, res: ServerResponse): string {
  const m = /(?:^|;\s*)demo_sid=([A-Za-z0-9_-]{20,})/.exec(req.headers.cookie ?? '');
  if (m?.[1]) return m[1];
  const sid = randomBytes(18).toString('base64url');
  res.setHeader('Set-Cookie', `demo_sid=${sid}; HttpOnly; SameSite=Strict; Path=/`);
  return sid;
}

/** The form as a one-page PDF (what the user signs). */
export async function formPdf(fields: Record<string, string>): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Application form');
  doc.setCreationDate(new Date());
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Application form', { x: 50, y: 780, size: 20, font });
  let y = 740;
  for (const [k, v] of Object.entries(fields)) {
    page.drawText(`${k}: ${v}`.slice(0, 90), { x: 50, y, size: 12, font });
    y -= 22;
  }
  return doc.save({ useObjectStreams: false });
}

export async function startDemoSite(opts: DemoSiteOptions): Promise<DemoSite> {
  const nonces = new NonceStore();
  const log = opts.log ?? (() => undefined);
  let origin = opts.origin ?? '';

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // The page talks to Signet on 127.0.0.1 and to itself, nothing else.
      'Content-Security-Policy': `default-src 'self'; connect-src 'self' http://127.0.0.1:${opts.apiPort}; img-src 'self' data:; style-src 'self' 'unsafe-inline'`,
    });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = (req.url ?? '/').split('?')[0];
      const sid = sessionOf(req, res);
      try {
        if (req.method === 'GET' && url === '/') return send(res, 200, INDEX_HTML, 'text/html; charset=utf-8');
        if (req.method === 'GET' && url === '/app.js') return send(res, 200, APP_JS, 'text/javascript; charset=utf-8');
        if (req.method === 'GET' && url === '/signet.mjs') return send(res, 200, readFileSync(opts.sdkPath, 'utf8'), 'text/javascript; charset=utf-8');
        if (req.method === 'GET' && url === '/config.json') return send(res, 200, { apiPort: opts.apiPort });
        if (req.method !== 'POST') return send(res, 404, { error: 'not found' });
        const body = await readJson(req);
        switch (url) {
          case '/api/form-pdf': {
            const fields: Record<string, string> = {};
            for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k.slice(0, 40)] = v.slice(0, 200);
            return send(res, 200, { name: 'application.pdf', pdfBase64: Buffer.from(await formPdf(fields)).toString('base64') });
          }
          case '/api/upload': {
            const { format, documentBase64, signatureBase64, name } = body;
            if (typeof documentBase64 !== 'string' || (format !== 'pades' && format !== 'cades')) return send(res, 400, { error: 'format and documentBase64 required' });
            const doc = Buffer.from(documentBase64, 'base64');
            if (format === 'pades') {
              const v = verifyPdf(doc, opts.anchors);
              const s = v.signatures[v.signatures.length - 1];
              log(`upload pades ${String(name)} valid=${v.valid}`);
              return send(res, 200, { valid: v.valid, format, signer: s?.signer?.subject, errors: [...v.errors, ...(s?.errors ?? [])] });
            }
            if (typeof signatureBase64 !== 'string') return send(res, 400, { error: 'signatureBase64 required for cades' });
            const v = verifyDetachedCms(Buffer.from(signatureBase64, 'base64'), doc, opts.anchors);
            log(`upload cades ${String(name)} valid=${v.valid}`);
            return send(res, 200, { valid: v.valid, format, signer: v.signer?.subject, errors: v.errors });
          }
          case '/api/challenge':
            return send(res, 200, { nonce: nonces.issue(sid) });
          case '/api/login': {
            const nonce = nonces.take(sid);
            if (nonce === undefined) return send(res, 401, { valid: false, errors: ['no challenge for this session (expired or already used)'] });
            const v = verifyAuthToken(body['token'], { expectedOrigin: origin, challengeNonce: nonce, anchors: opts.anchors });
            log(`login valid=${v.valid}`);
            return send(res, v.valid ? 200 : 401, { valid: v.valid, subject: v.valid ? v.subject : undefined, errors: v.errors });
          }
          default:
            return send(res, 404, { error: 'not found' });
        }
      } catch (e) {
        send(res, 400, { error: (e as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  if (origin === '') origin = `http://localhost:${port}`;
  return {
    port,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const defaultSdkPath = (): string => path.resolve(__dirname, 'sdk/signet.mjs');
