/**
 * ASiC-E at XAdES B-T and B-LT, and a second signature added to a container, with the bundled CLI
 * against the rig (SoftHSM2 keys, the rig's OCSP responder — openssl ocsp -index — and TSA).
 * Independent checks: xmlsec1 for every signature, openssl ts -verify of each SignatureTimeStamp
 * over libxml2's (lxml) exclusive C14N of ds:SignatureValue, openssl ocsp -respin for each
 * embedded OCSP response, unzip for the carried-over entries; signet verify --offline after the
 * responder is stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provisionRig, startTsa, type Rig, type TsaService } from '../../rig';
import { extract, signatureFiles, writeInputs, xadesParts, xmlsecVerify, zipNames } from '../../unit/documents/helpers/asice-tools';
import { cliEnv, runCli } from '../ltv/support';

let rig: Rig;
let tsa: TsaService;
let dir: string;
let env: NodeJS.ProcessEnv;
let inputs: string[];

beforeAll(async () => {
  rig = await provisionRig({
    tokens: [{ label: 'ASICE', pin: '1234', keys: [{ name: 'asice-rsa', keyType: 'RSA', bits: 2048 }, { name: 'asice-p256', keyType: 'EC' }] }],
    ocsp: true,
  });
  tsa = await startTsa();
  dir = mkdtempSync(path.join(tmpdir(), 'signet-asice-levels-'));
  env = cliEnv(rig, dir);
  inputs = writeInputs(path.join(dir, 'in'), { 'a.pdf': '%PDF-1.4\n% a\n', 'b.docx': Buffer.from('PK\u0003\u0004 b'), 'c.txt': 'c\n' });
}, 180_000);
afterAll(async () => {
  await tsa?.stop();
  await rig?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const key = (name: string) => rig.key(name).keyUri;
const sign = (files: string[], out: string, k: string, extra: string[]) =>
  runCli(['sign', ...files, '--format', 'asice', '--key', key(k), '--module', rig.module, '--out', out, '--pin-stdin', '--json', ...extra], env, '1234\n');
const verify = (file: string) => runCli(['verify', file, '--trust', rig.ca.certPath, '--trust', tsa.caCertPath, '--no-system-trust', '--offline', '--json'], env);

/** openssl ts -verify: the token's imprint is over the data and its signature verifies to the TSA's CA. */
function opensslTs(token: string, data: string): { ok: boolean; out: string } {
  const r = spawnSync('openssl', ['ts', '-verify', '-in', token, '-token_in', '-data', data, '-CAfile', tsa.caCertPath], { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

describe('ASiC-E levels (rig TSA and OCSP responder)', () => {
  it('--level T: a SignatureTimeStamp over the exclusive-C14N SignatureValue (openssl ts -verify over lxml\'s C14N); xmlsec1 verifies; verify says B-T', async () => {
    const out = path.join(dir, 't.asice');
    const r = await sign(inputs, out, 'asice-rsa', ['--tsa', tsa.url, '--level', 'T']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject([{ format: 'asice', level: 'T', timestamp: expect.any(String) }, {}, {}]);
    const x = extract(out, dir);
    expect(xmlsecVerify(x, 'META-INF/signatures0.xml', rig.ca.certPath).ok).toBe(true);
    const parts = xadesParts(path.join(x, 'META-INF/signatures0.xml'), path.join(dir, 't'));
    expect(parts.timestamps).toBe(1);
    const ts = opensslTs(path.join(dir, 't-0.tst'), path.join(dir, 't-0.c14n'));
    expect(ts.out).toContain('Verification: OK');
    expect(ts.ok).toBe(true);
    // The imprint is over the canonical element, not the bare value: the base64 text alone does not match.
    const c14n = readFileSync(path.join(dir, 't-0.c14n'), 'utf8');
    expect(c14n).toMatch(/^<ds:SignatureValue xmlns:ds="http:\/\/www.w3.org\/2000\/09\/xmldsig#" Id="S0-SIG">[A-Za-z0-9+/=\s]+<\/ds:SignatureValue>$/);
    const v = await verify(out);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ level: 'B-T', timestamp: { valid: true, trusted: true } }] });
  }, 120_000);

  it('--level LT: CertificateValues and RevocationValues with an OCSP response openssl verifies; verify --offline says B-LT; a second signature (P-256) keeps the first valid', async () => {
    const out = path.join(dir, 'lt.asice');
    const r = await sign(inputs, out, 'asice-rsa', ['--tsa', tsa.url, '--level', 'LT']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject([{ level: 'LT' }, {}, {}]);
    const x = extract(out, dir);
    expect(xmlsecVerify(x, 'META-INF/signatures0.xml', rig.ca.certPath).ok).toBe(true);
    const parts = xadesParts(path.join(x, 'META-INF/signatures0.xml'), path.join(dir, 'lt'));
    expect(parts.ocsps).toBeGreaterThanOrEqual(1);
    expect(parts.certs).toBeGreaterThanOrEqual(2);
    const o = spawnSync('openssl', ['ocsp', '-respin', path.join(dir, 'lt-ocsp-0.der'), '-CAfile', rig.ca.certPath, '-verify_other', rig.ca.certPath, '-resp_text'], { encoding: 'utf8' });
    expect(`${o.stdout}${o.stderr}`).toMatch(/Response verify OK/);
    expect(o.stdout).toMatch(/Cert Status: good/);
    expect(opensslTs(path.join(dir, 'lt-0.tst'), path.join(dir, 'lt-0.c14n')).ok).toBe(true);
    const v = await verify(out);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ level: 'B-LT', revocation: { status: 'good' } }] });

    // Add a signature: signatures1.xml; data files and signatures0.xml carried over byte for byte.
    const two = path.join(dir, 'lt-two.asice');
    const before = readFileSync(out);
    const a = await runCli(['sign', out, '--format', 'asice', '--key', key('asice-p256'), '--module', rig.module, '--out', two, '--tsa', tsa.url, '--level', 'T', '--pin-stdin', '--json'], env, '1234\n');
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.json).toMatchObject([{ input: out, output: two, format: 'asice', level: 'T', container: { signatureFile: 'META-INF/signatures1.xml', files: ['a.pdf', 'b.docx', 'c.txt'] } }]);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(zipNames(two)).toEqual(['mimetype', 'a.pdf', 'b.docx', 'c.txt', 'META-INF/manifest.xml', 'META-INF/signatures0.xml', 'META-INF/signatures1.xml']);
    for (const n of ['a.pdf', 'b.docx', 'c.txt', 'META-INF/manifest.xml', 'META-INF/signatures0.xml']) {
      const was = execFileSync('unzip', ['-p', out, n]);
      const now = execFileSync('unzip', ['-p', two, n]);
      expect(createHash('sha256').update(now).digest('hex'), n).toBe(createHash('sha256').update(was).digest('hex'));
    }
    const x2 = extract(two, dir);
    expect(signatureFiles(x2)).toEqual(['META-INF/signatures0.xml', 'META-INF/signatures1.xml']);
    for (const f of signatureFiles(x2)) expect(xmlsecVerify(x2, f, rig.ca.certPath).ok, f).toBe(true);
    const v2 = await verify(two);
    expect(v2.code, v2.stdout + v2.stderr).toBe(0);
    expect(v2.json).toMatchObject({
      valid: true,
      signatures: [
        { index: 1, level: 'B-LT', signer: 'Signet Test asice-rsa', xades: { signatureFile: 'META-INF/signatures0.xml', id: 'S0' } },
        { index: 2, level: 'B-T', signer: 'Signet Test asice-p256', xades: { signatureFile: 'META-INF/signatures1.xml', id: 'S1', covers: ['a.pdf', 'b.docx', 'c.txt'] } },
      ],
    });
  }, 180_000);

  it('with the OCSP responder stopped: the LT container still verifies --offline (B-LT); --level LT fails and writes nothing; --allow-downgrade gives B-T with a warning', async () => {
    await rig.ocsp!.stop();
    const v = await verify(path.join(dir, 'lt.asice'));
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ level: 'B-LT' }] });
    const out = path.join(dir, 'dead.asice');
    const r = await sign(inputs, out, 'asice-rsa', ['--tsa', tsa.url, '--level', 'LT']);
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ error: { details: { reason: 'revocation-unavailable' } } });
    expect(existsSync(out)).toBe(false);
    const d = await sign(inputs, out, 'asice-rsa', ['--tsa', tsa.url, '--level', 'LT', '--allow-downgrade']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.json).toMatchObject([{ level: 'T', warnings: [expect.stringMatching(/Level LT was not reached/)] }, {}, {}]);
    expect((await verify(out)).json).toMatchObject({ valid: true, signatures: [{ level: 'B-T' }] });
  }, 120_000);
});
