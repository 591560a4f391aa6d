/**
 * bench/sign-batch — batch throughput (issue 13 item 8): N RSA-2048 PKCS#1 v1.5 signatures of
 * random SHA-256 digests through Signet (KeySigner → TokenClient → token host process, one
 * login), posted the way a batch or concurrent web requests post them — without waiting for the
 * previous answer, `--window` in flight (default: all N) — vs a raw pkcs11js C_SignInit + C_Sign
 * loop over the same digests in this process, same SoftHSM2 key, in the same run.
 * Target: Signet's batch ≤ 1.10× the raw loop's time. Also printed: Signet with 2 in flight
 * (what core/signing/sign-files.ts keeps) and 1 in flight (sequential, the round-trip floor).
 *
 *   node bench/run-ts.mjs bench/sign-batch.ts [--n 1000] [--rounds 5] [--block 100] [--window N] [--host-prof DIR]
 *
 * Rounds alternate raw and Signet; figures are medians over rounds. The load average is printed:
 * both paths compete with whatever else runs on the machine, and on a loaded machine wall time
 * favours the two-process path (the scheduler gives two runnable processes more CPU than one), so
 * the CPU time each path used is printed too (this process, plus the host's utime+stime from
 * /proc/<pid>/stat, 10 ms ticks).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type * as P11 from 'pkcs11js';
import { NodeHostLauncher, TokenClient, type HostLauncher } from '../native/client';
import { digestInfo } from '../native/mechanisms';
import { KeySigner } from '../electron/core/key-signer';
import type { PinPrompt } from '../electron/core/pin-prompt';
import { arg, makeBenchToken, median, PIN } from './tokens-setup';

// The bench bundle runs from a temp dir: load pkcs11js from the repo (run from its root).
const pkcs11js = createRequire(path.join(process.cwd(), 'package.json'))('pkcs11js') as typeof P11;

/** Run `fn` over `items` with at most `window` calls in flight; resolves when all are done. */
async function windowed<T>(items: readonly T[], window: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, lane));
}

