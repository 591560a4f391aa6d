/**
 * bench/cades-file — issue 13 item 7: `signet sign FILE --format cades` as a whole process (Node
 * start-up, token host, key lookup, login, one read of the file for its digest, C_Sign, CMS,
 * atomic write) against `openssl dgst -sha256 FILE` — only the hashing — on the same file, in the
 * same run, rounds alternating. Target: ≤ 1.15×.
 *
 *   node bench/run-ts.mjs bench/cades-file.ts [--size-mib 1024] [--rounds 3]
 *
 * The file (random bytes) is written once and read once before measuring, so both read it from
 * the page cache: what is compared is the work per byte plus Signet's fixed costs. The token is a
 * SoftHSM2 P-256 key in a temp dir (bench/tokens-setup.ts); the CLI gets the PIN on stdin.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import path from 'node:path';
import { arg, makeBenchToken, median, PIN } from './tokens-setup';

function timed(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...opts.env }, input: opts.input ?? '', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  return ms;
}

function makeFile(p: string, mib: number): void {
  const fd = openSync(p, 'w');
  const buf = Buffer.allocUnsafe(64 * 1024 * 1024);
  randomFillSync(buf);
  for (let done = 0; done < mib; done += 64) {
    buf[0] = done & 0xff;
    writeSync(fd, buf, 0, Math.min(64, mib - done) * 1024 * 1024);
  }
  closeSync(fd);
  // Into the page cache.
  const rd = openSync(p, 'r');
  while (readSync(rd, buf, 0, buf.length, null) > 0);
  closeSync(rd);
}

async function main(): Promise<void> {
  const mib = Number(arg('size-mib', '1024'));
  const rounds = Number(arg('rounds', '3'));
  const t = await makeBenchToken({ keyType: 'EC', count: 1, label: 'Signet CAdES Bench' });
  try {
    const file = path.join(t.dir, 'input.bin');
    makeFile(file, mib);
    const out = path.join(t.dir, 'out');
    const home = path.join(t.dir, 'home');
    const env = {
      ...t.env,
      SIGNET_CONFIG_DIR: path.join(home, 'config'),
      SIGNET_DATA_DIR: path.join(home, 'data'),
      SIGNET_LOG_DIR: path.join(home, 'logs'),
      SIGNET_POLICY_FILE: path.join(home, 'policy.json'),
    };
    const signet = (): number => {
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out);
      return timed(process.execPath, [t.cliScript, 'sign', file, '--format', 'cades', '--no-tsa', '--module', t.module, '--key', t.keys[0]!.uri, '--pin-stdin', '--out-dir', out], {
        env,
        input: `${PIN}\n`,
      });
    };
    const openssl = (): number => timed('openssl', ['dgst', '-sha256', file]);
    // One of each to warm up (module caches, page cache of the bundles).
    signet();
    openssl();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < rounds; i++) {
      b.push(openssl());
      a.push(signet());
    }
    const ma = median(a);
    const mb = median(b);
    console.log(`CAdES of a ${mib} MiB file, whole process, median of ${rounds} (page cache warm):`);
    console.log(`  signet sign --format cades:  ${ma.toFixed(0)} ms  [${a.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  openssl dgst -sha256:        ${mb.toFixed(0)} ms  [${b.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  ratio: ${(ma / mb).toFixed(2)}×  (target ≤ 1.15×)`);
  } finally {
    t.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
