/**
 * Shared set-up for bench/sign-overhead.ts and bench/tokens.ts: a SoftHSM2 token in a temp dir,
 * provisioned through Signet's own token host (C_InitToken, C_InitPIN, C_GenerateKeyPair,
 * C_CreateObject — as `signet demo init` does), and fresh bundles of the token host and the CLI
 * in that temp dir, so a benchmark never depends on (or changes) dist/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AsnConvert, AsnIntegerArrayBufferConverter } from '@peculiar/asn1-schema';
import { NodeHostLauncher, TokenClient } from '../native/client';
import type { KeyType } from '../native/types';
import { AUTH_PROFILE, DEMO_OID, issueLeaf, makeDemoCa, makeName, P256_PARAMS, SIGNING_PROFILE, spkiOf } from '../electron/core/demo/certificates';
import { softhsmCandidates } from '../electron/core/demo/provision';

export const PIN = '246810';
// Benchmarks run as bundles from a temp dir (bench/run-ts.mjs), started from the repo root.
const ROOT = process.cwd();

export interface BenchToken {
  dir: string;
  module: string;
  env: Record<string, string>;
  tokenUri: string;
  keys: { uri: string; idHex: string; keyType: KeyType; certificate: Uint8Array }[];
  hostScript: string;
  cliScript: string;
  cleanup(): void;
}

/** Bundle the host and the CLI (bootstrap + code-split app) into `dir`, with scripts/build.mjs's own settings. */
export async function bundle(dir: string): Promise<{ hostScript: string; cliScript: string }> {
  const { buildCli } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'build.mjs')).href)) as { buildCli: (outRoot: string) => Promise<void> };
  await buildCli(dir);
  // Node resolves `require('pkcs11js')` from the bundle's directory upwards.
  const nodeModules = path.join(ROOT, 'node_modules');
  if (!existsSync(path.join(dir, 'node_modules'))) {
    // Node resolves `require('pkcs11js')` from the bundle's directory upwards.
    const { symlinkSync } = await import('node:fs');
    symlinkSync(nodeModules, path.join(dir, 'node_modules'));
  }
  return { hostScript: path.join(dir, 'host.js'), cliScript: path.join(dir, 'cli.js') };
}

/** A token with `count` key pairs + certificates of `keyType`. */
export async function makeBenchToken(opts: { keyType: KeyType; count: number; label?: string }): Promise<BenchToken> {
  const module = softhsmCandidates().find((p) => existsSync(p));
  if (!module) throw new Error('SoftHSM2 is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-bench-'));
  const tokens = path.join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: conf };
  const { hostScript, cliScript } = await bundle(dir);
  const client = new TokenClient({ modules: [{ path: module, source: 'argument', env }], launcher: new NodeHostLauncher({ hostScript }) });
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  try {
    const token = await client.admin.initToken(module, { soPin: enc('12345678'), label: opts.label ?? 'Signet Bench' });
    await client.admin.initPin(token.uri, enc('12345678'), enc(PIN));
    await client.login(token.uri, enc(PIN));
    const ca = await makeDemoCa();
    const keys: BenchToken['keys'] = [];
    for (let i = 1; i <= opts.count; i++) {
      const idHex = i.toString(16).padStart(2, '0');
      const pair = await client.admin.generateKeyPair(token.uri, {
        keyType: opts.keyType,
        idHex,
        label: `bench key ${i}`,
        ...(opts.keyType === 'RSA' ? { bits: 2048 } : { ecParams: P256_PARAMS() }),
      });
      const leaf = await issueLeaf(ca, makeName([[DEMO_OID.cn, `Bench ${i}`]]), spkiOf(pair), i % 2 ? SIGNING_PROFILE : AUTH_PROFILE);
      const tbs = leaf.certificate.tbsCertificate;
      await client.admin.createCertificate(token.uri, {
        der: leaf.der,
        subject: new Uint8Array(AsnConvert.serialize(tbs.subject)),
        issuer: new Uint8Array(AsnConvert.serialize(tbs.issuer)),
        serialNumber: new Uint8Array(AsnIntegerArrayBufferConverter.toASN(tbs.serialNumber).toBER()),
        idHex,
        label: `bench cert ${i}`,
      });
      keys.push({ uri: pair.privateKeyUri, idHex, keyType: opts.keyType, certificate: leaf.der });
    }
    await client.logout(token.uri);
    return { dir, module, env, tokenUri: token.uri, keys, hostScript, cliScript, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } finally {
    await client.close();
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
