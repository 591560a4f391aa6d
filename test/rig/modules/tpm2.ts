// tpm2-pkcs11 on a software TPM: swtpm (TPM 2.0, state in a temp dir, TCP on loopback) and a
// tpm2-pkcs11 store (SQLite) in the same dir. The token is made through PKCS#11 (C_InitToken,
// C_GenerateKeyPair): tpm2-pkcs11 imports no private keys through C_CreateObject, and its own
// tpm2_ptool needs a TPM resource manager that swtpm does not have.
//
// swtpm serves one connection at a time and tpm2-pkcs11 holds its connection while the module is
// initialised: run one process that loads the module at a time (the CLI, p11tool, pkcs11-tool in
// turn).
import fs from 'node:fs';
import path from 'node:path';
import { caStoreIn } from '../ca';
import { run } from '../exec';
import { makeTempDir, removeDir } from '../tmp';
import { accepts, freePortPair, startDaemon, until } from './daemon';
import { personaliseViaPkcs11 } from './personalise';
import type { ModuleKeySpec, ModuleRig } from './types';

const CANDIDATES = ['/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so', '/usr/lib/aarch64-linux-gnu/pkcs11/libtpm2_pkcs11.so', '/usr/lib64/pkcs11/libtpm2_pkcs11.so', '/usr/lib/pkcs11/libtpm2_pkcs11.so'];

export function tpm2Module(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`rig: libtpm2_pkcs11.so not found (looked in ${CANDIDATES.join(', ')}); install libtpm2-pkcs11-1`);
  return found;
}

export interface Tpm2Options {
  keys: ModuleKeySpec[];
  /** TPM dictionary-attack protection: failed authorisations before lockout (TPM2_DictionaryAttackParameters). */
  maxTries?: number;
}

export async function startTpm2(opts: Tpm2Options): Promise<ModuleRig> {
  const module = tpm2Module();
  const dir = makeTempDir('tpm2');
  const stateDir = path.join(dir, 'tpm');
  const storeDir = path.join(dir, 'store');
  fs.mkdirSync(stateDir);
  fs.mkdirSync(storeDir);
  const port = await freePortPair();
  const swtpm = startDaemon('swtpm', [
    'socket', '--tpm2', '--tpmstate', `dir=${stateDir}`,
    '--server', `type=tcp,port=${port},bindaddr=127.0.0.1`,
    '--ctrl', `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
    '--flags', 'not-need-init,startup-clear',
  ]);
  try {
    await until(() => accepts(port + 1), 5000, 'swtpm to listen', swtpm.output);
    const tcti = `swtpm:host=127.0.0.1,port=${port}`;
    const env = {
      TPM2_PKCS11_TCTI: tcti,
      TPM2_PKCS11_STORE: storeDir,
      // Quiet: tpm2-pkcs11 warns about its fresh store, the TSS about retried commands.
      TPM2_PKCS11_LOG_LEVEL: '0',
      TSS2_LOG: 'all+NONE',
    };
    // A known dictionary-attack policy (lockout auth is empty on a fresh swtpm).
    await run('tpm2_dictionarylockout', ['--setup-parameters', `--max-tries=${opts.maxTries ?? 5}`, '--recovery-time=600', '--lockout-recovery-time=600'], {
      env: { TPM2TOOLS_TCTI: tcti, TSS2_LOG: 'all+NONE' },
    });
    const { store, root } = await caStoreIn(path.join(dir, 'ca'));
    const token = { label: 'Signet TPM', serial: '', pin: '123456', soPin: '12345678' };
    const made = await personaliseViaPkcs11({ module, env, wrap: [], label: token.label, pin: token.pin, soPin: token.soPin, keys: opts.keys, caStore: store, dir });
    token.serial = made.serial;
    return {
      kind: 'tpm2-pkcs11',
      name: 'tpm2-pkcs11 on swtpm',
      module,
      p11toolProvider: module,
      env,
      wrap: [],
      token,
      keys: made.keys,
      ca: root,
      dir,
      cleanup: async () => {
        await swtpm.stop();
        removeDir(dir);
      },
    };
  } catch (e) {
    await swtpm.stop();
    removeDir(dir);
    throw e;
  }
}
