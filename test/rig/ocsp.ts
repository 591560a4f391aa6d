// Starting the revocation services of a rig's CA store: an OCSP responder (RFC 6960) and a CRL
// server, each in its own service process on 127.0.0.1 with an ephemeral port.
import fs from 'node:fs';
import type { CaStore } from './ca';
import type { OcspOptions } from './ocsp-handlers';
import { startServiceProcess } from './service-process';
import type { RigService } from './types';

export type { OcspOptions };

export async function startOcspResponder(store: CaStore, workDir: string, opts: OcspOptions = {}): Promise<RigService> {
  fs.mkdirSync(workDir, { recursive: true });
  const p = await startServiceProcess({ kind: 'ocsp', caDir: store.dir, workDir, options: opts }, workDir);
  return { url: `${p.url}/ocsp`, caCertPath: store.certPath('root'), stop: p.stop };
}

/** Serves /root.crl and /intermediate.crl (DER), signed afresh on every request. */
export async function startCrlServer(store: CaStore, workDir: string): Promise<RigService> {
  fs.mkdirSync(workDir, { recursive: true });
  const p = await startServiceProcess({ kind: 'crl', caDir: store.dir }, workDir);
  return { url: p.url, caCertPath: store.certPath('root'), stop: p.stop };
}
