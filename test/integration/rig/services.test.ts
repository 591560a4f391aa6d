// The rig's local services answer as real ones do, checked with openssl's own clients:
// OCSP (good / revoked, live revocation, nonce, GET), CRL, and the RFC 3161 TSA.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { provisionRig, startOcsp, startTsa, type Rig, type RigKey, type TsaService } from '../../rig';

function ocspCheck(rig: Rig, key: RigKey, url: string, extra: string[] = []): string {
  const issuer = key.issuer.certPath;
  const r = spawnSync(
    'openssl',
    ['ocsp', '-issuer', issuer, '-cert', key.certPath, '-url', url, '-CAfile', rig.ca.certPath, '-verify_other', rig.intermediate.certPath, ...extra],
    { encoding: 'utf8' },
  );
  return r.stdout + r.stderr;
}

describe('OCSP responder and CRL server', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await provisionRig({
      ocsp: true,
      crl: true,
      tokens: [
        {
          label: 'OCSP',
          pin: '1234',
          keys: [
            { name: 'good', keyType: 'EC' },
            { name: 'bad', keyType: 'EC' },
            { name: 'later', keyType: 'EC' },
            { name: 'int', keyType: 'EC', issuer: 'intermediate' },
          ],
        },
      ],
      revoked: ['bad'],
    });
  });
  afterAll(async () => {
    await rig?.cleanup();
  });

  test('leaves carry the responder and CRL URLs', () => {
    const text = execFileSync('openssl', ['x509', '-in', rig.key('good').certPath, '-noout', '-text'], { encoding: 'utf8' });
    expect(rig.ocsp?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ocsp$/);
    expect(text).toContain(`OCSP - URI:${rig.ocsp?.url}`);
    expect(text).toContain(`URI:${rig.crl?.url}/root.crl`);
    const intText = execFileSync('openssl', ['x509', '-in', rig.key('int').certPath, '-noout', '-text'], { encoding: 'utf8' });
    expect(intText).toContain(`URI:${rig.crl?.url}/intermediate.crl`);
  });

  test('good, revoked, and revocation after start (answers are live)', async () => {
    const url = rig.ocsp?.url ?? '';
    const good = ocspCheck(rig, rig.key('good'), url);
    expect(good).toContain('Response verify OK');
    expect(good).toContain(`${rig.key('good').certPath}: good`);
    // openssl ocsp sends a nonce and complains when the answer lacks it.
    expect(good).not.toContain('no nonce');
    const bad = ocspCheck(rig, rig.key('bad'), url);
    expect(bad).toContain(`${rig.key('bad').certPath}: revoked`);
    expect(bad).toContain('Reason: keyCompromise');
    expect(ocspCheck(rig, rig.key('later'), url)).toContain(': good');
    await rig.revoke('later', 'superseded');
    const later = ocspCheck(rig, rig.key('later'), url);
    expect(later).toContain(': revoked');
    expect(later).toContain('Reason: superseded');
  });

  test('certificates of the intermediate CA are answered and signed by the intermediate', () => {
    const out = ocspCheck(rig, rig.key('int'), rig.ocsp?.url ?? '', ['-resp_text']);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(': good');
    expect(out).toMatch(/Responder Id: .*CN ?= ?Signet Test Intermediate CA/);
  });

  test('GET requests (RFC 6960 A.1) work too', async () => {
    const req = path.join(rig.dir, 'get.req');
    execFileSync('openssl', ['ocsp', '-issuer', rig.ca.certPath, '-cert', rig.key('bad').certPath, '-reqout', req, '-no_nonce']);
    const res = await fetch(`${rig.ocsp?.url}/${encodeURIComponent(fs.readFileSync(req).toString('base64'))}`);
    expect(res.headers.get('content-type')).toBe('application/ocsp-response');
    const resp = path.join(rig.dir, 'get.resp');
    fs.writeFileSync(resp, Buffer.from(await res.arrayBuffer()));
    const r = spawnSync('openssl', ['ocsp', '-respin', resp, '-CAfile', rig.ca.certPath, '-issuer', rig.ca.certPath, '-cert', rig.key('bad').certPath], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain(': revoked');
  });

  test('startOcsp(rig, { fault }) misbehaves on request', async () => {
    const tryLater = await startOcsp(rig, { fault: 'tryLater' });
    const http500 = await startOcsp(rig, { fault: 'http-error' });
    try {
      expect(ocspCheck(rig, rig.key('good'), tryLater.url)).toMatch(/Responder Error: trylater/i);
      const res = await fetch(http500.url, { method: 'POST', body: Buffer.from([0x30, 0x00]) });
      expect(res.status).toBe(500);
    } finally {
      await tryLater.stop();
      await http500.stop();
    }
  });

  test('the CRL lists revoked certificates, and openssl verify -crl_check rejects them', async () => {
    const res = await fetch(`${rig.crl?.url}/root.crl`);
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    const der = path.join(rig.dir, 'root.crl');
    fs.writeFileSync(der, Buffer.from(await res.arrayBuffer()));
    const pem = path.join(rig.dir, 'root-crl.pem');
    execFileSync('openssl', ['crl', '-inform', 'DER', '-in', der, '-out', pem]);
    const text = execFileSync('openssl', ['crl', '-in', pem, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toContain(`Serial Number: ${rig.key('bad').serialHex}`);
    expect(text).not.toContain(`Serial Number: ${rig.key('good').serialHex}`);
    const bad = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', rig.ca.certPath, '-CRLfile', pem, rig.key('bad').certPath], { encoding: 'utf8' });
    expect(bad.stdout + bad.stderr).toContain('certificate revoked');
    const good = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', rig.ca.certPath, '-CRLfile', pem, rig.key('good').certPath], { encoding: 'utf8' });
    expect(good.status, good.stderr).toBe(0);
    expect((await rig.crlDer('root')).length).toBeGreaterThan(100);
  });

  test('cleanup stops the services', async () => {
    const other = await provisionRig({ ocsp: true, tokens: [{ label: 'T', pin: '1234', keys: [] }] });
    const url = other.ocsp?.url ?? '';
    await other.cleanup();
    await expect(fetch(url, { method: 'POST', body: Buffer.alloc(2) })).rejects.toThrow();
  });
});

describe('RFC 3161 TSA', () => {
  let tsa: TsaService;
  let dir: string;

  beforeAll(async () => {
    tsa = await startTsa();
    dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'signet-tsa-test-'));
  });
  afterAll(async () => {
    await tsa?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function timestamp(queryArgs: string[]): Promise<{ query: string; reply: string }> {
    const data = path.join(dir, 'data.txt');
    fs.writeFileSync(data, 'document to timestamp\n');
    const query = path.join(dir, `q-${queryArgs.join('')}.tsq`);
    execFileSync('openssl', ['ts', '-query', '-data', data, '-sha256', ...queryArgs, '-out', query]);
    const res = await fetch(tsa.url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: fs.readFileSync(query) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    const reply = path.join(dir, `r-${queryArgs.join('')}.tsr`);
    fs.writeFileSync(reply, Buffer.from(await res.arrayBuffer()));
    return { query, reply };
  }

  test('the TSA certificate has the critical timeStamping EKU and chains to the test CA', () => {
    const text = execFileSync('openssl', ['x509', '-in', tsa.tsaCertPath, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s*\n\s+Time Stamping/);
    const r = spawnSync('openssl', ['verify', '-CAfile', tsa.caCertPath, '-purpose', 'timestampsign', tsa.tsaCertPath], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  test('answers a query with nonce and certReq; openssl ts -verify accepts the reply', async () => {
    const { query, reply } = await timestamp(['-cert']);
    const v = spawnSync('openssl', ['ts', '-verify', '-in', reply, '-queryfile', query, '-CAfile', tsa.caCertPath], { encoding: 'utf8' });
    expect(v.stdout + v.stderr).toContain('Verification: OK');
    const q = execFileSync('openssl', ['ts', '-query', '-in', query, '-text'], { encoding: 'utf8' });
    const r = execFileSync('openssl', ['ts', '-reply', '-in', reply, '-text'], { encoding: 'utf8' });
    const nonce = /Nonce: (\S+)/.exec(q)?.[1];
    expect(nonce).toBeDefined();
    expect(r).toContain(`Nonce: ${nonce}`);
    expect(r).toContain('Status: Granted.');
  });

  test('without certReq the token carries no certificate (verify needs it given)', async () => {
    const { query, reply } = await timestamp([]);
    const token = path.join(dir, 'token.der');
    execFileSync('openssl', ['ts', '-reply', '-in', reply, '-token_out', '-out', token]);
    const certs = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', token, '-print_certs'], { encoding: 'utf8' });
    expect(certs).not.toContain('BEGIN CERTIFICATE');
    const v = spawnSync('openssl', ['ts', '-verify', '-in', reply, '-queryfile', query, '-CAfile', tsa.caCertPath, '-untrusted', tsa.tsaCertPath], { encoding: 'utf8' });
    expect(v.stdout + v.stderr).toContain('Verification: OK');
  });

  test('faults: HTTP 500 and garbage', async () => {
    const broken = await startTsa({ fault: 'http-error' });
    try {
      expect((await fetch(broken.url, { method: 'POST', body: Buffer.alloc(4) })).status).toBe(500);
    } finally {
      await broken.stop();
    }
    expect(fs.existsSync(broken.tsaCertPath)).toBe(false);
  });
});
