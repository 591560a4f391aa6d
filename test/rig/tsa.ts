// An RFC 3161 time-stamping authority on 127.0.0.1 for signature-timestamp tests: HTTP POST of
// an application/timestamp-query (RFC 3161 §3.4), answered by `openssl ts -reply`, which
// honours the request's nonce and certReq and signs with a TSA certificate (EKU timeStamping,
// critical, §2.3) issued by the test root CA.
import fs from 'node:fs';
import path from 'node:path';
import { caStoreIn, generateKeyPem } from './ca';
import { daysFromNow } from './dates';
import { startServiceProcess } from './service-process';
import { makeTempDir, removeDir, writePrivate } from './tmp';
import type { TsaOptions } from './tsa-handler';

export type { TsaOptions };

export interface TsaService {
  url: string;
  /** The root CA the TSA certificate chains to. */
  caCertPath: string;
  tsaCertPath: string;
  stop(): Promise<void>;
}

interface TsaMaterial {
  keyPem: string;
  certPem: string;
  rootCertPem: string;
}

let material: Promise<TsaMaterial> | undefined;

/** The TSA key and certificate, made once per test process and kept in memory. */
function tsaMaterial(): Promise<TsaMaterial> {
  material ??= (async () => {
    const dir = makeTempDir('tsa-bootstrap');
    try {
      const { store, root } = await caStoreIn(dir);
      const keyPath = path.join(dir, 'tsa.key');
      const certPath = path.join(dir, 'tsa.pem');
      writePrivate(keyPath, await generateKeyPem('RSA', 2048));
      await store.issue({
        ca: 'root', profile: 'tsa', keyPath, subject: '/C=EE/O=Signet Test/CN=Signet Test TSA',
        validity: { notBefore: daysFromNow(-365), notAfter: daysFromNow(5 * 365) }, outPath: certPath,
      });
      return { keyPem: fs.readFileSync(keyPath, 'utf8'), certPem: fs.readFileSync(certPath, 'utf8'), rootCertPem: root.certPem };
    } finally {
      removeDir(dir);
    }
  })();
  material.catch(() => (material = undefined));
  return material;
}

function tsaConfig(dir: string, m: { keyPath: string; certPath: string }, policy: string): string {
  return `[ tsa ]
default_tsa = rig_tsa

[ rig_tsa ]
serial = ${dir}/tsaserial
crypto_device = builtin
signer_cert = ${m.certPath}
signer_key = ${m.keyPath}
signer_digest = sha256
default_policy = ${policy}
other_policies = 1.3.6.1.4.1.57264.1.2
digests = sha1, sha256, sha384, sha512
accuracy = secs:1, millisecs:0, microsecs:0
clock_precision_digits = 0
ordering = yes
tsa_name = yes
# ESSCertIDv2 with SHA-256 in the signing-certificate attribute (RFC 5816).
ess_cert_id_alg = sha256
ess_cert_id_chain = no
`;
}

/** Start a TSA in its own temp dir and service process; stop() ends it and removes the dir. */
export async function startTimestampAuthority(opts: TsaOptions = {}): Promise<TsaService> {
  const m = await tsaMaterial();
  const dir = makeTempDir('tsa');
  try {
    // Files in the instance dir: the paths handed out stay valid for the service's lifetime.
    const keyPath = path.join(dir, 'tsa.key');
    const certPath = path.join(dir, 'tsa.pem');
    const caCertPath = path.join(dir, 'ca.pem');
    writePrivate(keyPath, m.keyPem);
    fs.writeFileSync(certPath, m.certPem);
    fs.writeFileSync(caCertPath, m.rootCertPem);
    fs.writeFileSync(path.join(dir, 'tsaserial'), '01\n');
    fs.writeFileSync(path.join(dir, 'tsa.cnf'), tsaConfig(dir, { keyPath, certPath }, opts.policy ?? '1.3.6.1.4.1.57264.1.1'));
    const service = await startServiceProcess({ kind: 'tsa', dir, options: opts }, dir);
    return {
      url: `${service.url}/tsa`,
      caCertPath,
      tsaCertPath: certPath,
      async stop() {
        await service.stop();
        removeDir(dir);
      },
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
