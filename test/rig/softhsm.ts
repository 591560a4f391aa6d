// SoftHSM2 in a temp dir: its config file, token personalisation (through softhsm-worker.mjs)
// and token deletion (softhsm2-util).
import fs from 'node:fs';
import path from 'node:path';
import { run } from './exec';
import type { KeyComponents } from './keys';

const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so', // Debian/Ubuntu (symlink to the multiarch path)
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so', // Fedora
  '/usr/local/lib/softhsm/libsofthsm2.so', // built from source
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

/** Path of libsofthsm2.so (SIGNET_RIG_SOFTHSM_MODULE overrides the search). */
export function softhsmModule(): string {
  const override = process.env.SIGNET_RIG_SOFTHSM_MODULE;
  if (override) return override;
  const found = MODULE_CANDIDATES.find((p) => fs.existsSync(p));
  if (found === undefined) throw new Error(`rig: libsofthsm2.so not found (looked in ${MODULE_CANDIDATES.join(', ')}); install softhsm2`);
  return found;
}

/** A softhsm2.conf whose token directory lives in `dir`. Returns the config path. */
export function writeSofthsmConf(dir: string): string {
  const tokenDir = path.join(dir, 'tokens');
  fs.mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(
    conf,
    [
      `directories.tokendir = ${tokenDir}`,
      'objectstore.backend = file',
      // ERROR only: SoftHSM2 logs to syslog, and test runs should not flood it.
      'log.level = ERROR',
      'slots.removable = false',
      'slots.mechanisms = ALL',
      'library.reset_on_fork = false',
      '',
    ].join('\n'),
  );
  return conf;
}

/** One key as the worker creates it: attribute values in hex. */
export interface WorkerKey extends KeyComponents {
  idHex: string;
  label: string;
  purpose: string;
  alwaysAuthenticate: boolean;
  /** DER of the certificate subject, for CKA_SUBJECT on the key objects (as PKCS#15 cards do). */
  subjectHex?: string;
  cert?: { derHex: string; subjectHex: string; issuerHex: string; serialHex: string };
}

export interface WorkerToken {
  label: string;
  pin: string;
  soPin: string;
  keys: WorkerKey[];
}

const WORKER = path.join(__dirname, 'softhsm-worker.mjs');

/**
 * Initialise tokens and create their objects; returns each token's serial number. `tokens` may
 * still be in the making: the worker process starts (Node + pkcs11js) meanwhile.
 */
export async function personalise(
  module: string,
  softhsmConf: string,
  tokens: Promise<WorkerToken[]>,
): Promise<{ label: string; serial: string }[]> {
  const { stdout } = await run(process.execPath, [WORKER], {
    env: { SOFTHSM2_CONF: softhsmConf },
    input: tokens.then((t) => JSON.stringify({ module, tokens: t })),
  });
  return JSON.parse(stdout.toString('utf8')) as { label: string; serial: string }[];
}

/** Delete a token's files, as if the card were destroyed (softhsm2-util --delete-token). */
export async function deleteToken(softhsmConf: string, serial: string): Promise<void> {
  await run('softhsm2-util', ['--delete-token', '--serial', serial], { env: { SOFTHSM2_CONF: softhsmConf } });
}
