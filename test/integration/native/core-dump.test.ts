/**
 * Issue 8, "a SIGSEGV core of the token host after a login does not contain the PIN".
 *
 * The host is started by the real TokenClient + NodeHostLauncher (what the CLI uses; the app's
 * utilityProcess runs the same dist/host.js, test/app covers it) in a driver process of ours
 * (core-dump-driver.ts) whose RLIMIT_CORE is raised, logs in to a SoftHSM2 token with a PIN that
 * appears nowhere else, and is then killed with SIGSEGV. What each part shows:
 *  - control: a plain Node process doing what the host did before issue 8 (pkcs11js C_Login with
 *    the PIN as a JS string), with RLIMIT_CORE raised, crashes the same way: the kernel writes a
 *    core in its working directory and the PIN is in it. So this machine writes cores, and the
 *    search finds a PIN in one — the checks below can fail.
 *  - the host's RLIMIT_CORE is 0/0 in /proc/<pid>/limits while ours (its parent's) is not: the host
 *    set it itself; its coredump_filter is 0 (no anonymous memory in a core).
 *  - non-dumpable: a process of the same user without CAP_SYS_PTRACE may not read the host's
 *    /proc/<pid>/environ, and may read the control's. That is the kernel's dumpable check
 *    (ptrace(2), "Ptrace access mode checking"); the same flag makes do_coredump write nothing,
 *    for a file core_pattern and for a pipe alike (core(5)). When we are root, the driver, the
 *    control and the probe all run without capabilities (setpriv), so root's CAP_SYS_PTRACE does
 *    not hide the difference.
 *  - as root we can also read the host's memory (CAP_SYS_PTRACE) and find the PIN there right
 *    after the login (pkcs11js's string copy, docs/token-host.md "PINs"): the crash really
 *    happens while the PIN is in memory, and still no core holds it.
 * Not shown here: a core_pattern that pipes to systemd-coredump/apport (the kernel does not call
 * the pipe for a non-dumpable process, core(5)); when the machine's core_pattern is such a pipe,
 * the crash parts are skipped (reported as skipped, not passed) and the limit checks still run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { coreDirectory, coredumpFilterOf, coreLimitOf, fileContains, isRoot, listDir, memoryContains, newCoreFiles, ordinaryProcessPrefix, peerMayReadEnviron } from '../../rig/core-dumps';

const ROOT = path.resolve(__dirname, '../../..');
// A PIN that is nowhere else on this machine: finding it in a core means it came from that process.
const PIN = `Cd${randomBytes(10).toString('hex')}`;
const LABEL = 'Signet Core Test';

let rig: Rig;
let work: string;
let driverJs: string;

interface Line {
  event: string;
  pid?: number;
  signal?: string | null;
  loggedIn?: boolean;
  message?: string;
}

/** A process we start and read JSON lines (driver) or one marker line (control) from. */
class Proc {
  readonly lines: Line[] = [];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private text = '';
  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      this.text += d;
      let nl: number;
      while ((nl = this.text.indexOf('\n')) >= 0) {
        const line = this.text.slice(0, nl);
        this.text = this.text.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as Line);
        } catch {
          this.lines.push({ event: line });
        }
      }
    });
    this.exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  }
  async waitFor(event: string, ms = 30_000): Promise<Line> {
    const end = Date.now() + ms;
    for (;;) {
      const found = this.lines.find((l) => l.event === event);
      if (found) return found;
      const err = this.lines.find((l) => l.event === 'error');
      if (err) throw new Error(`driver: ${err.message}`);
      if (Date.now() > end || this.child.exitCode !== null) throw new Error(`no "${event}" (got ${JSON.stringify(this.lines)})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Node with `args` as an ordinary process with cores allowed (see ordinaryProcessPrefix), in `cwd`, PIN on stdin. */
function startWithCores(cwd: string, args: string[], env: Record<string, string>): Proc {
  const argv = [...ordinaryProcessPrefix(), process.execPath, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, ...rig.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(`${PIN}\n`);
  return new Proc(child);
}

/** The host: TokenClient + NodeHostLauncher in the driver, logged in with PIN. */
async function startHost(cwd: string): Promise<{ driver: Proc; pid: number }> {
  const driver = startWithCores(cwd, [driverJs], {
    CORE_TEST_HOST_SCRIPT: path.join(ROOT, 'dist/host.js'),
    CORE_TEST_MODULE: rig.module,
    CORE_TEST_TOKEN_URI: rig.token(LABEL).uri,
  });
  const started = await driver.waitFor('host-started');
  const login = await driver.waitFor('logged-in');
  expect(login.loggedIn).toBe(true);
  return { driver, pid: started.pid! };
}

/**
 * The control: what the host did before issue 8 — pkcs11js C_Login with the PIN as a string (read
 * from stdin) — in a process that does not harden itself.
 */
function startControl(cwd: string): Proc {
  const script = path.join(cwd, 'control.cjs');
  writeFileSync(
    script,
    `const pkcs11js = require(${JSON.stringify(path.join(ROOT, 'node_modules/pkcs11js'))});
const lib = new pkcs11js.PKCS11();
lib.load(${JSON.stringify(rig.module)});
lib.C_Initialize();
let pin = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { pin += d; });
process.stdin.on('end', () => {
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === ${JSON.stringify(LABEL)});
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  lib.C_Login(session, pkcs11js.CKU_USER, pin.trim());
  process.stdout.write('{"event":"logged-in","loggedIn":true}\\n');
  setInterval(() => {}, 1000);
});
`,
  );
  return startWithCores(cwd, [script], {});
}


beforeAll(async () => {
  rig = await provisionRig({ tokens: [{ label: LABEL, pin: PIN, keys: [{ name: 'core-p256', keyType: 'EC' }] }] });
  work = mkdtempSync(path.join(tmpdir(), 'signet-core-'));
  driverJs = path.join(work, 'driver.js');
  await build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(__dirname, 'core-dump-driver.ts')],
    outfile: driverJs,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['pkcs11js', 'signet-process-hardening'],
    logLevel: 'warning',
  });
}, 120_000);
afterAll(async () => {
  await rig?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('token host after a login: no core dump can hold the PIN (Linux)', () => {
  const running: Proc[] = [];
  afterAll(() => running.forEach((p) => p.kill()));

  it('sets RLIMIT_CORE 0/0 and coredump_filter 0 itself (its parent, the driver, has them raised) and is not dumpable (the control is)', async () => {
    const { driver, pid } = await startHost(mkdtempSync(path.join(work, 'host-')));
    const control = startControl(mkdtempSync(path.join(work, 'control-')));
    running.push(driver, control);
    await control.waitFor('logged-in');
    const driverLimit = coreLimitOf(driver.child.pid!);
    // If the driver's limits were 0/0 the host would inherit them and this would prove nothing.
    expect(driverLimit.hard).toBeGreaterThan(0);
    expect(coredumpFilterOf(driver.child.pid!)).not.toBe(0);
    expect(coreLimitOf(control.child.pid!)).toEqual(driverLimit);

    expect(coreLimitOf(pid)).toEqual({ soft: 0, hard: 0 });
    expect(coredumpFilterOf(pid)).toBe(0);
    expect(peerMayReadEnviron(control.child.pid!)).toBe(true);
    expect(peerMayReadEnviron(pid)).toBe(false);
  });

  const where = process.platform === 'linux' ? coreDirectory(tmpdir()) : { unobservable: 'not Linux' };
  const crashSkip = 'unobservable' in where ? where.unobservable : '';

  it.skipIf(crashSkip !== '')(`SIGSEGV: the unhardened control leaves a core holding the PIN, the host leaves no core${crashSkip ? ` (${crashSkip})` : ''}`, async () => {
    // 1. Control: this machine writes cores, and a pkcs11js login leaves the PIN in one.
    const controlCwd = mkdtempSync(path.join(work, 'control-'));
    const controlWhere = coreDirectory(controlCwd) as { dir: string; prefix: string };
    const controlBefore = listDir(controlWhere.dir);
    const control = startControl(controlCwd);
    running.push(control);
    await control.waitFor('logged-in');
    control.child.kill('SIGSEGV');
    expect((await control.exited).signal).toBe('SIGSEGV');
    const controlCores = newCoreFiles(controlWhere, controlBefore);
    expect(controlCores, 'the control wrote no core: this machine cannot show the difference').toHaveLength(1);
    expect(fileContains(controlCores[0]!, Buffer.from(PIN))).toBe(true);
    rmSync(controlCores[0]!, { force: true });

    // 2. The host, logged in with the same PIN, its parent allowing cores.
    const hostCwd = mkdtempSync(path.join(work, 'host-'));
    const hostWhere = coreDirectory(hostCwd) as { dir: string; prefix: string };
    const before = listDir(hostWhere.dir);
    const { driver, pid } = await startHost(hostCwd);
    running.push(driver);
    // Root can read the host's memory (CAP_SYS_PTRACE): the PIN is there now, so a core would hold it.
    if (isRoot()) expect(memoryContains(pid, Buffer.from(PIN))).toBe(true);
    process.kill(pid, 'SIGSEGV');
    const exit = await driver.waitFor('host-exit');
    expect(exit).toMatchObject({ pid, signal: 'SIGSEGV' });
    // The kernel writes a core before the process is reaped: by 'exit' it would be there.
    expect(newCoreFiles(hostWhere, before)).toEqual([]);
  });
});
