/**
 * bench/sign-overhead — N signatures of random SHA-256 digests through Signet (KeySigner →
 * TokenClient → token host process, one login) vs a raw pkcs11js C_SignInit + C_Sign loop in
 * this process, same SoftHSM2 key, same input (DigestInfo / digest), in the same run.
 * Issue 2 §9 target: ≤ 1.10× the raw per-signature time.
 *
 *   node bench/run-ts.mjs bench/sign-overhead.ts [--n 500] [--rounds 5] [--key RSA|EC]
 *
 * Blocks of 25 signatures alternate raw and Signet; the figure is the median per-signature time
 * over rounds.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as P11 from 'pkcs11js';
import { NodeHostLauncher, TokenClient } from '../native/client';
import { digestInfo } from '../native/mechanisms';
import { KeySigner } from '../electron/core/key-signer';
import type { PinPrompt } from '../electron/core/pin-prompt';
import type { KeyType } from '../native/types';
import { arg, makeBenchToken, median, PIN } from './tokens-setup';

// The bench bundle runs from a temp dir: load pkcs11js from the repo (run from its root).
const pkcs11js = createRequire(path.join(process.cwd(), 'package.json'))('pkcs11js') as typeof P11;

async function main(): Promise<void> {
  const n = Number(arg('n', '500'));
  const rounds = Number(arg('rounds', '5'));
  const keyType = arg('key', 'RSA') as KeyType;
  const t = await makeBenchToken({ keyType, count: 1 });
  try {
    const key = t.keys[0]!;
    // --- raw pkcs11js, in this process
    process.env.SOFTHSM2_CONF = t.env.SOFTHSM2_CONF;
    const p = new pkcs11js.PKCS11();
    p.load(t.module);
    p.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === 'Signet Bench')!;
    const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    p.C_Login(session, pkcs11js.CKU_USER, PIN);
    p.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(key.idHex, 'hex') },
    ]);
    const [handle] = p.C_FindObjects(session, 1);
    p.C_FindObjectsFinal(session);
    const mech = { mechanism: keyType === 'RSA' ? pkcs11js.CKM_RSA_PKCS : pkcs11js.CKM_ECDSA };
    const raw = (digest: Buffer): Buffer => {
      p.C_SignInit(session, mech, handle!);
      return p.C_Sign(session, keyType === 'RSA' ? Buffer.from(digestInfo('sha256', digest)) : digest, Buffer.alloc(1024));
    };

    // --- Signet: KeySigner over TokenClient (host process), one login
    const client = new TokenClient({ modules: [{ path: t.module, source: 'argument', env: t.env }], launcher: new NodeHostLauncher({ hostScript: t.hostScript }) });
    let asked = 0;
    const prompt: PinPrompt = {
      askPin: async () => {
        asked++;
        return new TextEncoder().encode(PIN);
      },
      showPinPad: () => () => undefined,
    };
    const signer = new KeySigner(client);
    const signet = (digest: Buffer) => signer.signDigest({ keyUri: key.uri, digest, hash: 'sha256', pinPrompt: prompt });

    const digests = Array.from({ length: n }, () => randomBytes(32));
    // Warm-up (login, JIT, caches) for both.
    for (let i = 0; i < 20; i++) {
      raw(digests[i]!);
      await signet(digests[i]!);
    }
    // Blocks of 25 signatures alternate between the two paths, so load from other processes on
    // the machine hits both alike; each round reports the per-signature mean of its blocks.
    const BLOCK = 25;
    const rawMs: number[] = [];
    const signetMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let rawNs = 0n;
      let signetNs = 0n;
      for (let b = 0; b < n; b += BLOCK) {
        const block = digests.slice(b, b + BLOCK);
        let t0 = process.hrtime.bigint();
        for (const d of block) raw(d);
        rawNs += process.hrtime.bigint() - t0;
        t0 = process.hrtime.bigint();
        for (const d of block) await signet(d);
        signetNs += process.hrtime.bigint() - t0;
      }
      rawMs.push(Number(rawNs) / 1e6 / n);
      signetMs.push(Number(signetNs) / 1e6 / n);
    }
    // The floor: one request/response through the host with no PKCS#11 work in it.
    const ipcUs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) await client.call(t.module, 'slots.watch', { intervalMs: 0 });
      ipcUs.push(Number(process.hrtime.bigint() - t0) / 1e3 / 200);
    }
    await client.close();
    p.C_CloseSession(session);
    p.C_Finalize();
    const r = median(rawMs);
    const s = median(signetMs);
    console.log(`sign-overhead (${keyType === 'RSA' ? 'RSA-2048 PKCS#1 v1.5' : 'P-256 ECDSA'}, SHA-256 digests, n=${n}, rounds=${rounds}, PIN asked ${asked}×)`);
    console.log(`  raw pkcs11js C_Sign loop : ${r.toFixed(3)} ms/signature  (${(1000 / r).toFixed(0)}/s)`);
    console.log(`  Signet KeySigner (host)  : ${s.toFixed(3)} ms/signature  (${(1000 / s).toFixed(0)}/s)`);
    console.log(`  ratio                    : ${(s / r).toFixed(3)}×  (target ≤ 1.10×)`);
    console.log(`  host round trip, no PKCS#11 work: ${median(ipcUs).toFixed(1)} µs`);
    console.log(`  per-round ms raw=[${rawMs.map((x) => x.toFixed(3)).join(', ')}] signet=[${signetMs.map((x) => x.toFixed(3)).join(', ')}]`);
  } finally {
    t.cleanup();
  }
}

void main();
