// A loopback HTTP server on an ephemeral port, as the rig's OCSP, CRL and TSA services use it:
// 127.0.0.1 only (nothing reachable from outside the machine), port 0 (parallel tests never
// collide), and a stop() that also drops keep-alive connections so a test never hangs on exit.
import http from 'node:http';
import type { Socket } from 'node:net';

export type Handler = (req: http.IncomingMessage, body: Buffer) => Promise<{ status: number; type: string; body: Buffer }>;

export interface HttpService {
  url: string;
  stop(): Promise<void>;
}

/** Largest request body accepted: OCSP and timestamp requests are a few hundred bytes. */
const MAX_BODY = 64 * 1024;

export async function startHttpService(handler: Handler): Promise<HttpService> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      handler(req, Buffer.concat(chunks)).then(
        (r) => {
          res.writeHead(r.status, { 'content-type': r.type, 'content-length': r.body.length });
          res.end(r.body);
        },
        (e: unknown) => {
          const msg = Buffer.from(`rig service error: ${e instanceof Error ? e.message : String(e)}\n`);
          res.writeHead(500, { 'content-type': 'text/plain', 'content-length': msg.length });
          res.end(msg);
        },
      );
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('rig: server has no TCP address');
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return stopped;
    },
  };
}
