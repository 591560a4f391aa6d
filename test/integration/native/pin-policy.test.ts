/**
 * Issue 8 §1, §6: a PIN unlocks exactly one user action (KeySigner.runAction), against real
 * SoftHSM2 tokens. After every action the token is logged out — checked with the host's
 * `token.status`, which opens another session on the token and reads C_GetSessionInfo's state
 * (a login is per application in PKCS#11 v2.40 §5.6, so any session of the host shows it).
 * A login for authentication never authorises a document signature and vice versa; the optional
 * signing cache keeps only signing logins, for a fixed time, and ends on lock().
 */
import { createHash, verify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { KeySigner } from '../../../electron/core/key-signer';
import type { PinPrompt, PinRequest } from '../../../electron/core/pin-prompt';

const PIN = '123456';

/** Answers every PIN request with the right PIN (or null = cancel) and records the requests. */
class RecordingPrompt implements PinPrompt {
  readonly requests: PinRequest[] = [];
  cancelNext = false;
  async askPin(request: PinRequest): Promise<Uint8Array | null> {
    this.requests.push(request);
    if (this.cancelNext) {
      this.cancelNext = false;
      return null;
    }
    return new TextEncoder().encode(PIN);
  }
  showPinPad(): () => void {
    throw new Error('no PIN pad here');
  }
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

let rig: Rig;
const clients: TokenClient[] = [];
beforeAll(async () => {
  rig = await provisionRig({
    tokens: [
      {
        label: 'Policy',
        pin: PIN,
        keys: [
          { name: 'sign', keyType: 'EC', curve: 'P-256', purpose: 'signing' },
          { name: 'auth', keyType: 'EC', curve: 'P-256', purpose: 'authentication' },
          { name: 'nr-ds', keyType: 'EC', curve: 'P-256', purpose: 'signing-ds' },
          { name: 'always', keyType: 'EC', curve: 'P-256', purpose: 'signing', alwaysAuthenticate: true },
        ],
      },
    ],
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
afterAll(async () => {
  await rig?.cleanup();
});

function fresh(opts: ConstructorParameters<typeof KeySigner>[1] = {}): { client: TokenClient; signer: KeySigner; prompt: RecordingPrompt; loggedIn: () => Promise<boolean> } {
  const client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
  clients.push(client);
  const tokenUri = rig.token('Policy').uri;
  return { client, signer: new KeySigner(client, opts), prompt: new RecordingPrompt(), loggedIn: async () => (await client.tokenStatus(tokenUri)).loggedIn };
}

function signWith(signer: KeySigner, prompt: PinPrompt, name: string, text: string, extra: { requirePurpose?: 'signing' | 'authentication'; webEid?: boolean } = {}) {
  return signer.signDigest({ keyUri: rig.key(name).keyUri, digest: sha256(text), hash: 'sha256', pinPrompt: prompt, ...extra });
}

describe('per-action PIN policy (default)', () => {
  it('a web login then a document signature asks the PIN again; the token is logged out after each', async () => {
    const { signer, prompt, loggedIn } = fresh();
    const login = await signer.runAction(rig.key('auth').keyUri, { purpose: 'authenticate', origin: 'https://portal.example' }, () =>
      signWith(signer, prompt, 'auth', 'challenge', { requirePurpose: 'authentication', webEid: true }),
    );
    expect(verify('sha256', Buffer.from('challenge'), rig.key('auth').publicKeyPem, login.signature)).toBe(true);
    expect(await loggedIn()).toBe(false);
    const doc = await signer.runAction(rig.key('sign').keyUri, { purpose: 'sign-documents', documents: ['contract.pdf'] }, () => signWith(signer, prompt, 'sign', 'contract'));
    expect(verify('sha256', Buffer.from('contract'), rig.key('sign').publicKeyPem, doc.signature)).toBe(true);
    expect(await loggedIn()).toBe(false);
    expect(prompt.requests.map((r) => r.action)).toEqual([
      { purpose: 'authenticate', origin: 'https://portal.example' },
      { purpose: 'sign-documents', documents: ['contract.pdf'] },
    ]);
  });

  it('a batch then a batch asks twice (one PIN for the N files of each)', async () => {
    const { signer, prompt, loggedIn } = fresh();
    for (const batch of [['a.pdf', 'b.pdf', 'c.pdf'], ['d.pdf', 'e.pdf']]) {
      await signer.runAction(rig.key('sign').keyUri, { purpose: 'sign-documents', documents: batch }, async () => {
        for (const f of batch) await signWith(signer, prompt, 'sign', f);
        expect(await loggedIn()).toBe(true); // inside the action: one login for the batch
      });
      expect(await loggedIn()).toBe(false);
    }
    expect(prompt.requests.map((r) => r.action.documents)).toEqual([
      ['a.pdf', 'b.pdf', 'c.pdf'],
      ['d.pdf', 'e.pdf'],
    ]);
  });

  it('a signature outside any action is an action of its own: a PIN each time, logged out after', async () => {
    const { signer, prompt, loggedIn } = fresh();
    await signWith(signer, prompt, 'sign', 'one');
    await signWith(signer, prompt, 'sign', 'two');
    expect(prompt.requests.map((r) => r.action.purpose)).toEqual(['sign-data', 'sign-data']);
    expect(await loggedIn()).toBe(false);
  });

  it('a login that exists before an action (made by anyone) is not used: the action asks its own PIN', async () => {
    const { client, signer, prompt, loggedIn } = fresh();
    await client.login(rig.token('Policy').uri, new TextEncoder().encode(PIN));
    expect(await loggedIn()).toBe(true);
    await signWith(signer, prompt, 'sign', 'x');
    expect(prompt.requests).toHaveLength(1);
    expect(await loggedIn()).toBe(false);
  });

  it('logged out after a failure and after a cancel', async () => {
    const { signer, prompt, loggedIn } = fresh();
    // Fails after the login: a per-signature PIN the user cancels.
    prompt.cancelNext = false;
    await expect(
      signer.runAction(rig.key('always').keyUri, { purpose: 'sign-documents', documents: ['x.pdf'] }, async () => {
        const p: PinPrompt = { askPin: async (r) => (r.kind === 'signature' ? null : prompt.askPin(r)), showPinPad: prompt.showPinPad };
        await signWith(signer, p, 'always', 'x');
      }),
    ).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(await loggedIn()).toBe(false);
    // A failure inside the action after the login (the caller's own error).
    await expect(
      signer.runAction(rig.key('sign').keyUri, { purpose: 'sign-documents', documents: ['y.pdf'] }, async () => {
        await signWith(signer, prompt, 'sign', 'y');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await loggedIn()).toBe(false);
  });

  it('two actions at once never share a login: each asks its own PIN', async () => {
    const { signer, prompt, loggedIn } = fresh();
    await Promise.all([
      signer.runAction(rig.key('sign').keyUri, { purpose: 'sign-documents', documents: ['1.pdf'] }, () => signWith(signer, prompt, 'sign', '1')),
      signer.runAction(rig.key('auth').keyUri, { purpose: 'authenticate', origin: 'https://a.example' }, () => signWith(signer, prompt, 'auth', '2', { requirePurpose: 'authentication' })),
    ]);
    expect(prompt.requests).toHaveLength(2);
    expect(await loggedIn()).toBe(false);
  });

  it('an authentication action never signs with a signing key, even unasked; nesting the other class is refused', async () => {
    const { signer, prompt } = fresh();
    await expect(
      signer.runAction(rig.key('sign').keyUri, { purpose: 'authenticate', origin: 'https://a.example' }, () => signWith(signer, prompt, 'sign', 'x')),
    ).rejects.toMatchObject({ code: 'KEY_PURPOSE_MISMATCH', details: { rule: 'non-repudiation-key' } });
    await expect(
      signer.runAction(rig.key('sign').keyUri, { purpose: 'sign-documents', documents: ['a'] }, () =>
        signer.runAction(rig.key('sign').keyUri, { purpose: 'authenticate' }, () => Promise.resolve(1)),
      ),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(prompt.requests).toHaveLength(0);
  });

  it('a digitalSignature + nonRepudiation certificate without EKU signs documents but never logs in', async () => {
    const { signer, prompt } = fresh();
    const doc = await signer.runAction(rig.key('nr-ds').keyUri, { purpose: 'sign-documents', documents: ['a.pdf'] }, () => signWith(signer, prompt, 'nr-ds', 'doc', { requirePurpose: 'signing' }));
    expect(verify('sha256', Buffer.from('doc'), rig.key('nr-ds').publicKeyPem, doc.signature)).toBe(true);
    const asked = prompt.requests.length;
    await expect(signWith(signer, prompt, 'nr-ds', 'login', { requirePurpose: 'authentication', webEid: true })).rejects.toMatchObject({
      code: 'KEY_PURPOSE_MISMATCH',
      details: { purpose: 'authentication', rule: 'non-repudiation-key' },
    });
    expect(prompt.requests).toHaveLength(asked); // refused before any PIN
    // The admin may relax it explicitly; a Web eID token still needs the clientAuth EKU.
    const relaxed = fresh({ authenticationRules: () => ({ allowNonRepudiation: true }) });
    await expect(signWith(relaxed.signer, relaxed.prompt, 'nr-ds', 'login', { requirePurpose: 'authentication', webEid: true })).rejects.toMatchObject({
      details: { rule: 'web-eid-needs-client-auth-eku' },
    });
    const r = await signWith(relaxed.signer, relaxed.prompt, 'nr-ds', 'login', { requirePurpose: 'authentication' });
    expect(verify('sha256', Buffer.from('login'), rig.key('nr-ds').publicKeyPem, r.signature)).toBe(true);
  });
});

describe('signing PIN cache (user setting / admin policy signing.pinCache)', () => {
  it('keeps a signing login for its time only: next signing action asks nothing, a login asks and ends the cache, lock() ends it', async () => {
    let minutes = 1;
    const { signer, prompt, loggedIn } = fresh({ pinCacheMinutes: () => minutes });
    const changes: number[] = [];
    signer.onUnlockedChange((u) => changes.push(u.length));
    await signWith(signer, prompt, 'sign', 'a');
    await signWith(signer, prompt, 'sign', 'b');
    expect(prompt.requests).toHaveLength(1);
    expect(await loggedIn()).toBe(true);
    const [unlocked] = signer.unlockedTokens();
    expect(unlocked?.tokenUri).toContain('token=Policy');
    expect(unlocked!.expiresAt - Date.now()).toBeGreaterThan(50_000);
    expect(unlocked!.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);

    // A login is never served by the cached signing login, and ends it.
    await signWith(signer, prompt, 'auth', 'login', { requirePurpose: 'authentication' });
    expect(prompt.requests.map((r) => r.action.purpose)).toEqual(['sign-data', 'authenticate']);
    expect(await loggedIn()).toBe(false);
    expect(signer.unlockedTokens()).toEqual([]);

    await signWith(signer, prompt, 'sign', 'c');
    expect(prompt.requests).toHaveLength(3);
    await signer.lock();
    expect(await loggedIn()).toBe(false);
    expect(signer.unlockedTokens()).toEqual([]);
    await signWith(signer, prompt, 'sign', 'd');
    expect(prompt.requests).toHaveLength(4);

    // Cache turned off (setting or policy changed): the next action starts and ends logged out.
    minutes = 0;
    await signWith(signer, prompt, 'sign', 'e');
    expect(prompt.requests).toHaveLength(5);
    expect(await loggedIn()).toBe(false);
    expect(changes).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('locks at expiry', async () => {
    const { signer, prompt, loggedIn } = fresh({ pinCacheMinutes: () => 0.01 }); // 600 ms
    await signWith(signer, prompt, 'sign', 'a');
    expect(await loggedIn()).toBe(true);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await loggedIn()).toBe(false);
    expect(signer.unlockedTokens()).toEqual([]);
    await signWith(signer, prompt, 'sign', 'b');
    expect(prompt.requests).toHaveLength(2);
    await signer.lock();
  });

  it('a CKA_ALWAYS_AUTHENTICATE key asks its PIN for every signature even with the cache', async () => {
    const { signer, prompt } = fresh({ pinCacheMinutes: () => 5 });
    await signWith(signer, prompt, 'always', 'a');
    await signWith(signer, prompt, 'always', 'b');
    expect(prompt.requests.map((r) => r.kind)).toEqual(['login', 'signature', 'signature']);
    await signer.lock();
  });
});
