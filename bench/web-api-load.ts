/**
 * bench/web-api-load — issue 10 target: `/v1/status` under 50 ms p99 while ten 30 MB
 * sign-document uploads run; and how much memory the API takes meanwhile.
 *
 *   node bench/run-ts.mjs bench/web-api-load.ts [statusRequests]
 *
 * Three processes, so the measuring client and the uploading client do not share the server's
 * event loop: this one runs the API as the app does (the server in its worker thread, the consent
 * queue and services on the main thread: electron/web-api/worker) and two children fork from the
 * same bundle: a prober (sequential keep-alive GET /v1/status, timing each) and an uploader (ten
 * 30 MB documents, one from each of ten allowed sites, left waiting for consent once spooled).
 * The main thread's event-loop delay is recorded too: that is what the app's window and IPC see.
 *
 * Phases, in one run: (1) baseline — the prober alone; (2) load — the prober while the uploads
 * run. Printed: p50 / p99 / max of each phase and their ratio, the server's peak RSS growth, and
 * how the uploads ended. The machine is shared (2 cores): compare the ratio, not absolute times.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { createHash, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ConsentBroker } from '../electron/web-api/consent/broker';
import { startWebApiWorker } from '../electron/web-api/worker/host';
import { MemoryOriginStore } from '../electron/web-api/origins';
import type { WebApiServices } from '../electron/web-api/services';
import type { CertificateView } from '../electron/core/types';
import { peakRssKiB } from './peak-rss';

const ROLE = process.argv[2];
const SITES = Array.from({ length: 10 }, (_, i) => `https://site${i}.bench${i}.example`);
const PROBE_ORIGIN = 'https://probe.example';
const DOC_BYTES = 30 * 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Child: GET /v1/status n times, sequentially, on one keep-alive socket; prints the times (ms). */
async function probe(port: number, n: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/status', agent, headers: { host: `127.0.0.1:${port}`, origin: PROBE_ORIGIN } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await new Promise((r) => setTimeout(r, 5));
  }
  agent.destroy();
  process.send?.({ times });
}

/** Child: ten 30 MB uploads, one per site; reports each outcome once its body is sent and answered or held. */
async function upload(port: number): Promise<void> {
  const doc = Buffer.alloc(DOC_BYTES, 0x41);
  const outcomes = await Promise.all(
    SITES.map(
      (origin) =>
        new Promise<string>((resolve) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/v1/sign-document?name=big.txt&format=cades',
              agent: false,
              headers: { host: `127.0.0.1:${port}`, origin, 'content-type': 'application/octet-stream', 'content-length': DOC_BYTES },
            },
            (res) => {
              res.resume();
              resolve(`answered ${res.statusCode}`);
            },
          );
          req.on('error', (e) => resolve(`error ${e.message}`));
          req.end(doc, () => setTimeout(() => resolve('sent, waiting for consent'), 50));
        }),
    ),
  );
  process.send?.({ outcomes });
  await new Promise((r) => setTimeout(r, 60_000));
}

function child(role: string, args: string[]): { done: Promise<unknown>; kill(): void } {
  const c = fork(process.argv[1]!, [role, ...args], { stdio: 'inherit' });
  const done = new Promise((resolve) => c.once('message', resolve));
  return { done, kill: () => c.kill() };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 400);
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
  const services: WebApiServices = {
    appVersion: 'bench',
    tokens: async () => [],
    certificates: async () => [view],
    signDigest: async () => new Uint8Array(64),
    signDocument: async () => ({ name: 'x' }),
  };
  const api = await startWebApiWorker({
    services,
    broker: new ConsentBroker(),
    port: 0,
    origins: new MemoryOriginStore([PROBE_ORIGIN, ...SITES]),
    settings: () => ({ maxDocumentBytes: 40 * 1024 * 1024 }),
    rateLimit: { burst: 1e9, perSecond: 1e9 },
    // Built by the npm script (scripts/build.mjs --node); run from the repository's root.
    script: path.resolve('dist', 'web-api-worker.js'),
  });
  const lag = (): ReturnType<typeof monitorEventLoopDelay> => {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    return h;
  };
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);

  const stats = (times: number[]) => {
    const s = [...times].sort((a, b) => a - b);
    return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s[s.length - 1]! };
  };
  const fmt = (name: string, s: { p50: number; p99: number; max: number }): string =>
    `${name.padEnd(26)} p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  max ${s.max.toFixed(2)} ms`;

  const baseLag = lag();
  const base = child('probe', [String(api.port), String(n)]);
  const baseline = stats(((await base.done) as { times: number[] }).times);
  baseLag.disable();
  base.kill();

  const loadLag = lag();
  const up = child('upload', [String(api.port)]);
  const loaded = child('probe', [String(api.port), String(n)]);
  const underLoad = stats(((await loaded.done) as { times: number[] }).times);
  const { outcomes } = (await up.done) as { outcomes: string[] };
  loadLag.disable();
  loaded.kill();
  clearInterval(sampler);
  const spooledMiB = (await api.load()).uploadBytes / 2 ** 20;
  up.kill();

  console.log(`web-api load bench (API in its worker thread): ${n} sequential GET /v1/status per phase, ten ${DOC_BYTES / 2 ** 20} MiB uploads, node ${process.version}`);
  console.log(fmt('baseline (no uploads)', baseline));
  console.log(fmt('during ten 30 MB uploads', underLoad));
  console.log(`ratio under load / baseline: p50 ×${(underLoad.p50 / baseline.p50).toFixed(2)}  p99 ×${(underLoad.p99 / baseline.p99).toFixed(2)}`);
  console.log(`target p99 < 50 ms under load → ${underLoad.p99 < 50 ? 'met' : 'NOT met'} (${underLoad.p99.toFixed(2)} ms)`);
  console.log(`server RSS: before ${(rss0 / 2 ** 20).toFixed(0)} MiB, peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB (+${((rssPeak - rss0) / 2 ** 20).toFixed(0)} MiB); VmHWM ${(peakRssKiB() / 1024).toFixed(0)} MiB; spooled at the end: ${spooledMiB.toFixed(0)} MiB on disk`);
  const ms = (h: ReturnType<typeof monitorEventLoopDelay>, p: number): string => (h.percentile(p) / 1e6).toFixed(2);
  console.log(`main thread event-loop delay: baseline p99 ${ms(baseLag, 99)} ms max ${(baseLag.max / 1e6).toFixed(2)} ms; during uploads p99 ${ms(loadLag, 99)} ms max ${(loadLag.max / 1e6).toFixed(2)} ms`);
  console.log(`uploads: ${outcomes.join('; ')}`);
  await api.close();
}

if (ROLE === 'probe') void probe(Number(process.argv[3]), Number(process.argv[4]));
else if (ROLE === 'upload') void upload(Number(process.argv[3]));
else void main();
