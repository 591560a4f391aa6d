import { createHash, createPublicKey, verify, constants } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { KeySigner } from '../../../electron/core/key-signer';
import type { PinPrompt, PinRequest } from '../../../electron/core/pin-prompt';
import type { HashAlg } from '../../../native/types';

/** A PinPrompt that answers from a script and records what it was asked. */
class ScriptedPrompt implements PinPrompt {
  readonly requests: PinRequest[] = [];
  readonly given: Uint8Array[] = [];
  constructor(private readonly answers: (string | null)[]) {}
  async askPin(request: PinRequest): Promise<Uint8Array | null> {
    this.requests.push(request);
    const a = this.answers.shift();
    if (a === undefined || a === null) return null;
    const pin = new TextEncoder().encode(a);
    this.given.push(pin);
    return pin;
  }
  showPinPad(): () => void {
    throw new Error('no PIN pad here');
  }
}

const digestOf = (data: string, hash: HashAlg): Buffer => createHash(hash).update(data).digest();

let rig: Rig;
let client: TokenClient;
beforeAll(async () => {
  rig = await provisionRig();
});
afterAll(async () => {
  await client?.close();
  await rig?.cleanup();
});

function freshClient(): TokenClient {
  return new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
}

describe('KeySigner against SoftHSM2', () => {
  it('asks the PIN once for a batch, signs with every scheme, and openssl-independent verify passes', async () => {
    client = freshClient();
    const signer = new KeySigner(client);
    const prompt = new ScriptedPrompt(['123456']);
    const cases: { key: string; hash: HashAlg; scheme?: 'pkcs1' | 'pss' | 'ecdsa' }[] = [
      { key: 'sign-rsa2048', hash: 'sha256' },
      { key: 'sign-rsa2048', hash: 'sha384', scheme: 'pss' },
      { key: 'sign-rsa3072', hash: 'sha512', scheme: 'pkcs1' },
      { key: 'sign-p256', hash: 'sha256' },
      { key: 'sign-p384', hash: 'sha384' },
    ];
    for (const c of cases) {
      const key = rig.key(c.key);
      const data = `document for ${c.key} ${c.hash}`;
      const r = await signer.signDigest({ keyUri: key.keyUri, digest: digestOf(data, c.hash), hash: c.hash, pinPrompt: prompt, ...(c.scheme ? { scheme: c.scheme } : {}) });
      const pub = createPublicKey(key.publicKeyPem);
      const opts = r.scheme.kind === 'pss' ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digestOf('', c.hash).length } : pub;
      expect(verify(c.hash, Buffer.from(data), opts, r.signature), `${c.key} ${c.hash}`).toBe(true);
      expect(Buffer.from(r.certificate!).equals(key.certDer)).toBe(true);
    }
    expect(prompt.requests).toHaveLength(1);
    expect(prompt.requests[0]!.kind).toBe('login');
    expect(prompt.given[0]!.every((b) => b === 0)).toBe(true);
  });
});
