/**
 * Issue 8: the `signet` process reads the PIN (terminal or --pin-stdin), so it keeps itself out of
 * core dumps before it reads anything (electron/cli/main.ts → native/hardening.ts), and so does the
 * token host it forks. Checked from outside while `sign-hash --pin-stdin` waits for its PIN, in a
 * process started with core dumps allowed and, when we are root, without capabilities (see
 * test/rig/core-dumps.ts): RLIMIT_CORE 0/0 and coredump_filter 0 in /proc, and the kernel refusing
 * another process of the same user its /proc/<pid>/environ (non-dumpable). Then the PIN arrives and
 * the signature verifies: hardening costs nothing in function. Linux only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { childPids, coredumpFilterOf, coreLimitOf, ordinaryProcessPrefix, peerMayReadEnviron } from '../../rig/core-dumps';
import { digestOf, opensslVerify, waitFor } from '../native/helpers';
import { CLI, signetEnv } from './run-cli';

const mapsOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return '';
  }
};

let rig: Rig;
beforeAll(async () => {
  rig = await provisionRig({ tokens: [{ label: 'Signet Harden CLI', pin: '246810', keys: [{ name: 'cli-p256', keyType: 'EC' }] }] });
});
afterAll(async () => {
  await rig?.cleanup();
});

describe.runIf(process.platform === 'linux')('signet CLI: no core dump of the CLI or its token host (Linux)', () => {
  it('sign-hash --pin-stdin, waiting for its PIN: both processes have RLIMIT_CORE 0/0, coredump_filter 0 and are not dumpable; a plain process is', async () => {
    const key = rig.key('cli-p256');
    const data = Buffer.from('hardened cli');
    const argv = [...ordinaryProcessPrefix(), process.execPath, CLI, 'sign-hash', '--json', '--module', rig.module, '--key', key.keyUri, '--hash', digestOf(data, 'sha256').toString('hex'), '--hash-alg', 'sha256', '--scheme', 'ecdsa', '--pin-stdin'];
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...signetEnv(path.join(rig.dir, 'cli')), ...rig.env };
    const cli = spawn(argv[0]!, argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    cli.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((r) => cli.on('close', (code) => r(code)));
    try {
      const pid = cli.pid!;
      await waitFor(() => childPids(pid).length > 0, 10_000, 'the CLI to fork its token host');
      const host = childPids(pid)[0]!;
      // The host inherits the CLI's limits at fork; what it does itself comes before it answers
      // its first request (module.init loads the module): wait until the module is mapped.
      await waitFor(() => mapsOf(host).includes(path.basename(rig.module)), 15_000, 'the host to load the module');

      const plain = spawn(argv[0]!, [...argv.slice(1, argv.indexOf(process.execPath) + 1), '-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
      try {
        await waitFor(() => plain.pid !== undefined && coreLimitOf(plain.pid).hard !== 0 && peerMayReadEnviron(plain.pid), 5000, 'the plain process');
        // Started the same way, nothing done by itself: cores allowed, readable by a peer.
        expect(coreLimitOf(plain.pid!).hard).toBeGreaterThan(0);
        expect(coredumpFilterOf(plain.pid!)).not.toBe(0);
      } finally {
        plain.kill('SIGKILL');
      }
      for (const p of [pid, host]) {
        expect(coreLimitOf(p), `pid ${p}`).toEqual({ soft: 0, hard: 0 });
        expect(coredumpFilterOf(p), `pid ${p}`).toBe(0);
        expect(peerMayReadEnviron(p), `pid ${p}`).toBe(false);
      }
    } finally {
      cli.stdin.end('246810\n');
    }
    expect(await closed).toBe(0);
    expect(stderr).toBe('');
    const out = JSON.parse(stdout) as { signature: string };
    expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data, signature: Buffer.from(out.signature, 'base64'), hash: 'sha256' })).toBe(true);
  });
});
