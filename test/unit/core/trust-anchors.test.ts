/**
 * Trust anchors from Settings (issue 12 §4): PEM bundles and DER files are added as Signet's own
 * copies listed in the user config (so the CLI trusts them too), listed with the fingerprints
 * openssl computes, removed again; the administrator's anchors are listed but cannot be removed;
 * a file without a certificate is refused with a coded reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetError } from '../../../native/errors';
import { loadConfig } from '../../../electron/core/config';
import { TrustAnchorStore } from '../../../electron/core/pki/trust-anchors';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-trust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeCa(name: string): { pem: string; der: string; fingerprint: string } {
  const key = path.join(dir, `${name}.key`);
  const pem = path.join(dir, `${name}.pem`);
  const der = path.join(dir, `${name}.der`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-days', '30', '-keyout', key, '-out', pem, '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', der]);
  const fp = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  return { pem, der, fingerprint: fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase() };
}

let a: ReturnType<typeof makeCa>;
let b: ReturnType<typeof makeCa>;
let admin: ReturnType<typeof makeCa>;
const env = { SIGNET_CONFIG_DIR: path.join(dir, 'config'), SIGNET_DATA_DIR: path.join(dir, 'data'), SIGNET_LOG_DIR: path.join(dir, 'logs'), SIGNET_POLICY_FILE: path.join(dir, 'policy.json') };

beforeAll(() => {
  a = makeCa('Anchor A');
  b = makeCa('Anchor B');
  admin = makeCa('Admin Root');
  writeFileSync(env.SIGNET_POLICY_FILE, JSON.stringify({ signing: { trustAnchors: [admin.pem] } }));
});

describe('trust anchor store', () => {
  it('adds a PEM bundle and a DER file, lists them with openssl’s fingerprints, shares them with the CLI, removes them', () => {
    const paths = loadConfig(env).paths;
    const store = new TrustAnchorStore({ userConfigFile: paths.userConfigFile, policyFile: paths.policyFile });
    expect(store.list().anchors.map((x) => [x.subject, x.source])).toEqual([['CN=Admin Root', 'policy']]);

    const bundle = readFileSync(a.pem, 'utf8') + readFileSync(b.pem, 'utf8');
    const added = store.add(Buffer.from(bundle), 'bundle.pem');
    expect(added.map((x) => [x.subject, x.fingerprintSha256, x.isCa, x.selfSigned])).toEqual([
      ['CN=Anchor A', a.fingerprint, true, true],
      ['CN=Anchor B', b.fingerprint, true, true],
    ]);
    // The same certificate again (DER this time) is not added twice.
    expect(store.add(readFileSync(b.der), 'b.der')).toEqual([]);
    expect(store.ders()).toHaveLength(3);

    // Signet's own copies, listed in the user config that the CLI reads.
    const user = loadConfig(env).user.signing?.trustAnchors ?? [];
    expect(user).toHaveLength(2);
    for (const f of user) expect(existsSync(f) && path.dirname(f)).toBe(path.join(env.SIGNET_CONFIG_DIR, 'trust-anchors'));

    store.remove(a.fingerprint);
    expect(store.list().anchors.map((x) => x.subject)).toEqual(['CN=Admin Root', 'CN=Anchor B']);
    expect(loadConfig(env).user.signing?.trustAnchors).toHaveLength(1);
    expect(user.filter((f) => existsSync(f))).toHaveLength(1);
  });

  it('refuses to remove the administrator’s anchors and to add files without a certificate', () => {
    const paths = loadConfig(env).paths;
    const store = new TrustAnchorStore({ userConfigFile: paths.userConfigFile, policyFile: paths.policyFile });
    const reasonOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e instanceof SignetError ? [e.code, e.details?.reason] : e;
      }
      return 'no error';
    };
    expect(reasonOf(() => store.remove(admin.fingerprint))).toEqual(['INVALID_INPUT', 'anchor-from-policy']);
    expect(reasonOf(() => store.remove('0'.repeat(64)))).toEqual(['INVALID_INPUT', 'anchor-unknown']);
    expect(reasonOf(() => store.add(Buffer.from('hello'), 'note.txt'))).toEqual(['INVALID_INPUT', 'not-a-certificate']);
    expect(reasonOf(() => store.add(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'bad.pem'))).toEqual(['INVALID_INPUT', 'not-a-certificate']);
  });
});
