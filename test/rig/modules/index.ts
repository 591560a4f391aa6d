// Module rigs for the cross-module suite (test/integration/modules/): the same token contents on
// SoftHSM2, on SoftHSM2 behind p11-kit-proxy, on tpm2-pkcs11 over swtpm, and on openCryptoki's
// soft token. Keys the module cannot make are left out by the caller (see KEYS_FOR).
import fs from 'node:fs';
import { provisionRig } from '../provision';
import { startOpencryptoki } from './opencryptoki';
import { startTpm2 } from './tpm2';
import type { ModuleKeySpec, ModuleKind, ModuleRig } from './types';

export type { ModuleKind, ModuleKeySpec, ModuleRig, ModuleRigKey } from './types';
export { startDaemon, until } from './daemon';

const PROXY_CANDIDATES = ['/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so', '/usr/lib/aarch64-linux-gnu/p11-kit-proxy.so', '/usr/lib64/p11-kit-proxy.so', '/usr/lib/p11-kit-proxy.so'];

export function p11kitProxyModule(): string {
  const found = PROXY_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`rig: p11-kit-proxy.so not found (looked in ${PROXY_CANDIDATES.join(', ')}); install p11-kit-modules`);
  return found;
}

async function startSofthsm(keys: ModuleKeySpec[], viaProxy: boolean): Promise<ModuleRig> {
  const rig = await provisionRig({ tokens: [{ label: 'Signet Modules', pin: '123456', soPin: '12345678', keys }] });
  const t = rig.tokens[0]!;
  return {
    kind: viaProxy ? 'p11-kit-proxy' : 'softhsm2',
    // p11-kit-proxy loads the modules of the p11-kit registry; Debian's softhsm2-common registers
    // SoftHSM2 there, and SOFTHSM2_CONF reaches it inside the proxy's process.
    name: viaProxy ? 'p11-kit-proxy fronting SoftHSM2' : 'SoftHSM2',
    module: viaProxy ? p11kitProxyModule() : rig.module,
    ...(viaProxy ? { fronts: fs.realpathSync(rig.module) } : {}),
    p11toolProvider: viaProxy ? null : rig.module,
    env: rig.env,
    wrap: [],
    token: { label: t.label, serial: t.serial, pin: t.pin, soPin: t.soPin },
    keys: t.keys.map((k) => ({
      name: k.name,
      keyType: k.keyType,
      ...(k.bits !== undefined ? { bits: k.bits } : {}),
      ...(k.curve !== undefined ? { curve: k.curve } : {}),
      purpose: k.purpose,
      idHex: k.idHex,
      label: k.label,
      certPem: k.certPem,
      certDer: k.certDer,
      certPath: k.certPath,
      publicKeyPem: k.publicKeyPem,
    })),
    ca: rig.ca,
    dir: rig.dir,
    cleanup: () => rig.cleanup(),
  };
}

export async function startModuleRig(kind: ModuleKind, keys: ModuleKeySpec[], opts: { tpmMaxTries?: number } = {}): Promise<ModuleRig> {
  switch (kind) {
    case 'softhsm2':
      return startSofthsm(keys, false);
    case 'p11-kit-proxy':
      return startSofthsm(keys, true);
    case 'tpm2-pkcs11':
      return startTpm2({ keys, ...(opts.tpmMaxTries !== undefined ? { maxTries: opts.tpmMaxTries } : {}) });
    case 'opencryptoki':
      return startOpencryptoki({ keys });
  }
}
