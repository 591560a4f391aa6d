/**
 * ConnectionGuard near its hard limit (issue 10, attack 2): after a flood of silent sockets, a
 * request that arrives later is served — the oldest silent sockets are closed to make room, not
 * the newcomer — and shedding stops at its thresholds instead of closing every silent socket.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ConnectionGuard, type ConnectionLimits } from '../../../electron/web-api/security/connections';

const LIMITS: ConnectionLimits = {
  maxConnections: 120, // minus the guard's headroom (32), still above shedAbove
  shedAbove: 60,
  freshGraceMs: 60_000, // nothing ages out during the test: only the headroom rule can make room
  perAllowedOrigin: 4,
  allowedTotal: 8,
  perUnknownSite: 2,
  unknownTotal: 4,
};

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function serve(limits: ConnectionLimits = LIMITS): Promise<{ server: http.Server; guard: ConnectionGuard; port: number }> {
  const server = http.createServer((req, res) => {
    const end = guard.requestStarted(req.socket);
    res.setHeader('connection', 'close');
    res.end('ok', end);
  });
  const guard = new ConnectionGuard(server, limits);
  cleanup.push(() => {
    guard.close();
    server.closeAllConnections();
    server.close();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, guard, port: (server.address() as AddressInfo).port })));
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined);
    cleanup.push(() => s.destroy());
  });
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

it('a flood of silent sockets up to the hard limit: a later request is answered, the oldest silent sockets were closed', async () => {
  const { guard, port } = await serve();
  const flood: net.Socket[] = [];
  for (let i = 0; i < LIMITS.maxConnections; i++) flood.push(await connect(port));
  await expect.poll(() => flood.filter((s) => s.destroyed || s.readableEnded).length).toBeGreaterThan(0);
  // The guard keeps headroom below Node's hard limit, so the newcomer is accepted and served.
  expect(guard.connections).toBeLessThan(LIMITS.maxConnections);
  await expect(get(port)).resolves.toBe('ok');
  // Oldest first: the first socket of the flood is among the closed ones, the last is not.
  await expect.poll(() => flood[0]!.readableEnded || flood[0]!.destroyed).toBe(true);
  expect(flood.at(-1)!.destroyed || flood.at(-1)!.readableEnded).toBe(false);
});

it('shedding stops at its threshold: silent sockets past their grace are closed only down to shedAbove', async () => {
  const limits = { ...LIMITS, freshGraceMs: 20 };
  const { guard, port } = await serve(limits);
  const open: net.Socket[] = [];
  for (let i = 0; i < limits.shedAbove + 10; i++) {
    open.push(await connect(port));
    await new Promise((r) => setTimeout(r, 3));
  }
  await new Promise((r) => setTimeout(r, 2 * limits.freshGraceMs));
  guard.shed();
  await expect.poll(() => open.filter((s) => s.destroyed || s.readableEnded).length).toBe(10);
  expect(guard.connections).toBe(limits.shedAbove);
});
