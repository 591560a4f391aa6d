/**
 * `signet sign --format asice` and `signet verify` on containers as a user runs them: the bundled
 * CLI against the rig's SoftHSM2 tokens (the signature value made by C_Sign on the token), each
 * XAdES signature checked by xmlsec1 in the extracted container, the ZIP layout by unzip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provisionRig, startTsa, STD, type Rig, type TsaService } from '../../rig';
import { extract, writeInputs, xmlsecVerify, zipEntries, zipNames } from '../../unit/documents/helpers/asice-tools';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
let rig: Rig;
let tsa: TsaService;
let dir: string;

beforeAll(async () => {
  rig = await provisionRig();
  tsa = await startTsa();
  dir = mkdtempSync(path.join(tmpdir(), 'signet-asice-cli-'));
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

function env(): NodeJS.ProcessEnv {
  const home = path.join(dir, `home-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(home, { recursive: true });
  return {
    ...process.env,
    ...rig.env,
    SIGNET_CONFIG_DIR: path.join(home, 'config'),
    SIGNET_DATA_DIR: path.join(home, 'data'),
    SIGNET_LOG_DIR: path.join(home, 'logs'),
    SIGNET_POLICY_FILE: path.join(home, 'policy.json'),
    SIGNET_SYSTEM_CA_FILE: rig.ca.certPath,
  };
}

function signet(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
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

/** Python's zipfile (an independent ZIP writer) copies a container with one data file's content changed. */
const TAMPER = `
import sys, zipfile
src, dst, victim = sys.argv[1:4]
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(dst, 'w') as z:
    for i in zin.infolist():
        data = b'changed' if i.filename == victim else zin.read(i.filename)
        z.writestr(i, data)
`;

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const mod = () => ['--module', rig.module];
const key = (k: string) => ['--key', rig.key(k).keyUri];

function threeFiles(sub: string): string[] {
  return writeInputs(path.join(dir, sub), {
    'a.pdf': '%PDF-1.4\n% stand-in\n',
    'b.docx': Buffer.from('PK\u0003\u0004 stand-in'),
    'c notes.txt': 'three files, one signature\n',
  });
}

describe('signet sign --format asice', () => {
  it('three files → one container: mimetype first and stored, manifest, signatures0.xml that xmlsec1 verifies (RSA and P-256 on the token)', async () => {
    for (const k of [STD.signRsa2048, STD.signP256]) {
      const inputs = threeFiles(`three-${k}`);
      const before = inputs.map(sha);
      const out = path.join(dir, `three-${k}`, 'bundle.asice');
      const r = await signet(['sign', ...inputs, '--format', 'asice', '--out', out, ...key(k), ...mod(), '--pin-stdin', '--json'], '123456\n');
      expect(r.code, r.stderr).toBe(0);
      const items = r.json as { input: string; output: string; format: string; signer: string; container: { signatureFile: string; files: string[] } }[];
      expect(items).toHaveLength(3);
      for (const [i, item] of items.entries()) {
        expect(item).toMatchObject({ input: inputs[i], output: out, format: 'asice', container: { signatureFile: 'META-INF/signatures0.xml', files: ['a.pdf', 'b.docx', 'c notes.txt'] } });
      }
      expect(inputs.map(sha)).toEqual(before);
      expect(zipNames(out)).toEqual(['mimetype', 'a.pdf', 'b.docx', 'c notes.txt', 'META-INF/manifest.xml', 'META-INF/signatures0.xml']);
      expect(zipEntries(out)[0]).toMatchObject({ name: 'mimetype', method: 'none (stored)', offset: 0 });
      const x = extract(out, dir);
      const v = xmlsecVerify(x, 'META-INF/signatures0.xml', rig.ca.certPath);
      expect(v.ok, v.output).toBe(true);
      expect(v.output).toContain('SignedInfo References (ok/all): 4/4');
      const ver = await signet(['verify', out, '--trust', rig.ca.certPath, '--no-system-trust', '--json']);
      expect(ver.code, ver.stdout + ver.stderr).toBe(0);
      expect(ver.json).toMatchObject({
        valid: true,
        format: 'asice',
        container: { files: [{ name: 'a.pdf', mimeType: 'application/pdf' }, { name: 'b.docx' }, { name: 'c notes.txt', mimeType: 'text/plain' }], problems: [] },
        signatures: [{ index: 1, format: 'xades', valid: true, integrity: true, level: 'B-B', xades: { signatureFile: 'META-INF/signatures0.xml', covers: ['a.pdf', 'b.docx', 'c notes.txt'] } }],
      });
      const human = await signet(['verify', out, '--trust', rig.ca.certPath, '--no-system-trust']);
      expect(human.stdout).toContain('covers: a.pdf, b.docx, c notes.txt');
      // Tampered data file: xmlsec1 fails, and so does signet verify (exit 8).
      writeFileSync(path.join(x, 'a.pdf'), '%PDF-1.4\n% changed\n');
      expect(xmlsecVerify(x, 'META-INF/signatures0.xml', rig.ca.certPath).ok).toBe(false);
      const tampered = path.join(dir, `three-${k}`, 'tampered.asice');
      execFileSync('python3', ['-c', TAMPER, out, tampered, 'a.pdf']);
      const bad = await signet(['verify', tampered, '--trust', rig.ca.certPath, '--no-system-trust', '--json']);
      expect(bad.code).toBe(8);
      expect(bad.json).toMatchObject({ valid: false, signatures: [{ integrity: false, valid: false }] });
    }
  });

  it('default name from the first file; an existing --out is refused before any PIN (exit 2)', async () => {
    const inputs = threeFiles('default-name');
    const r = await signet(['sign', ...inputs, '--format', 'asice', ...key(STD.signRsa2048), ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as { output: string }[])[0]!.output).toBe(path.join(dir, 'default-name', 'a.asice'));
    const again = await signet(['sign', ...inputs, '--format', 'asice', '--out', path.join(dir, 'default-name', 'a.asice'), ...key(STD.signRsa2048), ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(again.code).toBe(2);
    expect(again.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('a wrong PIN fails the whole container (exit 3) and writes nothing', async () => {
    const inputs = threeFiles('wrong-pin');
    const out = path.join(dir, 'wrong-pin', 'x.asice');
    const r = await signet(['sign', ...inputs, '--format', 'asice', '--out', out, ...key(STD.signRsa2048), ...mod(), '--pin-stdin', '--json'], '000000\n');
    expect(r.code).toBe(3);
    expect(r.json).toMatchObject({ error: { code: 'PIN_INCORRECT' } });
    expect(existsSync(out)).toBe(false);
  });

  it('two inputs with the same name are refused (INVALID_INPUT, exit 2)', async () => {
    const a = writeInputs(path.join(dir, 'dup1'), { 'same.txt': 'one' });
    const b = writeInputs(path.join(dir, 'dup2'), { 'same.txt': 'two' });
    const r = await signet(['sign', ...a, ...b, '--format', 'asice', '--out', path.join(dir, 'dup.asice'), ...key(STD.signRsa2048), ...mod(), '--pin-stdin', '--json'], '123456\n');
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });
});
