/**
 * bench/pades-pdfsig — issue 13 item 8, PAdES against poppler's `pdfsig -add-signature`, the same
 * SoftHSM2 RSA-2048 key reached by both (Signet through its token host, pdfsig through NSS with
 * the SoftHSM2 module added to its database), whole processes, in the same run:
 *
 *  batch  `signet sign` of N one-page PDFs (one process, one PIN) vs a loop of N
 *         `pdfsig -add-signature` processes over the same files (pdfsig signs one file per
 *         process). Goal: Signet faster.
 *  large  one PDF of --size-mb MB: wall time and peak RSS of `signet sign` vs `pdfsig`
 *         (GNU time's maximum resident set size; for Signet the CLI process — its token host is
 *         a separate, small process). Goal: wall ≤ pdfsig's. --prof DIR writes a V8 CPU profile
 *         of the Signet CLI (node --cpu-prof) and prints its top frames.
 *
 *   node bench/run-ts.mjs bench/pades-pdfsig.ts [--n 1000] [--size-mb 200] [--rounds 3] [--only batch|large] [--prof DIR]
 *
 * Signet makes PAdES-B (ETSI.CAdES.detached), pdfsig adbe.pkcs7.detached (the only kind its
 * -add-signature makes), both without a time-stamp; the first output of each is checked with
 * pdfsig ("Signature is Valid"). The load average is printed: the machine is
 * shared, so figures are medians of rounds that alternate the two tools.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { arg, makeBenchToken, median, PIN } from './tokens-setup';
import { makeLargePdf, makeSmallPdfs } from './pdf-fixtures';

interface Run {
  ms: number;
  maxRssKiB: number;
}

/** Run a command under GNU time (wall from here, peak RSS from time's %M). */
function timed(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string; ok?: (status: number | null) => boolean } = {}): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env: { ...process.env, ...opts.env }, input: opts.input ?? '', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const err = r.stderr.toString();
  if (!(opts.ok ?? ((st) => st === 0))(r.status)) throw new Error(`${cmd} ${args.slice(0, 6).join(' ')}… failed (${r.status}): ${err.slice(-2000)}`);
  const lines = err.trim().split('\n');
  return { ms, maxRssKiB: Number(lines[lines.length - 1]) };
}

/** Verify with a database of its own: pdfsig crashes (SIGSEGV) verifying through the one that loads SoftHSM2. */
function assertValid(pdf: string, nssDir: string): void {
  const v = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, '-nocert', pdf], { encoding: 'utf8' });
  if (!/Signature is Valid/.test(v.stdout)) throw new Error(`pdfsig does not accept ${pdf} (exit ${v.status}, ${v.signal ?? ''}):\n${v.stdout}${v.stderr}`);
}

