/** Helpers for the token-client integration tests: independent signature checks with openssl. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { HashAlg } from '../../../native/types';

/** `openssl dgst -verify` (PKCS#1 v1.5 / ECDSA DER) or `-sigopt rsa_padding_mode:pss` (PSS, salt = hash length). */
export function opensslVerify(args: { publicKeyPem: string; data: Uint8Array; signature: Uint8Array; hash: HashAlg; pss?: boolean }): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-verify-'));
  try {
    const pub = path.join(dir, 'pub.pem');
    const data = path.join(dir, 'data');
    const sig = path.join(dir, 'sig');
    writeFileSync(pub, args.publicKeyPem);
    writeFileSync(data, args.data);
    writeFileSync(sig, args.signature);
    const extra = args.pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest', '-sigopt', `rsa_mgf1_md:${args.hash}`] : [];
    try {
      const out = execFileSync('openssl', ['dgst', `-${args.hash}`, ...extra, '-verify', pub, '-signature', sig, data], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      return out.includes('Verified OK');
    } catch {
      return false;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const digestOf = (data: Uint8Array | string, hash: HashAlg): Buffer => createHash(hash).update(data).digest();

/** Wait until `pred` holds (polling), or fail after `ms`. */
export async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
