/**
 * CAdES B-LT for a detached .p7s with the bundled CLI against the rig's OCSP responder and TSA:
 * the OCSP response goes into SignedData.crls (RFC 5940), the chain into certificates; openssl
 * cms -verify still accepts the signature over the untouched file, openssl ocsp verifies the
 * embedded response, and signet verify --offline reports B-LT. B-LTA for .p7s is refused clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData, id_ri_ocsp_response } from '@peculiar/asn1-cms';
import { provisionRig, startTsa, type Rig, type TsaService } from '../../rig';
import { cliEnv, runCli } from './support';

let rig: Rig;
let tsa: TsaService;
let dir: string;
let env: NodeJS.ProcessEnv;
let txt: string;

beforeAll(async () => {
  rig = await provisionRig({ tokens: [{ label: 'LTV', pin: '1234', keys: [{ name: 'cades-p256', keyType: 'EC' }] }], ocsp: true });
  tsa = await startTsa();
  dir = mkdtempSync(path.join(tmpdir(), 'signet-cades-ltv-'));
  env = cliEnv(rig, dir);
  txt = path.join(dir, 'notes.txt');
  writeFileSync(txt, 'long-term notes\n');
}, 180_000);
afterAll(async () => {
  await tsa?.stop();
  await rig?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sign = (out: string, level: string) =>
  runCli(['sign', txt, '--format', 'cades', '--key', rig.key('cades-p256').keyUri, '--module', rig.module, '--tsa', tsa.url, '--level', level, '--out', out, '--pin-stdin', '--json'], env, '1234\n');

function opensslCms(p7s: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', txt, '-CAfile', rig.ca.certPath, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function embeddedOcsp(p7s: string): Buffer[] {
  const ci = AsnConvert.parse(readFileSync(p7s), ContentInfo);
  const sd = AsnConvert.parse(ci.content, SignedData);
  return (sd.crls ?? []).filter((c) => c.other?.otherRevInfoFormat === id_ri_ocsp_response).map((c) => Buffer.from(c.other.otherRevInfo));
}

describe('CAdES B-LT (.p7s)', () => {
  it('sign --level LT: openssl cms verifies, the embedded OCSP response verifies with openssl ocsp, verify --offline says B-LT', async () => {
    const out = path.join(dir, 'lt.p7s');
    const r = await sign(out, 'LT');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject([{ level: 'LT', format: 'cades' }]);
    const c = opensslCms(out);
    expect(c.status, c.out).toBe(0);
    expect(c.out).toMatch(/Verification successful/);
    const ocsps = embeddedOcsp(out);
    expect(ocsps).toHaveLength(1);
    const f = path.join(dir, 'embedded.ocsp');
    writeFileSync(f, ocsps[0]!);
    const o = spawnSync('openssl', ['ocsp', '-respin', f, '-CAfile', rig.ca.certPath, '-resp_text'], { encoding: 'utf8' });
    expect(`${o.stdout}${o.stderr}`).toMatch(/Response verify OK/);

    await rig.ocsp!.stop();
    const v = await runCli(['verify', txt, '--signature', out, '--trust', rig.ca.certPath, '--no-system-trust', '--offline', '--json'], env);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ valid: true, signatures: [{ level: 'B-LT', revocation: { status: 'good' } }] });
  }, 120_000);

  it('--level LTA for a .p7s is refused with the reason before the card is used (no PIN read, nothing written)', async () => {
    const out = path.join(dir, 'lta.p7s');
    const lta = await runCli(['sign', txt, '--format', 'cades', '--key', rig.key('cades-p256').keyUri, '--module', rig.module, '--tsa', tsa.url, '--level', 'LTA', '--out', out, '--pin-stdin', '--json'], env, 'not-the-pin\n');
    expect(existsSync(out)).toBe(false);
    expect(lta.code).not.toBe(0);
    expect(lta.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/CAdES B-LTA/) } });
  }, 60_000);
});
