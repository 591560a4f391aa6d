// openCryptoki's soft token (swtok) with its slot daemon pkcsslotd, without touching the machine:
// openCryptoki 3.x has fixed paths (/etc/opencryptoki/opencryptoki.conf, /var/lib/opencryptoki,
// /var/lock/opencryptoki → /run/lock, /run/pkcsslotd.socket, shared memory in /dev/shm), so
// the daemon runs in a private mount namespace (`unshare -m`) where temp dirs are bind-mounted
// over those paths. Everything that loads the module (token host, CLI, p11tool, pkcs11-tool)
// runs inside it through `nsenter -t PID -m` (ModuleRig.wrap). When the rig stops, the
// namespace ends with its last process; nothing outside the temp dir was ever changed.
//
// Needs root (mount namespaces), as CI runs; openCryptoki's `pkcs11` group must exist (its
// package creates it).
import fs from 'node:fs';
import path from 'node:path';
import { caStoreIn } from '../ca';
import { run } from '../exec';
import { makeTempDir, removeDir } from '../tmp';
import { startDaemon, until } from './daemon';
import { personaliseViaPkcs11 } from './personalise';
import type { ModuleKeySpec, ModuleRig } from './types';

const CANDIDATES = ['/usr/lib/x86_64-linux-gnu/pkcs11/libopencryptoki.so', '/usr/lib/aarch64-linux-gnu/pkcs11/libopencryptoki.so', '/usr/lib64/opencryptoki/libopencryptoki.so', '/usr/lib/opencryptoki/libopencryptoki.so'];
const SW_SLOT = 3;
/** The SO PIN of a fresh openCryptoki token (its documentation: "87654321"). */
const DEFAULT_SO_PIN = '87654321';

export function opencryptokiModule(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`rig: libopencryptoki.so not found (looked in ${CANDIDATES.join(', ')}); install opencryptoki`);
  return found;
}

/** The mount set-up run inside the new namespace; then the slot daemon; then hold the namespace. */
function nsScript(dir: string): string {
  const q = (p: string): string => `'${p.replace(/'/g, `'\\''`)}'`;
  return [
    'set -e',
    `mount --bind ${q(path.join(dir, 'etc'))} /etc/opencryptoki`,
    `mount --bind ${q(path.join(dir, 'lib'))} /var/lib/opencryptoki`,
    `mount --bind ${q(path.join(dir, 'run'))} /run`,
    'mount -t tmpfs tmpfs /dev/shm',
    '/usr/sbin/pkcsslotd',
    'echo ready',
    'exec sleep 86400',
  ].join('\n');
}

export async function startOpencryptoki(opts: { keys: ModuleKeySpec[] }): Promise<ModuleRig> {
  const module = opencryptokiModule();
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('rig: the openCryptoki rig needs root (a private mount namespace for pkcsslotd); CI runs as root');
  }
  if (!fs.existsSync('/etc/opencryptoki') || !fs.existsSync('/var/lib/opencryptoki')) throw new Error('rig: openCryptoki is not installed (/etc/opencryptoki)');
  const dir = makeTempDir('opencryptoki');
  fs.chmodSync(dir, 0o755);
  for (const d of ['etc', 'lib/swtok/TOK_OBJ', 'run/lock/opencryptoki/swtok']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, 'etc/opencryptoki.conf'), `version opencryptoki-3.1\n\nslot ${SW_SLOT}\n{\nstdll = libpkcs11_sw.so\n}\n`);
  // openCryptoki's directories belong to group pkcs11, as its packages set them up.
  await run('chgrp', ['-R', 'pkcs11', path.join(dir, 'lib'), path.join(dir, 'run/lock')]);
  await run('chmod', ['-R', 'ug+rwX,o-rwx', path.join(dir, 'lib'), path.join(dir, 'run/lock')]);
  const holder = startDaemon('unshare', ['-m', '--propagation', 'private', 'sh', '-c', nsScript(dir)]);
  const stop = async (): Promise<void> => {
    try {
      const pid = Number(fs.readFileSync(path.join(dir, 'run/pkcsslotd.pid'), 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      // not started
    }
    await holder.stop();
    removeDir(dir);
  };
  try {
    await until(() => holder.output().includes('ready') || holder.child.exitCode !== null, 10_000, 'pkcsslotd', holder.output);
    if (!holder.output().includes('ready')) throw new Error(`rig: openCryptoki namespace failed: ${holder.output()}`);
    const wrap = ['nsenter', '-t', String(holder.child.pid), '-m', '--'];
    const { store, root } = await caStoreIn(path.join(dir, 'ca'));
    const token = { label: 'Signet OCK', serial: '', pin: '123456', soPin: DEFAULT_SO_PIN };
    const made = await personaliseViaPkcs11({ module, env: {}, wrap, label: token.label, pin: token.pin, soPin: token.soPin, initSoPin: DEFAULT_SO_PIN, keys: opts.keys, caStore: store, dir });
    token.serial = made.serial;
    return { kind: 'opencryptoki', name: 'openCryptoki soft token', module, p11toolProvider: module, env: {}, wrap, token, keys: made.keys, ca: root, dir, cleanup: stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
