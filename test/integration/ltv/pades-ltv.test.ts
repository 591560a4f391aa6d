/**
 * PAdES B-LT / B-LTA with the bundled CLI against the rig: a SoftHSM2 key whose certificate
 * names the rig's OCSP responder (openssl ocsp -index) and the rig's TSA. Every output is checked
 * by independent tools: pdfsig (signatures valid and trusted), qpdf --check (structure), the DSS
 * read by qpdf and each OCSP response verified by openssl ocsp -respin; then signet verify
 * --offline after the responder is stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provisionRig, startTsa, type Rig, type TsaService } from '../../rig';
import { makeTestPdf, pdfsigSignatures, qpdfCheck } from '../../unit/documents/helpers/pdf-tools';
import { cliEnv, dssOf, runCli } from './support';

let rig: Rig;
let tsa: TsaService;
let dir: string;
let nss: string;
let env: NodeJS.ProcessEnv;
let pdf: string;

beforeAll(async () => {
  rig = await provisionRig({ tokens: [{ label: 'LTV', pin: '1234', keys: [{ name: 'ltv-p256', keyType: 'EC' }, { name: 'ltv-rsa', keyType: 'RSA', bits: 2048 }] }], ocsp: true });
  tsa = await startTsa();
  dir = mkdtempSync(path.join(tmpdir(), 'signet-ltv-'));
  nss = rig.nssDb();
  env = cliEnv(rig, dir);
  pdf = path.join(dir, 'doc.pdf');
  writeFileSync(pdf, await makeTestPdf({ pages: 1 }));
}, 180_000);
afterAll(async () => {
  await tsa?.stop();
  await rig?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const pdfsig = (f: string) => pdfsigSignatures(spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, f], { encoding: 'utf8' }).stdout);
const key = (name: string) => rig.key(name).keyUri;
const sign = (out: string, level: string, extra: string[] = []) =>
  runCli(['sign', pdf, '--key', key('ltv-p256'), '--module', rig.module, '--tsa', tsa.url, '--level', level, '--out', out, '--pin-stdin', '--json', ...extra], env, '1234\n');

/** openssl ocsp -respin: the response's signature verifies with the issuer (the responder here). */
function opensslVerifiesOcsp(der: Buffer, name: string): string {
  const f = path.join(dir, `${name}.ocsp.der`);
  writeFileSync(f, der);
  const r = spawnSync('openssl', ['ocsp', '-respin', f, '-CAfile', rig.ca.certPath, '-verify_other', rig.ca.certPath, '-resp_text'], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

describe('PAdES B-LT and B-LTA (rig OCSP responder and TSA)', () => {
  it('sign --level LT: a DSS with the chain and an OCSP response openssl verifies; pdfsig and qpdf accept the file; verify reports B-LT', async () => {
    const before = sha(pdf);
    const out = path.join(dir, 'lt.pdf');
    const r = await sign(out, 'LT');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject([{ level: 'LT' }]);
    expect(sha(pdf)).toBe(before);
    expect(qpdfCheck(out).status).toBe(0);
    expect(pdfsig(out)[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.' });

    const dss = dssOf(out);
    expect(dss.ocsps.length).toBeGreaterThanOrEqual(1);
    const signerCert = Buffer.from(rig.key('ltv-p256').certDer);
    expect(dss.certs.some((c) => c.equals(signerCert))).toBe(true);
    const text = opensslVerifiesOcsp(dss.ocsps[0]!, 'lt');
    expect(text).toMatch(/Response verify OK/);
    expect(text).toMatch(/Cert Status: good/);

    const v = await runCli(['verify', out, '--trust', rig.ca.certPath, '--no-system-trust', '--offline', '--json'], env);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ level: 'B-LT', revocation: { status: 'good' } }] });
  }, 120_000);

  it('sign --level LTA: then a document time-stamp over the whole file; pdfsig, qpdf accept it; verify reports B-LTA and the time-stamp valid', async () => {
    const out = path.join(dir, 'lta.pdf');
    const r = await sign(out, 'LTA');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject([{ level: 'LTA' }]);
    expect(qpdfCheck(out).status).toBe(0);
    const ps = pdfsig(out);
    expect(ps).toHaveLength(2);
    expect(ps[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.', wholeFile: false });
    expect(ps[1]!.wholeFile).toBe(true);
    const dss = dssOf(out);
    expect(opensslVerifiesOcsp(dss.ocsps[0]!, 'lta')).toMatch(/Response verify OK/);

    const v = await runCli(['verify', out, '--trust', rig.ca.certPath, '--trust', tsa.caCertPath, '--no-system-trust', '--offline', '--json'], env);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({
      valid: true,
      signatures: [
        { kind: 'signature', level: 'B-LTA', revocation: { status: 'good' } },
        { kind: 'doc-timestamp', valid: true, integrity: true, pdf: { subFilter: 'ETSI.RFC3161', coversWholeDocument: true } },
      ],
    });

    // A document time-stamp over other bytes is caught: flip one byte of the covered page content.
    const bytes = readFileSync(out);
    const at = bytes.lastIndexOf('/DocTimeStamp');
    const bad = Buffer.from(bytes);
    bad[at + 1] = 'd'.charCodeAt(0); // /docTimeStamp: the signed bytes change
    const badPath = path.join(dir, 'lta-bad.pdf');
    writeFileSync(badPath, bad);
    const vb = await runCli(['verify', badPath, '--trust', rig.ca.certPath, '--no-system-trust', '--offline', '--json'], env);
    expect(vb.code).toBe(8);
    const sigs = (vb.json as { signatures: { valid: boolean; errors: string[] }[] }).signatures;
    expect(sigs[1]!.valid).toBe(false);
    expect(sigs[1]!.errors.join(' ')).toMatch(/imprint mismatch/);
  }, 120_000);

  it('extend: a B-T file to LT, then LTA, then the archive renewed; the input is never modified, earlier signatures stay valid (pdfsig)', async () => {
    const bt = path.join(dir, 'bt.pdf');
    expect((await sign(bt, 'T')).code).toBe(0);
    const before = sha(bt);
    const lt = path.join(dir, 'bt-lt.pdf');
    const e1 = await runCli(['extend', bt, '--level', 'LT', '--json'], env);
    expect(e1.code, e1.stdout + e1.stderr).toBe(0);
    expect(e1.json).toMatchObject({ output: lt, format: 'pades', level: 'LT' });
    expect(sha(bt)).toBe(before);
    expect(readFileSync(lt).subarray(0, readFileSync(bt).length).equals(readFileSync(bt))).toBe(true);
    expect(qpdfCheck(lt).status).toBe(0);
    expect(pdfsig(lt)[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.' });

    const lta = path.join(dir, 'bt-lta.pdf');
    expect((await runCli(['extend', lt, '--level', 'LTA', '--tsa', tsa.url, '--out', lta, '--json'], env)).code).toBe(0);
    const again = path.join(dir, 'bt-lta2.pdf');
    const e3 = await runCli(['extend', lta, '--level', 'LTA', '--tsa', tsa.url, '--out', again, '--json'], env);
    expect(e3.code, e3.stdout + e3.stderr).toBe(0);
    // --out never overwrites.
    expect((await runCli(['extend', lta, '--level', 'LTA', '--tsa', tsa.url, '--out', again, '--json'], env)).code).toBe(2);
    expect(qpdfCheck(again).status).toBe(0);
    const ps = pdfsig(again);
    expect(ps).toHaveLength(3);
    expect(ps[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.' });
    const v = await runCli(['verify', again, '--trust', rig.ca.certPath, '--no-system-trust', '--offline', '--json'], env);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({
      valid: true,
      signatures: [{ level: 'B-LTA' }, { kind: 'doc-timestamp', valid: true, pdf: { coversWholeDocument: false } }, { kind: 'doc-timestamp', valid: true, pdf: { coversWholeDocument: true } }],
    });
    // The renewal's DSS holds two OCSP responses now (the signer's, kept, and the new fetch).
    expect(dssOf(again).ocsps.length).toBeGreaterThan(dssOf(lta).ocsps.length);
  }, 180_000);

  it('with the OCSP responder stopped: the LT file still verifies --offline (B-LT); sign --level LT fails naming the certificate, --allow-downgrade makes B-T with a warning', async () => {
    await rig.ocsp!.stop();
    const v = await runCli(['verify', path.join(dir, 'lt.pdf'), '--trust', rig.ca.certPath, '--no-system-trust', '--offline', '--json'], env);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ level: 'B-LT', revocation: { status: 'good' } }] });

    const out = path.join(dir, 'dead.pdf');
    const r = await sign(out, 'LT');
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ error: { code: 'INTERNAL', details: { reason: 'revocation-unavailable' } } });
    expect((r.json as { error: { message: string } }).error.message).toMatch(/ltv-p256.*OCSP http:\/\/127\.0\.0\.1:\d+\/ocsp.*cannot be reached/);
    expect(existsSync(out)).toBe(false);

    const d = await sign(out, 'LT', ['--allow-downgrade']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.json).toMatchObject([{ level: 'T', warnings: [expect.stringMatching(/Level LT was not reached/)] }]);
    expect(pdfsig(out)[0]).toMatchObject({ validity: 'Signature is Valid.' });
    const vd = await runCli(['verify', out, '--trust', rig.ca.certPath, '--no-system-trust', '--offline', '--json'], env);
    expect(vd.json).toMatchObject({ valid: true, signatures: [{ level: 'B-T' }] });
  }, 120_000);
});
