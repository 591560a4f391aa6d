/**
 * `signet demo init`: a SoftHSM2 token in the user's data dir, provisioned entirely through the
 * token host and PKCS#11 (C_InitToken on a free slot, C_InitPIN, C_GenerateKeyPair on the token,
 * C_CreateObject for the certificates), with a demo CA made in software (demo/certificates.ts).
 * The module and its environment are recorded in the user config so every later command finds
 * the demo token; the CA certificate is saved for `signet verify --trust` and pdfsig.
 *
 * Re-running refreshes everything: a new token directory is provisioned next to the old one and
 * swapped in only when complete (the SoftHSM2 configuration file is replaced atomically), so a
 * failed refresh leaves the previous demo token working.
 *
 * The user PIN is random and printed once (it is a demo PIN: the only PIN Signet ever prints);
 * the SO PIN is random and forgotten.
 */
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { TokenClient, type HostLauncher } from '../../../native/client';
import type { Logger } from '../../../native/log';
import { updateUserConfig, type SignetConfig } from '../config';
import { AUTH_PROFILE, DEMO_OID, issueLeaf, makeDemoCa, makeName, P256_PARAMS, pem, SIGNING_PROFILE, spkiOf } from './certificates';
import { AsnConvert, AsnIntegerArrayBufferConverter } from '@peculiar/asn1-schema';

export const DEMO_TOKEN_LABEL = 'Signet Demo';

export interface DemoResult {
  module: string;
  softhsmConf: string;
  /** Token URI. */
  token: string;
  pin: string;
  caCertPath: string;
  certificates: { signing: string; authentication: string };
}

/** Where SoftHSM2 is usually installed. */
export function softhsmCandidates(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') return ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll', 'C:\\Program Files\\SoftHSM2\\lib\\softhsm2-x64.dll'];
  if (platform === 'darwin') return ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];
  return ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib64/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];
}

const digits = (n: number): string => Array.from({ length: n }, () => String(randomInt(10))).join('');
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface ProvisionDemoOptions {
  config: SignetConfig;
  /** SoftHSM2 library (default: the first installed of softhsmCandidates()). */
  module?: string;
  launcher?: HostLauncher;
  logger?: Logger;
}

export async function provisionDemo(o: ProvisionDemoOptions): Promise<DemoResult> {
  const found = o.module ?? softhsmCandidates().find((p) => existsSync(p));
  if (!found || !existsSync(found)) {
    throw new SignetError('MODULE_LOAD_FAILED', 'SoftHSM2 is not installed (Debian/Ubuntu: apt install softhsm2; macOS: brew install softhsm), or pass --module PATH to libsofthsm2.', {
      retriable: false,
    });
  }
  const module = realpathSync(found);
  const demoDir = path.join(o.config.paths.dataDir, 'demo');
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  const stamp = `${Date.now().toString(36)}-${digits(4)}`;
  const tokenDir = path.join(demoDir, `tokens-${stamp}`);
  const conf = path.join(demoDir, 'softhsm2.conf');
  const confNew = path.join(demoDir, `softhsm2.conf.${stamp}`);
  mkdirSync(tokenDir, { mode: 0o700 });
  writeFileSync(confNew, `# Signet demo token (signet demo init)\ndirectories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`, { mode: 0o600 });

  const client = new TokenClient({
    modules: [{ path: module, source: 'demo', env: { SOFTHSM2_CONF: confNew } }],
    ...(o.launcher ? { launcher: o.launcher } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  });
  const pin = digits(6);
  let ok = false;
  try {
    const soPin = digits(10);
    const token = await client.admin.initToken(module, { soPin: bytes(soPin), label: DEMO_TOKEN_LABEL });
    await client.admin.initPin(token.uri, bytes(soPin), bytes(pin));
    await client.login(token.uri, bytes(pin));

    const ca = await makeDemoCa();
    const person = (cn: string) =>
      makeName([
        [DEMO_OID.c, 'EE'],
        [DEMO_OID.o, 'Signet Demo (not for real use)'],
        [DEMO_OID.cn, cn],
      ]);
    const made: Record<'signing' | 'authentication', string> = { signing: '', authentication: '' };
    for (const [kind, spec] of [
      ['signing', { keyType: 'RSA' as const, bits: 2048, idHex: '01', label: 'Demo signing key', cn: 'Signet Demo User (signing)', profile: SIGNING_PROFILE }],
      ['authentication', { keyType: 'EC' as const, idHex: '02', label: 'Demo authentication key', cn: 'Signet Demo User (authentication)', profile: AUTH_PROFILE }],
    ] as const) {
      const pair = await client.admin.generateKeyPair(token.uri, {
        keyType: spec.keyType,
        idHex: spec.idHex,
        label: spec.label,
        ...(spec.keyType === 'RSA' ? { bits: spec.bits } : { ecParams: P256_PARAMS() }),
      });
      const leaf = await issueLeaf(ca, person(spec.cn), spkiOf(pair), spec.profile);
      const tbs = leaf.certificate.tbsCertificate;
      const created = await client.admin.createCertificate(token.uri, {
        der: leaf.der,
        subject: new Uint8Array(AsnConvert.serialize(tbs.subject)),
        issuer: new Uint8Array(AsnConvert.serialize(tbs.issuer)),
        // CKA_SERIAL_NUMBER is the DER encoding of the serial number INTEGER (PKCS#11 v2.40 §4.6.3).
        serialNumber: derInteger(tbs.serialNumber),
        idHex: spec.idHex,
        label: spec.label.replace(' key', ' certificate'),
      });
      made[kind] = created.uri;
    }
    await client.logout(token.uri);
    await client.close();

    // Swap the new token in: configuration file first (atomic rename), then old token dirs.
    const caCertPath = path.join(demoDir, 'demo-ca.pem');
    writeFileSync(`${caCertPath}.${stamp}`, pem(ca.der));
    renameSync(`${caCertPath}.${stamp}`, caCertPath);
    renameSync(confNew, conf);
    for (const name of readdirSync(demoDir)) {
      if (name.startsWith('tokens-') && name !== `tokens-${stamp}`) rmSync(path.join(demoDir, name), { recursive: true, force: true });
    }
    updateUserConfig(o.config.paths.userConfigFile, (c) => ({
      ...c,
      demo: {
        module,
        env: { SOFTHSM2_CONF: conf },
        softhsmConf: conf,
        tokenLabel: token.label,
        tokenSerial: token.serial,
        tokenUri: token.uri,
        caCertPath,
        createdAt: new Date().toISOString(),
      },
    }));
    o.logger?.log('info', 'demo token provisioned', { token: token.uri, module });
    ok = true;
    return { module, softhsmConf: conf, token: token.uri, pin, caCertPath, certificates: made };
  } finally {
    await client.close();
    if (!ok) {
      rmSync(tokenDir, { recursive: true, force: true });
      rmSync(confNew, { force: true });
    }
  }
}

/** The serial as a DER INTEGER, encoded by the schema library's converter. */
function derInteger(value: ArrayBuffer): Uint8Array {
  return new Uint8Array(AsnIntegerArrayBufferConverter.toASN(value).toBER());
}
