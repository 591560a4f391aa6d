/**
 * The cross-module suite (suite.ts) on tpm2-pkcs11 over a software TPM (swtpm on loopback), plus
 * what a TPM teaches: CK_TOKEN_INFO fields padded with NULs (model), a serial shared by every
 * token, and a dictionary-attack lockout that the token does not report as a locked PIN.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EC_KEYS, moduleSuite, RSA_KEYS } from './suite';
import { p11tool, signet, urlsOf } from './tools';

const MAX_TRIES = 4;

const s = moduleSuite('tpm2-pkcs11', {
  keys: [...RSA_KEYS, ...EC_KEYS],
  signatures: [
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha256' },
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha384' },
    { key: 'sign-p256', scheme: 'ecdsa', hash: 'sha256' },
    { key: 'sign-p384', scheme: 'ecdsa', hash: 'sha384' },
  ],
  // swtpm's TPM offers no RSASSA-PSS to tpm2-pkcs11, which then does not advertise CKM_RSA_PKCS_PSS.
  mechanisms: { present: ['CKM_RSA_PKCS', 'CKM_ECDSA'], absent: ['CKM_RSA_PKCS_PSS'] },
  refused: [{ key: 'sign-rsa', scheme: 'pss', hash: 'sha256' }],
  tpmMaxTries: MAX_TRIES,
});

describe('tpm2-pkcs11 specifics', () => {
  it('keeps the NUL padding of the model in the URI (as p11tool does) and shows it without', async () => {
    const t = s.token();
    expect(t.uri).toMatch(/model=SW%20%20%20TPM(%00)+;/);
    expect(t.model).toBe('SW   TPM');
    // A hand-written URI without the padding names the same token.
    const r = await signet(s.rig(), ['certs', '--json', '--token', `pkcs11:model=SW%20%20%20TPM;token=${encodeURIComponent(t.label)}`]);
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as unknown[]).length).toBe(s.rig().keys.length);
    expect(urlsOf((await p11tool(s.rig(), ['--list-tokens'])).text)).toContain(t.uri);
  });

  // Runs last in this file: it locks the TPM out for the rest of the rig's life.
  it('dictionary-attack lockout: PIN_LOCKED, temporary, no PUK advice; no wrong PIN before it claimed "not the final try"', async () => {
    const key = `${s.token().uri};id=%01;type=private`;
    const digest = createHash('sha256').update('x').digest('hex');
    const seen: { code: string; finalTry?: boolean; retriable?: boolean; details?: Record<string, unknown>; message: string }[] = [];
    for (let i = 0; i < MAX_TRIES + 1; i++) {
      const r = await signet(s.rig(), ['sign-hash', '--json', '--key', key, '--hash', digest, '--pin-stdin'], { input: '000000\n' });
      const e = (r.json as { error: (typeof seen)[number] }).error;
      seen.push(e);
      if (e.code === 'PIN_LOCKED') {
        expect(r.code).toBe(4);
        break;
      }
      expect(r.code).toBe(3);
    }
    const last = seen.at(-1)!;
    expect(last.code, JSON.stringify(seen)).toBe('PIN_LOCKED');
    expect(last.details?.temporary).toBe(true);
    expect(last.retriable).toBe(true);
    expect(last.message).not.toMatch(/Unblock it with the PUK/);
    for (const e of seen.slice(0, -1)) {
      expect(e.code).toBe('PIN_INCORRECT');
      expect(e).not.toHaveProperty('finalTry');
    }
    // The token itself never said the PIN is locked.
    const t = await signet(s.rig(), ['tokens', '--json']);
    expect((t.json as { label: string; flags: { pinLocked: boolean } }[]).find((x) => x.label === s.token().label)!.flags.pinLocked).toBe(false);
  });
});
