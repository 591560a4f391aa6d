/**
 * Every format × every signing key type of the rig, signed on SoftHSM2 through the token host
 * (TokenClient + KeySigner + core's DocumentSigner adapter), each output verified by tools we
 * did not write — openssl cms (CAdES), pdfsig with the rig's NSS db and qpdf (PAdES) — and by our
 * own verifier, which must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provisionRig, STD, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import { KeySigner } from '../../../electron/core/key-signer';
import { createKeyDocumentSigner } from '../../../electron/core/key-document-signer';
import { freeOutputPath, outputNameFor, signFiles, type DocumentFormat } from '../../../electron/core/signing';
import { verifyDocument } from '../../../electron/core/verify';
import { makeTestPdf, pdfsigSignatures, qpdfCheck } from '../../unit/documents/helpers/pdf-tools';
import { ScriptedPrompt } from './helpers';

let rig: Rig;
let client: TokenClient;
let keySigner: KeySigner;
let dir: string;
let nss: string;
const prompt = new ScriptedPrompt();

beforeAll(async () => {
  rig = await provisionRig();
  client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
  keySigner = new KeySigner(client);
  dir = mkdtempSync(path.join(tmpdir(), 'signet-doc-int-'));
  nss = rig.nssDb();
}, 180_000);
afterAll(async () => {
  await client?.close();
  await rig?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function pdfsig(file: string) {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' });
  return pdfsigSignatures(`${r.stdout}${r.stderr}`);
}

function opensslCms(p7s: string, content: string): void {
  execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, '-CAfile', rig.ca.certPath, '-out', '/dev/null'], { stdio: 'pipe' });
}

async function signOne(keyName: string, format: DocumentFormat, input: string, rsaScheme?: 'pss') {
  const key = rig.key(keyName);
  const signer = await createKeyDocumentSigner({ keySigner, client, keyUri: key.keyUri, pinPrompt: prompt, ...(rsaScheme ? { rsaScheme } : {}) });
  const outputPath = freeOutputPath(dir, outputNameFor(path.basename(input), format));
  const [r] = await signFiles([{ path: input, format, outputPath }], { signer, trustAnchors: [rig.ca.certDer], useSystemStore: false });
  if (!r?.ok) throw new Error(JSON.stringify(r));
  return r.outputPath;
}

const matrix: [string, 'pss' | undefined][] = [
  [STD.signRsa2048, undefined],
  [STD.signRsa2048, 'pss'],
  [STD.signRsa3072, undefined],
  [STD.signRsa3072, 'pss'],
  [STD.signP256, undefined],
  [STD.signP384, undefined],
  [STD.bSignP256, undefined],
];

describe('documents signed on SoftHSM2', () => {
  it.each(matrix)('CAdES with %s %s: openssl cms and our verifier accept; tampering fails both', async (keyName, scheme) => {
    prompt.reset([rig.key(keyName).token === 'Signet Test B' ? '654321' : '123456']);
    const input = path.join(dir, `${keyName}-${scheme ?? 'default'}.txt`);
    writeFileSync(input, `Contract between A and B, signed with ${keyName}\n`.repeat(50));
    const before = sha(input);
    const out = await signOne(keyName, 'cades', input, scheme);
    expect(sha(input)).toBe(before);
    opensslCms(out, input);
    const ours = await verifyDocument(input, out, { trustAnchors: [rig.ca.certDer], useSystemStore: false });
    expect(ours.valid, JSON.stringify(ours.signatures[0]?.errors)).toBe(true);
    expect(ours.signatures[0]!.signer).toContain(keyName);

    writeFileSync(input, 'Contract between A and C\n');
    expect(() => opensslCms(out, input)).toThrow();
    const tampered = await verifyDocument(input, out, { trustAnchors: [rig.ca.certDer], useSystemStore: false });
    expect(tampered.valid).toBe(false);
    expect(tampered.signatures[0]!.integrity).toBe(false);
  });

  it.each(matrix)('PAdES with %s %s: pdfsig (valid + trusted), qpdf and our verifier accept', async (keyName, scheme) => {
    prompt.reset([rig.key(keyName).token === 'Signet Test B' ? '654321' : '123456']);
    const input = path.join(dir, `${keyName}-${scheme ?? 'default'}.pdf`);
    writeFileSync(input, await makeTestPdf({ objectStreams: keyName.includes('p') }));
    const before = sha(input);
    const out = await signOne(keyName, 'pades', input, scheme);
    expect(sha(input)).toBe(before);
    expect(qpdfCheck(out).status).toBe(0);
    const sigs = pdfsig(out);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ validity: 'Signature is Valid.', trust: 'Certificate is Trusted.', wholeFile: true });
    const ours = await verifyDocument(out, undefined, { trustAnchors: [rig.ca.certDer], useSystemStore: false });
    expect(ours.valid, JSON.stringify(ours.signatures[0]?.errors)).toBe(true);
  });

  it('a PDF signed twice on two tokens (the second visible): both signatures valid for pdfsig and our verifier', async () => {
    const input = path.join(dir, 'twice.pdf');
    writeFileSync(input, await makeTestPdf({ withForm: true }));
    prompt.reset(['123456']);
    const first = await signOne(STD.signRsa2048, 'pades', input);
    prompt.reset(['654321']);
    const signer = await createKeyDocumentSigner({ keySigner, client, keyUri: rig.key(STD.bSignP256).keyUri, pinPrompt: prompt });
    const [r] = await signFiles([{ path: first, format: 'pades', outputPath: path.join(dir, 'twice-2.pdf') }], {
      signer,
      trustAnchors: [rig.ca.certDer],
      useSystemStore: false,
      visible: { page: 1, rect: { x: 320, y: 40, width: 240, height: 80 }, reason: 'Second approval' },
    });
    if (!r?.ok) throw new Error(JSON.stringify(r));
    expect(qpdfCheck(r.outputPath).status).toBe(0);
    const sigs = pdfsig(r.outputPath);
    expect(sigs.map((x) => [x.validity, x.trust, x.wholeFile])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.', false],
      ['Signature is Valid.', 'Certificate is Trusted.', true],
    ]);
    const ours = await verifyDocument(r.outputPath, undefined, { trustAnchors: [rig.ca.certDer], useSystemStore: false });
    expect(ours.signatures.map((x) => [x.valid, x.pdf?.coversWholeDocument, x.pdf?.laterRevisions])).toEqual([
      [true, false, 1],
      [true, true, 0],
    ]);
  });

  it('a batch needs one login; an always-authenticate key asks a PIN per signature', async () => {
    const files = [1, 2, 3].map((i) => {
      const f = path.join(dir, `batch-${i}.txt`);
      writeFileSync(f, `file ${i}\n`);
      return f;
    });
    await client.logout(rig.token('Signet Test A').uri).catch(() => undefined);
    prompt.reset(['123456']);
    const signer = await createKeyDocumentSigner({ keySigner, client, keyUri: rig.key(STD.signP256).keyUri, pinPrompt: prompt });
    const items = files.map((f) => ({ path: f, format: 'cades' as const, outputPath: `${f}.p7s` }));
    const res = await signFiles(items, { signer, trustAnchors: [rig.ca.certDer], useSystemStore: false });
    expect(res.every((r) => r.ok)).toBe(true);
    expect(prompt.requests.map((r) => r.kind)).toEqual(['login']);
    // The PIN dialog names the batch; the token is logged out when the batch ends (issue 8).
    expect(prompt.requests[0]!.action).toEqual({ purpose: 'sign-documents', documents: ['batch-1.txt', 'batch-2.txt', 'batch-3.txt'] });
    expect((await client.tokenStatus(rig.token('Signet Test A').uri)).loggedIn).toBe(false);
    for (const f of files) opensslCms(`${f}.p7s`, f);

    // Always-authenticate: a new batch, so a new login, then a context PIN per signature.
    prompt.reset(['123456', '123456', '123456']);
    const aa = await createKeyDocumentSigner({ keySigner, client, keyUri: rig.key(STD.alwaysAuthRsa2048).keyUri, pinPrompt: prompt });
    const items2 = files.slice(0, 2).map((f) => ({ path: f, format: 'cades' as const, outputPath: `${f}.aa.p7s` }));
    const res2 = await signFiles(items2, { signer: aa, trustAnchors: [rig.ca.certDer], useSystemStore: false });
    expect(res2.every((r) => r.ok), JSON.stringify(res2)).toBe(true);
    expect(prompt.requests.map((r) => r.kind)).toEqual(['login', 'signature', 'signature']);
    for (const f of files.slice(0, 2)) opensslCms(`${f}.aa.p7s`, f);
  });

  it('cancelling the PIN stops the batch: no output, every file reported', async () => {
    await client.logout(rig.token('Signet Test A').uri).catch(() => undefined);
    prompt.reset([null]);
    const f = path.join(dir, 'cancel.txt');
    writeFileSync(f, 'x');
    const signer = await createKeyDocumentSigner({ keySigner, client, keyUri: rig.key(STD.signP256).keyUri, pinPrompt: prompt });
    const res = await signFiles(
      [
        { path: f, format: 'cades', outputPath: `${f}.p7s` },
        { path: f, format: 'cades', outputPath: `${f}.2.p7s` },
      ],
      { signer, trustAnchors: [rig.ca.certDer], useSystemStore: false },
    );
    expect(res.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['USER_CANCELLED', 'USER_CANCELLED']);
    expect(prompt.requests).toHaveLength(1);
    expect(spawnSync('ls', [`${f}.p7s`]).status).not.toBe(0);
  });

  it('expired and authentication-only certificates are refused before any PIN is asked', async () => {
    await client.logout(rig.token('Signet Test A').uri).catch(() => undefined);
    prompt.reset(['123456']);
    const f = path.join(dir, 'refuse.txt');
    writeFileSync(f, 'x');
    const expired = await createKeyDocumentSigner({ keySigner, client, keyUri: rig.key(STD.expiredRsa2048).keyUri, pinPrompt: prompt });
    await expect(signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: expired })).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    const auth = await createKeyDocumentSigner({ keySigner, client, keyUri: rig.key(STD.authP256).keyUri, pinPrompt: prompt });
    await expect(signFiles([{ path: f, format: 'cades', outputPath: `${f}.p7s` }], { signer: auth })).rejects.toMatchObject({ code: 'KEY_PURPOSE_MISMATCH' });
    expect(prompt.requests).toHaveLength(0);
  });
});