async function main(): Promise<void> {
  const n = Number(arg('n', '1000'));
  const sizeMb = Number(arg('size-mb', '200'));
  const rounds = Number(arg('rounds', '3'));
  const only = arg('only', '');
  const prof = arg('prof', '');
  const t = await makeBenchToken({ keyType: 'RSA', count: 1, label: 'Signet PAdES Bench' });
  try {
    const key = t.keys[0]!;
    // NSS database with the SoftHSM2 module (pdfsig finds the key as "<token label>:<cert label>").
    const nssDir = path.join(t.dir, 'nss');
    mkdirSync(nssDir);
    execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
    execFileSync('modutil', ['-dbdir', `sql:${nssDir}`, '-add', 'softhsm2', '-libfile', t.module, '-force'], { env: { ...process.env, ...t.env }, stdio: 'ignore' });
    const nick = 'Signet PAdES Bench:bench cert 1';
    const verifyDir = path.join(t.dir, 'nss-verify');
    mkdirSync(verifyDir);
    execFileSync('certutil', ['-N', '-d', `sql:${verifyDir}`, '--empty-password']);
    const home = path.join(t.dir, 'home');
    const env = {
      ...t.env,
      SIGNET_CONFIG_DIR: path.join(home, 'config'),
      SIGNET_DATA_DIR: path.join(home, 'data'),
      SIGNET_LOG_DIR: path.join(home, 'logs'),
      SIGNET_POLICY_FILE: path.join(home, 'policy.json'),
    };
    const signetArgs = (files: string[], outDir: string): string[] => [
      t.cliScript,
      'sign',
      ...files,
      '--format',
      'pades',
      '--no-tsa',
      '--module',
      t.module,
      '--key',
      key.uri,
      '--pin-stdin',
      '--out-dir',
      outDir,
    ];
    const signet = (files: string[], outDir: string, execArgv: string[] = []): Run => {
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir);
      return timed(process.execPath, [...execArgv, ...signetArgs(files, outDir)], { env, input: `${PIN}\n` });
    };
    // pdfsig 22.12 signs adbe.pkcs7.detached only ("-etsi is not supported yet with
    // -add-signature"); the token's PIN goes in -nss-pwd (NSS asks it through the same callback).
    // It then crashes on exit: NSS_Shutdown → SoftHSM2 2.6.1's C_CloseAllSessions after SoftHSM2's
    // own exit handlers ran (SIGSEGV, status 139 from GNU time, no core: ulimit -c 0) — after the
    // output is written, so the run counts when the output exists (the first one is verified).
    const pdfsig = (input: string, output: string): Run => {
      const r = timed('pdfsig', ['-nssdir', `sql:${nssDir}`, '-nss-pwd', PIN, '-nick', nick, '-add-signature', input, output], { env: t.env, ok: (st) => st === 0 || st === 139 });
      if (!existsSync(output)) throw new Error(`pdfsig wrote no ${output}`);
      return r;
    };
    const loads: number[] = [loadavg()[0]!];
    const mb = (kib: number): string => (kib / 1024).toFixed(0);

    if (only !== 'large') {
      const inDir = path.join(t.dir, 'batch-in');
      mkdirSync(inDir);
      const files = await makeSmallPdfs(inDir, n);
      const a: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const out = path.join(t.dir, 'batch-signet');
        a.push(signet(files, out).ms);
        if (readdirSync(out).length !== n) throw new Error(`signet wrote ${readdirSync(out).length} files, expected ${n}`);
        if (r === 0) assertValid(path.join(out, readdirSync(out).sort()[0]!), verifyDir);
        const pout = path.join(t.dir, 'batch-pdfsig');
        rmSync(pout, { recursive: true, force: true });
        mkdirSync(pout);
        const t0 = process.hrtime.bigint();
        for (const f of files) pdfsig(f, path.join(pout, path.basename(f)));
        b.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r === 0) assertValid(path.join(pout, path.basename(files[0]!)), verifyDir);
        loads.push(loadavg()[0]!);
      }
      const ma = median(a);
      const mbb = median(b);
      console.log(`PAdES batch of ${n} one-page PDFs (${(statSync(files[0]!).size / 1024).toFixed(1)} KiB each), one PIN, median of ${rounds}:`);
      console.log(`  signet sign (one process)     : ${ma.toFixed(0).padStart(7)} ms  (${(ma / n).toFixed(1)} ms/file)  [${a.map((x) => x.toFixed(0)).join(', ')}]`);
      console.log(`  pdfsig -add-signature × ${String(n).padEnd(5)} : ${mbb.toFixed(0).padStart(7)} ms  (${(mbb / n).toFixed(1)} ms/file)  [${b.map((x) => x.toFixed(0)).join(', ')}]`);
      console.log(`  ratio signet / pdfsig         : ${(ma / mbb).toFixed(3)}×  (goal < 1)`);
    }

    if (only !== 'batch') {
      const big = path.join(t.dir, 'big.pdf');
      await makeLargePdf(big, sizeMb);
      const size = statSync(big).size;
      readFileSync(big); // into the page cache
      const a: Run[] = [];
      const b: Run[] = [];
      for (let r = 0; r < rounds; r++) {
        const out = path.join(t.dir, 'large-signet');
        a.push(signet([big], out));
        if (r === 0) assertValid(path.join(out, readdirSync(out)[0]!), verifyDir);
        const pout = path.join(t.dir, 'large-pdfsig.pdf');
        rmSync(pout, { force: true });
        b.push(pdfsig(big, pout));
        if (r === 0) assertValid(pout, verifyDir);
        rmSync(pout, { force: true });
        loads.push(loadavg()[0]!);
      }
      const wa = median(a.map((x) => x.ms));
      const wb = median(b.map((x) => x.ms));
      const ra = Math.max(...a.map((x) => x.maxRssKiB));
      const rb = Math.max(...b.map((x) => x.maxRssKiB));
      console.log(`PAdES of one ${(size / 1e6).toFixed(0)} MB PDF, whole process, median of ${rounds} (page cache warm):`);
      console.log(`  signet sign            : ${wa.toFixed(0).padStart(6)} ms  peak RSS ${mb(ra)} MB  [${a.map((x) => x.ms.toFixed(0)).join(', ')}]`);
      console.log(`  pdfsig -add-signature  : ${wb.toFixed(0).padStart(6)} ms  peak RSS ${mb(rb)} MB  [${b.map((x) => x.ms.toFixed(0)).join(', ')}]`);
      console.log(`  ratio (wall)           : ${(wa / wb).toFixed(3)}×  (goal ≤ 1)`);
      if (prof) {
        const dir = path.resolve(prof);
        mkdirSync(dir, { recursive: true });
        const r = signet([big], path.join(t.dir, 'large-prof'), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
        console.log(`  profiled run: ${r.ms.toFixed(0)} ms; profile in ${dir}`);
      }
    }
    console.log(`  load average (1 min) during the run: ${loads.map((x) => x.toFixed(2)).join(' → ')} (2 cores, shared)`);
    writeFileSync(path.join(t.dir, 'done'), '');
  } finally {
    if (process.argv.includes('--keep')) console.log(`kept ${t.dir}`);
    else t.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
