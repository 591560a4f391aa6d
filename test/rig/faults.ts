// Fault-injecting PKCS#11 modules (C sources in faults/): tiny modules that wrap SoftHSM2 and
// crash, hang or lose their token on cue, to test what a vendor module does to the app in the
// field. Built with gcc at test time (only gcc + libc headers needed: faults/pkcs11-min.h is our
// own), once per process and source hash, then copied into a temp dir per instance.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run } from './exec';
import { softhsmModule } from './softhsm';
import { makeTempDir, removeDir } from './tmp';
import type { Rig } from './types';

export type FaultKind = 'crash-on-sign' | 'hang-on-sign' | 'removable';

export interface FaultModule {
  kind: FaultKind;
  /** Path of the module (.so) to load instead of libsofthsm2.so. */
  path: string;
  /**
   * Environment the process loading the module needs: the rig's SOFTHSM2_CONF when built with
   * `{ rig }`, else nothing. The removable module needs no variable of its own: it finds its
   * state file next to itself (`<path>.state`).
   */
  env: Record<string, string>;
  /** 'removable' only: pull the card. Takes effect at the module's next call. */
  remove(): void;
  /** 'removable' only: put the card (back) in; the module re-scans its tokens. */
  insert(): void;
  /** 'removable' only: whether the card is in. */
  readonly present: boolean;
  /** Removes the module's directory (also done by rig.cleanup() when built with `{ rig }`). */
  cleanup(): void;
}

export interface FaultOptions {
  /** Put the module in this rig's dir and hand out its env. */
  rig?: Rig;
  /** The module to wrap; default libsofthsm2.so. */
  wrap?: string;
}

const SOURCES = path.join(__dirname, 'faults');
const GCC_FLAGS = ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden'];
const compiled = new Map<string, Promise<Buffer>>();

function sourceHash(kind: FaultKind, wrapped: string): string {
  const h = crypto.createHash('sha256');
  for (const f of [`${kind}.c`, 'wrap.h', 'pkcs11-min.h']) h.update(fs.readFileSync(path.join(SOURCES, f)));
  h.update(JSON.stringify([wrapped, GCC_FLAGS]));
  return h.digest('hex');
}

async function compile(kind: FaultKind, wrapped: string): Promise<Buffer> {
  const dir = makeTempDir('fault-build');
  try {
    const out = path.join(dir, `${kind}.so`);
    await run('gcc', [
      ...GCC_FLAGS,
      `-DWRAPPED_MODULE=${JSON.stringify(wrapped)}`,
      `-I${SOURCES}`,
      '-o', out,
      path.join(SOURCES, `${kind}.c`),
      '-ldl', '-lpthread',
    ]);
    return fs.readFileSync(out);
  } finally {
    removeDir(dir);
  }
}

/** The compiled module, from the per-process cache keyed by source hash. */
function moduleBytes(kind: FaultKind, wrapped: string): Promise<Buffer> {
  const key = sourceHash(kind, wrapped);
  let p = compiled.get(key);
  if (p === undefined) {
    p = compile(kind, wrapped);
    compiled.set(key, p);
    p.catch(() => compiled.delete(key));
  }
  return p;
}

export async function buildFaultModule(kind: FaultKind, opts: FaultOptions = {}): Promise<FaultModule> {
  const wrapped = opts.wrap ?? softhsmModule();
  const bytes = await moduleBytes(kind, wrapped);
  const dir = opts.rig !== undefined ? fs.mkdtempSync(path.join(opts.rig.dir, `fault-${kind}-`)) : makeTempDir(`fault-${kind}`);
  // A distinct file per instance: dlopen() keys on the file, so two instances loaded in one
  // process are two independent modules (each with its own state file).
  const modulePath = path.join(dir, `libsignet-fault-${kind}.so`);
  fs.writeFileSync(modulePath, bytes, { mode: 0o755 });
  const statePath = `${modulePath}.state`;
  let counter = 0;
  let present = true;
  const setState = (p: boolean) => {
    if (kind !== 'removable') throw new Error(`rig: ${kind} module has no card to remove or insert`);
    present = p;
    counter += 1;
    // Atomic replace: the module reads the file at every call, never a half-written one.
    const tmp = `${statePath}.tmp`;
    fs.writeFileSync(tmp, `${counter} ${p ? 'present' : 'absent'}\n`);
    fs.renameSync(tmp, statePath);
  };
  if (kind === 'removable') fs.writeFileSync(statePath, `0 present\n`);
  return {
    kind,
    path: modulePath,
    env: { ...(opts.rig?.env ?? {}) },
    remove: () => setState(false),
    insert: () => setState(true),
    get present() {
      return present;
    },
    cleanup: () => removeDir(dir),
  };
}
