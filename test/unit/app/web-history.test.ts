/**
 * Web signatures and logins reach the local history (issue 12 §7) through the app's service
 * wiring: a completed signDigest for a signing purpose is a web signature, for authentication a
 * login, signDocument a web document signature — with the page's origin and the certificate's
 * name, never the digest, the document's hash or where it was spooled. Refused or failed requests
 * leave no entry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignetError } from '../../../native/errors';
import { recordWebHistory } from '../../../electron/app/services/web-history';
import { HistoryStore } from '../../../electron/core/history';
import type { CertificateView } from '../../../electron/core/types';
import type { WebApiServices } from '../../../electron/web-api/services';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-web-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cert = { displayName: 'Łukasz Wałęsa (Signature)', uri: 'pkcs11:x' } as CertificateView;
const signal = new AbortController().signal;

/** The web API's services as a page's requests reach them; `fail` makes the token refuse. */
function services(fail = false): WebApiServices {
  return {
    appVersion: '0',
    tokens: async () => [],
    certificates: async () => [cert],
    async signDigest() {
      if (fail) throw new SignetError('PIN_INCORRECT', 'Wrong PIN');
      return new Uint8Array([1, 2, 3]);
    },
    async signDocument(req) {
      if (fail) throw new SignetError('USER_CANCELLED', 'Cancelled');
      return { name: `${req.name}.p7s` };
    },
  };
}

describe('web history', () => {
  it('records signatures and logins with origin and signer only', async () => {
    const file = path.join(dir, 'a.json');
    const history = new HistoryStore(file);
    const s = recordWebHistory(history, services());
    const digest = Buffer.from('d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0', 'hex');
    await s.signDigest({ certificate: cert, digest, scheme: { kind: 'pkcs1', hash: 'sha256' }, purpose: 'signing', signal, origin: 'https://portal.example' });
    await s.signDigest({ certificate: cert, digest, scheme: { kind: 'pkcs1', hash: 'sha256' }, purpose: 'authentication', signal, origin: 'https://login.example:8443' });
    await s.signDocument({ certificate: cert, name: 'form.pdf', path: '/spool/secret-7f3a', sha256: 'ab'.repeat(32), outputPath: '/spool/out-1', format: 'cades', signal, origin: 'https://portal.example' });
    expect(history.list().map(({ id: _id, at: _at, ...e }) => e)).toEqual([
      { kind: 'web-signature', origin: 'https://portal.example', operation: 'sign-document', signer: cert.displayName, documentName: 'form.pdf' },
      { kind: 'web-login', origin: 'https://login.example:8443', signer: cert.displayName },
      { kind: 'web-signature', origin: 'https://portal.example', operation: 'sign-hash', signer: cert.displayName },
    ]);
    const text = readFileSync(file, 'utf8');
    // No digest, no document hash, no spool path.
    expect(text).not.toContain('d0d0d0d0');
    expect(text).not.toContain('abababab');
    expect(text).not.toContain('spool');
  });

  it('records nothing for a refused request or one without an origin', async () => {
    const history = new HistoryStore(path.join(dir, 'b.json'));
    const failing = recordWebHistory(history, services(true));
    await expect(failing.signDigest({ certificate: cert, digest: new Uint8Array(32), scheme: { kind: 'pkcs1', hash: 'sha256' }, purpose: 'signing', signal, origin: 'https://a.example' })).rejects.toThrow('Wrong PIN');
    await expect(failing.signDocument({ certificate: cert, name: 'x.pdf', path: '/spool/x', sha256: '00'.repeat(32), outputPath: '/spool/y', format: 'pades', signal, origin: 'https://a.example' })).rejects.toThrow('Cancelled');
    await recordWebHistory(history, services()).signDigest({ certificate: cert, digest: new Uint8Array(32), scheme: { kind: 'pkcs1', hash: 'sha256' }, purpose: 'signing', signal });
    expect(history.list()).toEqual([]);
  });
});