/** CPU ms used by a process so far (Linux /proc; fields 14–15 after the command name, in clock ticks of 10 ms). */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function main(): Promise<void> {
  const n = Number(arg('n', '1000'));
  const rounds = Number(arg('rounds', '5'));
  const window = Number(arg('window', String(n)));
  const t = await makeBenchToken({ keyType: 'RSA', count: 1 });
  try {
    const key = t.keys[0]!;
    // --- raw pkcs11js, in this process
    process.env.SOFTHSM2_CONF = t.env.SOFTHSM2_CONF;
    const p = new pkcs11js.PKCS11();
    p.load(t.module);
    p.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === 'Signet Bench')!;
    const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    p.C_Login(session, pkcs11js.CKU_USER, PIN);
    p.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(key.idHex, 'hex') },
    ]);
    const [handle] = p.C_FindObjects(session, 1);
    p.C_FindObjectsFinal(session);
    const mech = { mechanism: pkcs11js.CKM_RSA_PKCS };
    const out = Buffer.alloc(1024);
    const raw = (digest: Buffer): Buffer => {
      p.C_SignInit(session, mech, handle!);
      return p.C_Sign(session, Buffer.from(digestInfo('sha256', digest)), out);
    };

    // --- Signet: KeySigner over TokenClient (host process), one login
    // --host-prof DIR: a V8 CPU profile of the token host (node --cpu-prof), written when it exits.
    const prof = arg('host-prof', '');
    const inner = new NodeHostLauncher({ hostScript: t.hostScript, ...(prof ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] } : {}) });
    const hostPids: number[] = [];
    const launcher: HostLauncher = {
      launch: (name) => {
        const proc = inner.launch(name);
        if (proc.pid !== undefined) hostPids.push(proc.pid);
        return proc;
      },
    };
    const client = new TokenClient({ modules: [{ path: t.module, source: 'argument', env: t.env }], launcher });
    let asked = 0;
    const prompt: PinPrompt = {
      askPin: async () => {
        asked++;
        return new TextEncoder().encode(PIN);
      },
      showPinPad: () => () => undefined,
    };
    const signer = new KeySigner(client);
    const signet = (digest: Buffer) => signer.signDigest({ keyUri: key.uri, digest, hash: 'sha256', pinPrompt: prompt });

    const digests = Array.from({ length: n }, () => randomBytes(32));
    // Warm-up (login, JIT, caches) for both.
    for (let i = 0; i < 50; i++) {
      raw(digests[i]!);
      await signet(digests[i]!);
    }
    const cpuNow = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000 + hostPids.reduce((a, pid) => a + procCpuMs(pid), 0);
    };
    const cpu: Record<string, number[]> = { raw: [], batch: [], batchHost: [] };
    const hostCpu = (): number => hostPids.reduce((a, pid) => a + procCpuMs(pid), 0);
    const time = async (f: () => unknown, cpuKey?: string): Promise<number> => {
      const c0 = cpuNow();
      const h0 = hostCpu();
      const t0 = process.hrtime.bigint();
      await f();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (cpuKey) cpu[cpuKey]!.push(cpuNow() - c0);
      if (cpuKey === 'batch') cpu.batchHost!.push(hostCpu() - h0);
      return ms;
    };
    // Blocks of `block` signatures alternate raw / Signet batch / Signet 2 in flight / Signet
    // sequential, so load from other processes hits all alike; per path, the figure is the median
    // over rounds of the whole N, and the best case: the sum over blocks of each block's fastest
    // round (what is left when other processes' bursts are taken out).
    const block = Math.min(n, Number(arg('block', '100')));
    const paths = {
      raw: async (ds: Buffer[]) => ds.forEach((d) => raw(d)),
      batch: (ds: Buffer[]) => windowed(ds, window, signet),
      two: (ds: Buffer[]) => windowed(ds, 2, signet),
      seq: (ds: Buffer[]) => windowed(ds, 1, signet),
    };
    type PathName = keyof typeof paths;
    const names = Object.keys(paths) as PathName[];
    const perRound: Record<PathName, number[]> = { raw: [], batch: [], two: [], seq: [] };
    const blockBest: Record<PathName, number[]> = { raw: [], batch: [], two: [], seq: [] };
    const loads: number[] = [loadavg()[0]!];
    for (let r = 0; r < rounds; r++) {
      const sums: Record<PathName, number> = { raw: 0, batch: 0, two: 0, seq: 0 };
      for (let b = 0, k = 0; b < n; b += block, k++) {
        const ds = digests.slice(b, b + block);
        for (const name of names) {
          const ms = await time(() => paths[name](ds), name === 'raw' || name === 'batch' ? name : undefined);
          sums[name] += ms;
          blockBest[name][k] = Math.min(blockBest[name][k] ?? Infinity, ms);
        }
      }
      for (const name of names) perRound[name].push(sums[name]);
      loads.push(loadavg()[0]!);
    }
    await client.close();
    p.C_CloseSession(session);
    p.C_Finalize();
    const med = (x: PathName): number => median(perRound[x]);
    const best = (x: PathName): number => blockBest[x].reduce((u, v) => u + v, 0);
    const line = (label: string, x: PathName, target = ''): string =>
      `  ${label.padEnd(34)}: median ${med(x).toFixed(0).padStart(5)} ms (${((med(x) * 1000) / n).toFixed(0)} µs/sig) ratio ${(med(x) / med('raw')).toFixed(3)}×;` +
      ` best ${best(x).toFixed(0).padStart(5)} ms ratio ${(best(x) / best('raw')).toFixed(3)}×${target}`;
    console.log(`sign-batch (RSA-2048 PKCS#1 v1.5, SHA-256 digests, n=${n} in blocks of ${block}, rounds=${rounds}, PIN asked ${asked}×)`);
    console.log(`  ${'raw pkcs11js C_Sign loop'.padEnd(34)}: median ${med('raw').toFixed(0).padStart(5)} ms (${((med('raw') * 1000) / n).toFixed(0)} µs/sig);                best ${best('raw').toFixed(0).padStart(5)} ms`);
    console.log(line(`Signet batch, ${Math.min(window, block)} in flight`, 'batch', '  (target ≤ 1.10×)'));
    console.log(line('Signet, 2 in flight (sign-files)', 'two'));
    console.log(line('Signet, sequential', 'seq'));
    const cr = cpu.raw!.reduce((u, v) => u + v, 0);
    const cb = cpu.batch!.reduce((u, v) => u + v, 0);
    const ch = cpu.batchHost!.reduce((u, v) => u + v, 0);
    console.log(`  CPU time, batch (client + host) vs raw: ${((cb * 1000) / (n * rounds)).toFixed(0)} vs ${((cr * 1000) / (n * rounds)).toFixed(0)} µs/sig, ratio ${(cb / cr).toFixed(3)}× (host alone ${((ch * 1000) / (n * rounds)).toFixed(0)} µs/sig, ${(ch / cr).toFixed(3)}×)`);
    console.log(`  load average (1 min) during the run: ${loads.map((x) => x.toFixed(2)).join(' → ')} (2 cores, shared)`);
  } finally {
    t.cleanup();
  }
}

void main();
