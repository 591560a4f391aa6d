/**
 * `signet sign` and `signet verify` as a user runs them: the bundled CLI (dist/cli.js) against
 * the rig's SoftHSM2 tokens, the PIN on stdin, outputs checked by openssl cms, pdfsig and qpdf,
 * exit codes per design.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provisionRig, startTsa, STD, type Rig, type TsaService } from '../../rig';
import { makeTestPdf, pdfsigSignatures, qpdfCheck } from '../../unit/documents/helpers/pdf-tools';
import { makeFixturePdf } from '../../unit/documents/helpers/pdf-fixtures';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
let rig: Rig;
let tsa: TsaService;
let dir: string;
let nss: string;

beforeAll(async () => {
  rig = await provisionRig();
  tsa = await startTsa();
  dir = mkdtempSync(path.join(tmpdir(), 'signet-cli-docs-'));
  nss = rig.nssDb();
}, 180_000);
afterAll(async () => {
  await tsa?.stop();
  await rig?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

function env(policy?: object): NodeJS.ProcessEnv {
  const home = path.join(dir, `home-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(home, { recursive: true });
  const policyFile = path.join(home, 'policy.json');
  if (policy) writeFileSync(policyFile, JSON.stringify({ version: 1, ...policy }));
  return {
    ...process.env,
    ...rig.env,
    SIGNET_CONFIG_DIR: path.join(home, 'config'),
    SIGNET_DATA_DIR: path.join(home, 'data'),
    SIGNET_LOG_DIR: path.join(home, 'logs'),
    SIGNET_POLICY_FILE: policyFile,
    SIGNET_SYSTEM_CA_FILE: rig.ca.certPath,
  };
}

function signet(args: string[], stdin = '', e: NodeJS.ProcessEnv = env()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: e, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
    p.stdin.end(stdin);
  });
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const mod = () => ['--module', rig.module];
const pdfsig = (f: string) => pdfsigSignatures(spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, f], { encoding: 'utf8' }).stdout);
const cms = (p7s: string, content: string) =>
  spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, '-CAfile', rig.ca.certPath, '-out', '/dev/null']).status;

describe('signet sign / verify (CLI, SoftHSM2)', () => {
  it('signs a PDF and a text file in one run (one PIN), next to the inputs, never over an existing file', async () => {
    const work = path.join(dir, 'batch');
    mkdirSync(work);
    const txt = path.join(work, 'notes.txt');
    const pdf = path.join(work, 'report.pdf');
    writeFileSync(txt, 'meeting notes\n');
    writeFileSync(pdf, await makeTestPdf());
    writeFileSync(path.join(work, 'notes.txt.p7s'), 'an older signature, not ours');
    const before = [sha(txt), sha(pdf)];
    const r = await signet(['sign', txt, pdf, '--key', rig.key(STD.signP256).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = r.json as { input: string; output: string; format: string; signer: string }[];
    expect(out.map((o) => [path.basename(o.output), o.format])).toEqual([
      ['notes.txt (2).p7s', 'cades'],
      ['report-signed.pdf', 'pades'],
    ]);
    expect(out[0]!.signer).toContain('sign-p256');
    expect([sha(txt), sha(pdf)]).toEqual(before);
    expect(readFileSync(path.join(work, 'notes.txt.p7s'), 'utf8')).toBe('an older signature, not ours');
    expect(cms(out[0]!.output, txt)).toBe(0);
    expect(qpdfCheck(out[1]!.output).status).toBe(0);
    expect(pdfsig(out[1]!.output)[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.' });

    // verify agrees; the JSON follows the contract.
    const v = await signet(['verify', out[1]!.output, '--trust', rig.ca.certPath, '--no-system-trust', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ integrity: true, chain: { trusted: true }, errors: [] }] });
    const sig0 = (v.json as { signatures: { signer: string; signingTime: string }[] }).signatures[0]!;
    expect(sig0.signer).toContain('sign-p256');
    expect(Date.parse(sig0.signingTime)).not.toBeNaN();
    const vc = await signet(['verify', txt, '--signature', out[0]!.output, '--trust', rig.ca.certPath, '--no-system-trust', '--json']);
    expect(vc.code).toBe(0);

    // Tampering: exit 8 with the reason, and openssl / pdfsig agree.
    writeFileSync(txt, 'meeting notes, edited\n');
    const vt = await signet(['verify', txt, '--signature', out[0]!.output, '--trust', rig.ca.certPath, '--no-system-trust', '--json']);
    expect(vt.code).toBe(8);
    expect((vt.json as { signatures: { errors: string[] }[] }).signatures[0]!.errors.join()).toMatch(/changed after signing/);
    expect(cms(out[0]!.output, txt)).not.toBe(0);
    const tampered = path.join(work, 'tampered.pdf');
    const bytes = readFileSync(out[1]!.output);
    // One byte of the original revision (inside a compressed stream): covered by the signature.
    const at = bytes.indexOf('stream') + 20;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(tampered, bytes);
    const vp = await signet(['verify', tampered, '--trust', rig.ca.certPath, '--no-system-trust']);
    expect(vp.code).toBe(8);
    expect(vp.stdout).toMatch(/NOT VALID/);
    expect(pdfsig(tampered)[0]?.validity).not.toBe('Signature is Valid.');
  });

  it('--out: written there; an existing --out is refused (exit 2) and nothing is asked', async () => {
    const f = path.join(dir, 'out.txt');
    writeFileSync(f, 'x');
    const target = path.join(dir, 'custom.p7s');
    const r = await signet(['sign', f, '--format', 'cades', '--out', target, '--key', rig.key(STD.signRsa2048).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(r.code, r.stderr).toBe(0);
    expect(cms(target, f)).toBe(0);
    const again = await signet(['sign', f, '--format', 'cades', '--out', target, '--key', rig.key(STD.signRsa2048).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(again.code).toBe(2);
    expect(again.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    const asInput = await signet(['sign', f, '--format', 'cades', '--out', f, '--key', rig.key(STD.signRsa2048).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(asInput.code).toBe(2);
    expect(readFileSync(f, 'utf8')).toBe('x');
  });

  it('time-stamp, visible signature, PSS, --out-dir', async () => {
    const pdf = path.join(dir, 'ts.pdf');
    writeFileSync(pdf, await makeTestPdf());
    const outDir = path.join(dir, 'signed');
    mkdirSync(outDir);
    const r = await signet(
      ['sign', pdf, '--key', rig.key(STD.signRsa3072).keyUri, '--pss', '--tsa', tsa.url, '--visible', '1,330,60,220,70', '--reason', 'Approved', '--out-dir', outDir, ...mod(), '--pin-stdin', '--json'],
      '123456\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const [o] = r.json as { output: string; timestamp: string }[];
    expect(path.dirname(o!.output)).toBe(outDir);
    expect(Date.parse(o!.timestamp)).not.toBeNaN();
    expect(pdfsig(o!.output)[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.' });
    const v = await signet(['verify', o!.output, '--trust', rig.ca.certPath, '--trust', tsa.caCertPath, '--no-system-trust', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.json).toMatchObject({ signatures: [{ timestamp: { valid: true, trusted: true }, pdf: { coversWholeDocument: true } }] });
  });

  it('always-authenticate key: a per-signature PIN line for each file', async () => {
    const files = ['aa1.txt', 'aa2.txt'].map((n) => {
      const f = path.join(dir, n);
      writeFileSync(f, n);
      return f;
    });
    const r = await signet(['sign', ...files, '--key', rig.key(STD.alwaysAuthRsa2048).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n123456\n123456\n');
    expect(r.code, r.stderr).toBe(0);
    for (const f of files) expect(cms(`${f}.p7s`, f)).toBe(0);
  });

  it('wrong PIN → exit 3; expired certificate → CERT_EXPIRED before any PIN; auth certificate → KEY_PURPOSE_MISMATCH; the policy can allow expired', async () => {
    const f = path.join(dir, 'err.txt');
    writeFileSync(f, 'x');
    const wrong = await signet(['sign', f, '--key', rig.key(STD.signP384).keyUri, ...mod(), '--pin-stdin', '--json'], '000000\n');
    expect(wrong.code).toBe(3);
    expect(wrong.json).toMatchObject({ error: { code: 'PIN_INCORRECT' } });
    const expired = await signet(['sign', f, '--key', rig.key(STD.expiredRsa2048).keyUri, ...mod(), '--pin-stdin', '--json'], '');
    expect(expired.json).toMatchObject({ error: { code: 'CERT_EXPIRED' } });
    expect(expired.code).toBe(1);
    const auth = await signet(['sign', f, '--key', rig.key(STD.authP256).keyUri, ...mod(), '--pin-stdin', '--json'], '');
    expect(auth.json).toMatchObject({ error: { code: 'KEY_PURPOSE_MISMATCH' } });
    expect(existsSync(`${f}.p7s`)).toBe(false);
    const allowed = await signet(['sign', f, '--key', rig.key(STD.expiredRsa2048).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n', env({ signing: { allowExpired: true } }));
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    // The signature is made, and a verifier says what it is: made with an expired certificate.
    const v = await signet(['verify', f, '--trust', rig.ca.certPath, '--no-system-trust', '--json']);
    expect(v.code).toBe(8);
    expect(JSON.stringify(v.json)).toMatch(/not valid at the signing time/);
  });

  it('not a PDF with --format pades, and an encrypted PDF → exit 2 with a clear message', async () => {
    const f = path.join(dir, 'plain.txt');
    writeFileSync(f, 'x');
    const r = await signet(['sign', f, '--format', 'pades', '--key', rig.key(STD.signP256).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not a PDF/) } });
    const plain = path.join(dir, 'enc-src.pdf');
    const enc = path.join(dir, 'enc.pdf');
    writeFileSync(plain, await makeTestPdf());
    execFileSync('qpdf', ['--encrypt', 'u', 'o', '256', '--', plain, enc]);
    const e = await signet(['sign', enc, '--key', rig.key(STD.signP256).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(e.code).toBe(2);
    expect(e.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/encrypted/) } });
  });

  it('inspect lists an empty signature field; sign --field NAME --lang fr fills it (pdfsig lists it by name, French stamp); a P=1 certified file is refused before the PIN', async () => {
    const f = path.join(dir, 'form-field.pdf');
    writeFileSync(f, await makeFixturePdf({ pages: [{ rotate: 90 }], sigFields: [{ name: 'Approver', page: 0, rect: [300, 100, 370, 330] }] }));
    const i = await signet(['inspect', f, '--json']);
    expect(i.code, i.stdout + i.stderr).toBe(0);
    expect(i.json).toMatchObject([{ pageCount: 1, pages: [{ width: 842, height: 595, rotate: 90 }], emptySignatureFields: [{ name: 'Approver', page: 1, rect: { x: 100, y: 225, width: 230, height: 70 } }], problems: [] }]);
    const r = await signet(['sign', f, '--field', 'Approver', '--lang', 'fr', '--key', rig.key(STD.signP256).keyUri, ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = (r.json as { output: string; field: string }[])[0]!;
    expect(out.field).toBe('Approver');
    expect(pdfsig(out.output)[0]).toMatchObject({ field: 'Approver', validity: 'Signature is Valid.' });
    const text = execFileSync('pdftotext', [out.output, '-']).toString();
    expect(text).toContain('Signé électroniquement par');
    expect(text).toContain('sign-p256');

    const p1 = path.join(dir, 'p1.pdf');
    writeFileSync(p1, await makeFixturePdf({ docMdp: 1 }));
    // No PIN on stdin: the refusal comes before any is asked.
    const refused = await signet(['sign', p1, '--key', rig.key(STD.signP256).keyUri, ...mod(), '--pin-stdin', '--json'], '');
    expect(refused.code).toBe(2);
    expect(refused.json).toMatchObject({ error: { code: 'INVALID_INPUT', details: { reason: 'docmdp-no-changes' } } });
  });
});
