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
    // One batch = one user action (runAction): one PIN for every signature in it.
    await signer.runAction(rig.key('sign-rsa2048').keyUri, { purpose: 'sign-documents', documents: ['a.pdf'] }, async () => {
      for (const c of cases) {
        const key = rig.key(c.key);
        const data = `document for ${c.key} ${c.hash}`;
        const r = await signer.signDigest({ keyUri: key.keyUri, digest: digestOf(data, c.hash), hash: c.hash, pinPrompt: prompt, ...(c.scheme ? { scheme: c.scheme } : {}) });
        const pub = createPublicKey(key.publicKeyPem);
        const opts = r.scheme.kind === 'pss' ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digestOf('', c.hash).length } : pub;
        expect(verify(c.hash, Buffer.from(data), opts, r.signature), `${c.key} ${c.hash}`).toBe(true);
        expect(Buffer.from(r.certificate!).equals(key.certDer)).toBe(true);
      }
    });
    expect(prompt.requests).toHaveLength(1);
    expect(prompt.requests[0]!.kind).toBe('login');
    expect(prompt.requests[0]!.action).toEqual({ purpose: 'sign-documents', documents: ['a.pdf'] });
    expect(prompt.given[0]!.every((b) => b === 0)).toBe(true);
  });

  it('wrong PIN: the user is asked again with previousError (never a silent resend); cancel ends it', async () => {
    const c = freshClient();
    try {
      const signer = new KeySigner(c);
      const prompt = new ScriptedPrompt(['111111', '123456']);
      const key = rig.key('sign-p256');
      const r = await signer.signDigest({ keyUri: key.keyUri, digest: digestOf('x', 'sha256'), hash: 'sha256', pinPrompt: prompt, requirePurpose: 'signing' });
      expect(verify('sha256', Buffer.from('x'), key.publicKeyPem, r.signature)).toBe(true);
      expect(prompt.requests.map((q) => q.previousError?.code)).toEqual([undefined, 'PIN_INCORRECT']);
      expect(prompt.requests[1]!.token.label).toBe('Signet Test A');
      expect(prompt.requests[0]!.certificate?.displayName).toBe('Signet Test sign-p256');
      expect(prompt.given.every((p) => p.every((b) => b === 0))).toBe(true);

      const c2 = freshClient();
      try {
        const cancelling = new ScriptedPrompt(['000000', null]);
        await expect(new KeySigner(c2).signDigest({ keyUri: key.keyUri, digest: digestOf('x', 'sha256'), hash: 'sha256', pinPrompt: cancelling })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
        expect(cancelling.requests).toHaveLength(2);
      } finally {
        await c2.close();
      }
    } finally {
      await c.close();
    }
  });

  it('always-authenticate key: a per-signature PIN (kind "signature") for each signature, one user login', async () => {
    const c = freshClient();
    try {
      const signer = new KeySigner(c);
      const key = rig.key('always-auth-rsa2048');
      // login, signature 1 (wrong, then right), signature 2
      const prompt = new ScriptedPrompt(['123456', '000000', '123456', '123456']);
      await signer.runAction(key.keyUri, { purpose: 'sign-documents', documents: ['first', 'second'] }, async () => {
        for (const text of ['first', 'second']) {
          const r = await signer.signDigest({ keyUri: key.keyUri, digest: digestOf(text, 'sha256'), hash: 'sha256', pinPrompt: prompt });
          expect(verify('sha256', Buffer.from(text), key.publicKeyPem, r.signature)).toBe(true);
        }
      });
      expect(prompt.requests.map((q) => [q.kind, q.previousError?.code])).toEqual([
        ['login', undefined],
        ['signature', undefined],
        ['signature', 'PIN_INCORRECT'],
        ['signature', undefined],
      ]);
    } finally {
      await c.close();
    }
  });

  it('refuses wrong-length digests, wrong purposes and unknown keys before asking anything', async () => {
    const c = freshClient();
    try {
      const signer = new KeySigner(c);
      const prompt = new ScriptedPrompt([]);
      await expect(signer.signDigest({ keyUri: rig.key('sign-rsa2048').keyUri, digest: new Uint8Array(31), hash: 'sha256', pinPrompt: prompt })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(signer.signDigest({ keyUri: rig.key('auth-rsa2048').keyUri, digest: new Uint8Array(32), hash: 'sha256', pinPrompt: prompt, requirePurpose: 'signing' })).rejects.toMatchObject({
        code: 'KEY_PURPOSE_MISMATCH',
      });
      await expect(signer.signDigest({ keyUri: rig.key('sign-rsa2048').keyUri, digest: new Uint8Array(32), hash: 'sha256', pinPrompt: prompt, requirePurpose: 'authentication' })).rejects.toMatchObject({
        code: 'KEY_PURPOSE_MISMATCH',
      });
      await expect(signer.signDigest({ keyUri: `${rig.token('Signet Test A').uri};id=%7E;type=private`, digest: new Uint8Array(32), hash: 'sha256', pinPrompt: prompt })).rejects.toMatchObject({
        code: 'KEY_NOT_FOUND',
      });
      await expect(signer.signDigest({ keyUri: rig.key('sign-p256').keyUri, digest: new Uint8Array(32), hash: 'sha256', pinPrompt: prompt, scheme: 'pss' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(prompt.requests).toHaveLength(0);
    } finally {
      await c.close();
    }
  });
});
