/**
 * bench/hash — streaming SHA-256 of a large file (issue 3 target: wall ≤ 1.10× `openssl dgst
 * -sha256` on the same file in the same run; peak RSS ≤ 100 MB).
 *
 *   node bench/run-ts.mjs bench/hash.ts [--size-mib 1024] [--rounds 3] [--chunks 1,4] [--file PATH]
 *
 * The file is made once (random bytes) in a temp dir and read once before measuring, so every
 * run reads from the page cache: what is compared is the hashing path (syscalls, copies, the
 * hash itself), not the disk. Rounds alternate openssl and Signet. Signet runs in a child
 * process (this bundle with --child) so its peak RSS (getrusage maxrss) is its own; that RSS
 * includes Node's own baseline, which is measured too (a child that hashes nothing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashFile } from '../electron/core/hashing';
import { peakRssKiB } from './peak-rss';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

async function child(): Promise<void> {
  const file = arg('file', '');
  const chunkMiB = Number(arg('chunk', '4'));
  const t0 = process.hrtime.bigint();
  let hex = '';
  if (file) {
    const d = await hashFile(file, ['sha256'], { chunkSize: chunkMiB * 1024 * 1024, onProgress: () => undefined });
    hex = d.sha256.toString('hex');
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, maxRssKiB: peakRssKiB(), hex }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function makeFile(p: string, mib: number): void {
  const fd = openSync(p, 'w');
  const buf = Buffer.allocUnsafe(64 * 1024 * 1024);
  randomFillSync(buf);
  for (let done = 0; done < mib; done += 64) {
    buf[0] = done & 0xff; // not 16 identical blocks
    writeSync(fd, buf, 0, Math.min(64, mib - done) * 1024 * 1024);
  }
  closeSync(fd);
}

function warm(p: string): void {
  const fd = openSync(p, 'r');
  const buf = Buffer.allocUnsafe(16 * 1024 * 1024);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  const sizeMiB = Number(arg('size-mib', '1024'));
  const rounds = Number(arg('rounds', '3'));
  const chunks = arg('chunks', '1,4').split(',').map(Number);
  const tmp = mkdtempSync(path.join(tmpdir(), 'signet-bench-hash-'));
  const file = arg('file', '') || path.join(tmp, 'big.bin');
  try {
    if (!arg('file', '')) {
      process.stdout.write(`making a ${sizeMiB} MiB file… `);
      makeFile(file, sizeMiB);
      process.stdout.write('done\n');
    }
    warm(file);
    const self = process.argv[1]!;
    const runChild = (extra: string[]) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [self, '--child', ...extra], { encoding: 'utf8' });
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(r.stderr);
      return { ...(JSON.parse(r.stdout) as { ms: number; maxRssKiB: number; hex: string }), wallMs };
    };
    const baseline = runChild([]);
    const openssl: number[] = [];
    const ours: Record<number, { ms: number[]; wall: number[]; rss: number[] }> = {};
    let expected = '';
    for (let r = 0; r < rounds; r++) {
      const t0 = process.hrtime.bigint();
      const out = execFileSync('openssl', ['dgst', '-sha256', '-r', file], { encoding: 'utf8' });
      openssl.push(Number(process.hrtime.bigint() - t0) / 1e6);
      expected = out.split(' ')[0]!;
      for (const c of chunks) {
        const m = runChild(['--file', file, '--chunk', String(c)]);
        if (m.hex !== expected) throw new Error(`digest mismatch with openssl (chunk ${c} MiB)`);
        ours[c] ??= { ms: [], wall: [], rss: [] };
        ours[c].ms.push(m.ms);
        ours[c].wall.push(m.wallMs);
        ours[c].rss.push(m.maxRssKiB);
      }
    }
    const o = median(openssl);
    const mibps = (ms: number) => ((sizeMiB / ms) * 1000).toFixed(0);
    console.log(`\nSHA-256 of ${sizeMiB} MiB (page cache), median of ${rounds} rounds, digests equal to openssl's`);
    console.log(`  openssl dgst -sha256 (process wall)     ${o.toFixed(0).padStart(6)} ms  ${mibps(o)} MiB/s   baseline`);
    for (const c of chunks) {
      const s = ours[c]!;
      const ms = median(s.ms);
      const wall = median(s.wall);
      const rss = Math.max(...s.rss) / 1024;
      console.log(
        `  signet hashFile, ${String(c).padStart(2)} MiB reads (hashing) ${ms.toFixed(0).padStart(6)} ms  ${mibps(ms)} MiB/s   ratio ${(ms / o).toFixed(3)}×` +
          `   process wall ${wall.toFixed(0)} ms (${(wall / o).toFixed(3)}×)   peak RSS ${rss.toFixed(1)} MB`,
      );
    }
    console.log(`  node child doing nothing: peak RSS ${(baseline.maxRssKiB / 1024).toFixed(1)} MB, wall ${baseline.wallMs.toFixed(0)} ms`);
    console.log('targets: ratio ≤ 1.10×, peak RSS ≤ 100 MB');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
