/**
 * bench/web-api — loopback API overhead, excluding the card (issue 5 target: ≤ 5 ms).
 *
 *   node bench/web-api.mjs [iterations]
 *
 * Baseline (same run, same client, keep-alive): a bare node:http server answering a small JSON.
 * Measured:
 *   status       GET /v1/status round trip (Host/Origin/CORS gate, rate limit, allow-list, JSON).
 *   sign         POST /v1/sign full round trip with consent answered at once and an instant
 *                "card" (fixed signature): parse, purpose checks, consent queue, response.
 *   after-consent  from the consent answer to the response at the client — the part the user
 *                waits for after clicking Approve, minus the card.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWebApi } from '../electron/web-api/server';
import { MemoryOriginStore } from '../electron/web-api/origins';
import type { WebApiServices } from '../electron/web-api/services';
import type { CertificateView } from '../electron/core/types';

const N = Number(process.argv[2] ?? 2000);
const ORIGIN = 'https://bench.example';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(port: number, method: string, p: string, body?: string): Promise<{ status: number; text: string; at: bigint }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: p, agent, headers: { host: `127.0.0.1:${port}`, origin: ORIGIN, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, at: process.hrtime.bigint() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function stats(ns: bigint[]): { median: number; p95: number; mean: number } {
  const ms = ns.map((x) => Number(x) / 1e6).sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.floor(ms.length * 0.95)]!, mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

async function timeLoop(n: number, f: () => Promise<bigint | void>): Promise<bigint[]> {
  const out: bigint[] = [];
  for (let i = 0; i < Math.min(200, n); i++) await f(); // warm-up
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = await f();
    out.push(typeof r === 'bigint' ? r : process.hrtime.bigint() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-bench-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=bench', '-addext', 'keyUsage=critical,nonRepudiation'], { stdio: 'ignore' });
  const der = new X509Certificate(readFileSync(path.join(dir, 'c.pem'))).raw;
  rmSync(dir, { recursive: true, force: true });
  const view = {
    uri: 'pkcs11:token=B;id=%01;type=cert', keyUri: 'pkcs11:token=B;id=%01;type=private', token: 'pkcs11:token=B', label: 'bench', id: '01',
    subject: 'CN=bench', issuer: 'CN=bench', serialNumber: '01', notBefore: '', notAfter: '', keyType: 'EC', curve: 'P-256', purposes: ['signing'],
    alwaysAuthenticate: false, fingerprintSha256: createHash('sha256').update(der).digest('hex'), certificate: der.toString('base64'),
    displayName: 'bench', issuerDisplayName: 'bench', validity: 'valid', daysLeft: 1, hasPrivateKey: true,
  } satisfies CertificateView;
  const fixedSig = new Uint8Array(64).fill(1);
  const services: WebApiServices = {
    appVersion: 'bench',
    tokens: async () => [],
    certificates: async () => [view],
    signDigest: async () => fixedSig, // the card is excluded
    signDocument: async () => ({ content: new Uint8Array(), name: 'x' }),
  };
  const api = await startWebApi({ services, port: 0, origins: new MemoryOriginStore([ORIGIN]), rateLimit: { burst: 1e9, perSecond: 1e9 } });
  let approvedAt = 0n;
  api.consent.on('request', (v) => {
    approvedAt = process.hrtime.bigint();
    api.consent.respond(v.requestId, { approve: true });
  });

  const base = http.createServer((_req, res) => {
    const text = JSON.stringify({ app: 'baseline', version: '0', apiVersion: 1, tokenPresent: false });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((r) => base.listen(0, '127.0.0.1', r));
  const basePort = (base.address() as AddressInfo).port;

  const signBody = JSON.stringify({ hash: Buffer.alloc(32, 3).toString('base64'), hashAlgorithm: 'SHA-256', certificate: view.certificate });
  // Interleaved rounds, so JIT warm-up and machine noise (2 shared cores) hit every series alike.
  const series = { baseline: [] as bigint[], status: [] as bigint[], sign: [] as bigint[], after: [] as bigint[] };
  const ROUNDS = 5;
  for (let round = 0; round < ROUNDS; round++) {
    const n = Math.ceil(N / ROUNDS);
    series.baseline.push(...(await timeLoop(n, async () => void (await call(basePort, 'GET', '/')))));
    series.status.push(...(await timeLoop(n, async () => void (await call(api.port, 'GET', '/v1/status')))));
    series.sign.push(
      ...(await timeLoop(n, async () => {
        const r = await call(api.port, 'POST', '/v1/sign', signBody);
        if (r.status !== 200) throw new Error(r.text);
      })),
    );
    series.after.push(...(await timeLoop(n, async () => (await call(api.port, 'POST', '/v1/sign', signBody)).at - approvedAt)));
  }
  const baseline = stats(series.baseline);
  const status = stats(series.status);
  const sign = stats(series.sign);
  const after = stats(series.after);
  const fmt = (name: string, s: { median: number; p95: number; mean: number }): string =>
    `${name.padEnd(22)} median ${s.median.toFixed(3)} ms  p95 ${s.p95.toFixed(3)} ms  mean ${s.mean.toFixed(3)} ms  ×baseline ${(s.median / baseline.median).toFixed(2)}  overhead ${(s.median - baseline.median).toFixed(3)} ms`;
  console.log(`web-api bench, ${N} sequential requests each, keep-alive, node ${process.version}`);
  console.log(fmt('baseline (bare http)', baseline));
  console.log(fmt('GET /v1/status', status));
  console.log(fmt('POST /v1/sign (total)', sign));
  console.log(`${'sign after consent'.padEnd(22)} median ${after.median.toFixed(3)} ms  p95 ${after.p95.toFixed(3)} ms  mean ${after.mean.toFixed(3)} ms  (Approve → response at the client: half a round trip, compare in absolute terms)`);
  console.log(`target: sign-after-consent overhead ≤ 5 ms → ${after.p95 <= 5 && sign.median - baseline.median <= 5 ? 'met' : 'NOT met'} (p95 after consent ${after.p95.toFixed(3)} ms; whole sign request over baseline ${(sign.median - baseline.median).toFixed(3)} ms)`);
  agent.destroy();
  await api.close();
  base.close();
}

void main();
