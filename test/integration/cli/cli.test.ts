/**
 * `signet` as a real child process (node dist/cli.js): the design's CLI contract — `--json`
 * shapes, exit codes, `--pin-stdin` — and PIN secrecy (never in argv, env, output or logs).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFaultModule, provisionRig, type FaultModule, type Rig } from '../../rig';
import { digestOf, opensslVerify, waitFor } from '../native/helpers';
import { CLI, runCli, signetEnv, startCli } from './run-cli';

let rig: Rig;
let env: Record<string, string>;
let mod: string[];

beforeAll(async () => {
  rig = await provisionRig();
  env = { ...signetEnv(path.join(rig.dir, 'cli')), ...rig.env };
  mod = ['--module', rig.module];
});
afterAll(async () => {
  await rig?.cleanup();
});

const TOKEN_KEYS = ['flags', 'label', 'manufacturer', 'maxPinLength', 'mechanisms', 'minPinLength', 'model', 'module', 'serial', 'slotId', 'uri'];
const FLAG_KEYS = ['loginRequired', 'pinCountLow', 'pinFinalTry', 'pinLocked', 'pinToBeChanged', 'protectedAuthPath', 'tokenInitialized'];
const CERT_KEYS = ['alwaysAuthenticate', 'certificate', 'fingerprintSha256', 'id', 'issuer', 'keyType', 'label', 'notAfter', 'notBefore', 'purposes', 'serialNumber', 'subject', 'token', 'uri'];

describe('signet modules / tokens / certs', () => {
  it('modules --json: loaded modules with CK_INFO, failing ones with their error (exit 0 unless all fail)', async () => {
    const r = await runCli(['modules', '--json', ...mod, '--module', '/no/such/module.so'], { env });
    expect(r.code).toBe(0);
    const list = r.json as { path: string; source: string; loaded: boolean; error?: { code: string }; info?: { manufacturer: string } }[];
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ source: 'argument', loaded: true, info: { manufacturer: expect.stringContaining('SoftHSM') } });
    expect(Object.keys(list[0]!).sort()).toEqual(['critical', 'info', 'loaded', 'path', 'proxy', 'source']);
    expect(list[0]).toMatchObject({ critical: true, proxy: false });
    expect(list[1]).toMatchObject({ path: '/no/such/module.so', loaded: false, error: { code: 'MODULE_LOAD_FAILED' } });
    const bad = await runCli(['modules', '--json', '--module', '/no/such/module.so'], { env });
    expect(bad.code).toBe(7);
  });

  it('tokens --json: exactly the contract fields', async () => {
    const r = await runCli(['tokens', '--json', ...mod], { env });
    expect(r.code).toBe(0);
    const tokens = r.json as Record<string, unknown>[];
    for (const t of tokens) {
      expect(Object.keys(t).sort()).toEqual(TOKEN_KEYS);
      expect(Object.keys(t.flags as object).sort()).toEqual(FLAG_KEYS);
    }
    const a = tokens.find((t) => t.label === 'Signet Test A')!;
    expect(a.serial).toBe(rig.token('Signet Test A').serial);
    expect(a.mechanisms).toEqual(expect.arrayContaining(['CKM_RSA_PKCS', 'CKM_ECDSA']));
    expect(tokens.some((t) => (t.flags as { tokenInitialized: boolean }).tokenInitialized === false)).toBe(true);
    // Human output too.
    const h = await runCli(['tokens', ...mod], { env });
    expect(h.stdout).toContain('Signet Test A');
  });

  it('certs --json: contract fields, values as openssl sees them, purposes, key URIs', async () => {
    const r = await runCli(['certs', '--json', ...mod], { env });
    expect(r.code).toBe(0);
    const certs = r.json as Record<string, unknown>[];
    expect(certs).toHaveLength(rig.tokens.reduce((n, t) => n + t.keys.length, 0));
    for (const c of certs) {
      const keys = Object.keys(c).filter((k) => !['keyUri', 'keySize', 'curve'].includes(k)).sort();
      expect(keys).toEqual(CERT_KEYS);
    }
    const sign = certs.find((c) => c.label === 'sign-rsa2048')!;
    const k = rig.key('sign-rsa2048');
    expect(sign.serialNumber).toBe(k.serialHex);
    expect(sign.fingerprintSha256).toBe(execFileSync('openssl', ['x509', '-in', k.certPath, '-noout', '-fingerprint', '-sha256']).toString().trim().replace(/^.*=/, '').replace(/:/g, '').toLowerCase());
    expect(sign.subject).toBe(execFileSync('openssl', ['x509', '-in', k.certPath, '-noout', '-subject', '-nameopt', 'RFC2253']).toString().trim().replace(/^subject=/, ''));
    // SoftHSM2 hides private keys before login: whether the key needs a PIN per signature is unknown (null).
    expect(sign).toMatchObject({ keyType: 'RSA', keySize: 2048, purposes: ['signing'], alwaysAuthenticate: null, keyUri: expect.stringContaining('id=%01;type=private') });
    expect(certs.find((c) => c.label === 'auth-p256')).toMatchObject({ keyType: 'EC', curve: 'P-256', keySize: 256, purposes: ['authentication'] });
    expect(Buffer.from(sign.certificate as string, 'base64').equals(k.certDer)).toBe(true);
    const onlyB = await runCli(['certs', '--json', ...mod, '--token', rig.token('Signet Test B').uri], { env });
    expect((onlyB.json as unknown[]).length).toBe(1);
  });
});

describe('signet sign-hash', () => {
  const signHash = (key: string, hash: string, extra: string[], input: string) => runCli(['sign-hash', '--json', ...mod, '--key', key, '--hash', hash, '--pin-stdin', ...extra], { env, input });

  it.each([
    ['sign-rsa2048', 'sha256', 'pkcs1'],
    ['sign-rsa3072', 'sha384', 'pss'],
    ['sign-p256', 'sha256', 'ecdsa'],
    ['sign-p384', 'sha384', 'ecdsa'],
  ] as const)('%s %s %s → {signature, scheme, hashAlg, certificate}, verified by openssl', async (name, hashAlg, scheme) => {
    const key = rig.key(name);
    const data = Buffer.from(`cli ${name}`);
    const r = await signHash(key.keyUri, digestOf(data, hashAlg).toString('hex'), ['--hash-alg', hashAlg, '--scheme', scheme], `${rig.token('Signet Test A').pin}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.json as { signature: string; scheme: string; hashAlg: string; certificate: string };
    expect(Object.keys(out).sort()).toEqual(['certificate', 'hashAlg', 'scheme', 'signature']);
    expect(out).toMatchObject({ scheme, hashAlg });
    expect(Buffer.from(out.certificate, 'base64').equals(key.certDer)).toBe(true);
    expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data, signature: Buffer.from(out.signature, 'base64'), hash: hashAlg, pss: scheme === 'pss' })).toBe(true);
  });

  it('ECDSA raw output and an always-authenticate key (second stdin line = signature PIN; none: the first line again)', async () => {
    const p256 = rig.key('sign-p256');
    const raw = await signHash(p256.keyUri, digestOf('x', 'sha256').toString('hex'), ['--ecdsa-format', 'raw'], '123456\n');
    expect(Buffer.from((raw.json as { signature: string }).signature, 'base64')).toHaveLength(64);
    const aa = rig.key('always-auth-rsa2048');
    const r = await signHash(aa.keyUri, digestOf('aa', 'sha256').toString('hex'), [], '123456\n123456\n');
    expect(r.code).toBe(0);
    expect(opensslVerify({ publicKeyPem: aa.publicKeyPem, data: Buffer.from('aa'), signature: Buffer.from((r.json as { signature: string }).signature, 'base64'), hash: 'sha256' })).toBe(true);
    // No second line: the per-signature PIN reuses the first (pkcs11-tool --pin does the same).
    const reused = await signHash(aa.keyUri, digestOf('ab', 'sha256').toString('hex'), [], '123456\n');
    expect(reused.code).toBe(0);
    expect(opensslVerify({ publicKeyPem: aa.publicKeyPem, data: Buffer.from('ab'), signature: Buffer.from((reused.json as { signature: string }).signature, 'base64'), hash: 'sha256' })).toBe(true);
    // A further line is used instead: a wrong one fails, so it was read.
    const second = await signHash(aa.keyUri, digestOf('ac', 'sha256').toString('hex'), [], '123456\n000000\n');
    expect(second.code).toBe(3);
    expect(second.json).toMatchObject({ error: { code: 'PIN_INCORRECT' } });
  });

  it.each([
    { name: 'wrong PIN', args: ['--key', 'KEY', '--hash', 'H32'], input: '000000\n', exit: 3, code: 'PIN_INCORRECT' },
    { name: 'PIN too short', args: ['--key', 'KEY', '--hash', 'H32'], input: '12\n', exit: 3, code: 'PIN_LEN_RANGE' },
    { name: 'no PIN on stdin', args: ['--key', 'KEY', '--hash', 'H32'], input: '', exit: 2, code: 'INVALID_INPUT' },
    { name: 'unknown key', args: ['--key', 'TOKEN;id=%7F;type=private', '--hash', 'H32'], input: '123456\n', exit: 5, code: 'KEY_NOT_FOUND' },
    { name: 'unknown token', args: ['--key', 'pkcs11:token=Nope;id=%01', '--hash', 'H32'], input: '123456\n', exit: 5, code: 'NO_TOKEN' },
    { name: 'digest of the wrong length', args: ['--key', 'KEY', '--hash', 'abcd', '--hash-alg', 'sha256'], input: '123456\n', exit: 2, code: 'INVALID_INPUT' },
    { name: 'not hex', args: ['--key', 'KEY', '--hash', 'zz'], input: '123456\n', exit: 2, code: 'INVALID_INPUT' },
    { name: 'bad scheme value', args: ['--key', 'KEY', '--hash', 'H32', '--scheme', 'rsa'], input: '', exit: 2, code: 'INVALID_INPUT' },
    { name: 'ecdsa on an RSA key', args: ['--key', 'KEY', '--hash', 'H32', '--scheme', 'ecdsa'], input: '123456\n', exit: 2, code: 'INVALID_INPUT' },
    { name: 'missing --key', args: ['--hash', 'H32'], input: '', exit: 2, code: 'INVALID_INPUT' },
    { name: 'unknown option', args: ['--key', 'KEY', '--hash', 'H32', '--pin', '123456'], input: '', exit: 2, code: 'INVALID_INPUT' },
  ])("$name → exit $exit, error $code", async ({ args, input, exit, code }) => {
    const a = rig.token('Signet Test A');
    const subst = args.map((x) => x.replace('KEY', rig.key('sign-rsa2048').keyUri).replace('TOKEN', a.uri).replace('H32', 'ab'.repeat(32)));
    const r = await runCli(['sign-hash', '--json', ...mod, '--pin-stdin', ...subst], { env, input });
    expect(r.code).toBe(exit);
    expect(r.json).toMatchObject({ error: { code, message: expect.any(String) } });
    // Without --json the error goes to stderr and stdout stays empty.
    const plain = await runCli(['sign-hash', ...mod, '--pin-stdin', ...subst], { env, input });
    expect(plain.code).toBe(exit);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain(`[${code}]`);
  });

  it('a crashing module: exit 7, MODULE_CRASHED', async () => {
    const crash: FaultModule = await buildFaultModule('crash-on-sign', { rig });
    const r = await runCli(['sign-hash', '--json', '--module', crash.path, '--key', rig.key('sign-rsa2048').keyUri, '--hash', 'ab'.repeat(32), '--pin-stdin'], { env: { ...env, ...crash.env }, input: '123456\n' });
    expect(r.code).toBe(7);
    expect(r.json).toMatchObject({ error: { code: 'MODULE_CRASHED' } });
  });
});

describe('PIN secrecy', () => {
  it('the PIN is never in argv, the environment (CLI or token host), stdout, stderr or the log', async () => {
    const hang = await buildFaultModule('hang-on-sign', { rig });
    const a = rig.token('Signet Test A');
    const pinText = a.pin;
    // Earlier tests of this file log their logins to the same file: wait for a line after this point.
    const logFile = path.join(env.SIGNET_LOG_DIR!, 'signet-cli.log');
    const logStart = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
    const run = startCli(['sign-hash', '--json', '--verbose', '--module', hang.path, '--key', rig.key('sign-rsa2048').keyUri, '--hash', 'ab'.repeat(32), '--pin-stdin'], {
      env: { ...env, ...hang.env },
      input: `${pinText}\n`,
    });
    const pid = run.child.pid!;
    // The login has happened and C_Sign hangs in the host: look at both processes now.
    const children = (): number[] => {
      try {
        return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };
    await waitFor(() => existsSync(logFile) && readFileSync(logFile, 'utf8').slice(logStart).includes('login'), 20_000, 'login logged');
    await new Promise((r) => setTimeout(r, 300));
    const procs = [pid, ...children()];
    expect(procs.length).toBeGreaterThanOrEqual(2);
    for (const p of procs) {
      for (const f of ['cmdline', 'environ']) {
        const content = readFileSync(`/proc/${p}/${f}`).toString('latin1');
        expect(content.includes(pinText), `${f} of ${p}`).toBe(false);
      }
    }
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.stdout.includes(pinText)).toBe(false);
    expect(r.stderr.includes(pinText)).toBe(false);
    for (const f of readdirSync(env.SIGNET_LOG_DIR!)) expect(readFileSync(path.join(env.SIGNET_LOG_DIR!, f), 'utf8').includes(pinText)).toBe(false);
  });
});

describe('interactive PIN prompt (a real pseudo-terminal through script(1))', () => {
  it('asks without echo; after a wrong PIN the user is asked again', async () => {
    const key = rig.key('sign-rsa2048');
    const data = Buffer.from('typed PIN');
    const hex = digestOf(data, 'sha256').toString('hex');
    const cmd = [process.execPath, CLI, 'sign-hash', '--json', '--module', rig.module, '--key', key.keyUri, '--hash', hex].map((a) => `'${a}'`).join(' ');
    // The user types a wrong PIN, then the right one (each after the prompt has appeared).
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const prompts = (): number => out.split('PIN for').length - 1;
    await waitFor(() => prompts() === 1, 20_000, 'first prompt');
    child.stdin.write('111111\r');
    await waitFor(() => prompts() === 2, 20_000, 'second prompt');
    expect(out).toContain('Wrong PIN.');
    child.stdin.write(`${rig.token('Signet Test A').pin}\r`);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out.includes(rig.token('Signet Test A').pin)).toBe(false);
    expect(out.includes('111111')).toBe(false);
    const json = JSON.parse(out.slice(out.indexOf('{'))) as { signature: string };
    expect(opensslVerify({ publicKeyPem: key.publicKeyPem, data, signature: Buffer.from(json.signature, 'base64'), hash: 'sha256' })).toBe(true);
  });
});

describe('signet demo init', () => {
  it('provisions a demo token through PKCS#11, records it, signs with it; re-running refreshes it', async () => {
    const demoEnv = signetEnv(path.join(rig.dir, 'demo-home'));
    const first = await runCli(['demo', 'init', '--json'], { env: demoEnv });
    expect(first.code).toBe(0);
    const d = first.json as { module: string; softhsmConf: string; token: string; pin: string };
    expect(Object.keys(d).sort()).toEqual(['module', 'pin', 'softhsmConf', 'token']);
    expect(d.pin).toMatch(/^\d{6}$/);
    expect(d.softhsmConf.startsWith(demoEnv.SIGNET_DATA_DIR!)).toBe(true);
    const config = JSON.parse(readFileSync(path.join(demoEnv.SIGNET_CONFIG_DIR!, 'config.json'), 'utf8'));
    expect(config.demo).toMatchObject({ module: d.module, tokenUri: d.token, env: { SOFTHSM2_CONF: d.softhsmConf } });
    const caPath = config.demo.caCertPath as string;

    // Later commands find the demo token without --module or SOFTHSM2_CONF.
    const certs = (await runCli(['certs', '--json', '--token', d.token], { env: demoEnv })).json as { purposes: string[]; keyUri: string; certificate: string; keyType: string }[];
    expect(certs).toHaveLength(2);
    const signing = certs.find((c) => c.purposes.includes('signing'))!;
    const auth = certs.find((c) => c.purposes.includes('authentication'))!;
    expect(signing.purposes).toEqual(['signing']);
    expect(auth.purposes).toEqual(['authentication']);
    // The demo CA issued both (openssl verify, an independent check).
    for (const c of [signing, auth]) {
      const pem = path.join(rig.dir, `demo-${c.keyType}.pem`);
      writeFileSync(pem, `-----BEGIN CERTIFICATE-----\n${c.certificate.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
      expect(execFileSync('openssl', ['verify', '-CAfile', caPath, pem]).toString()).toContain(': OK');
    }
    const data = Buffer.from('demo document');
    const s = await runCli(['sign-hash', '--json', '--key', signing.keyUri, '--hash', digestOf(data, 'sha256').toString('hex'), '--pin-stdin'], { env: demoEnv, input: `${d.pin}\n` });
    expect(s.code).toBe(0);
    const pub = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: `-----BEGIN CERTIFICATE-----\n${signing.certificate}\n-----END CERTIFICATE-----\n` }).toString();
    expect(opensslVerify({ publicKeyPem: pub, data, signature: Buffer.from((s.json as { signature: string }).signature, 'base64'), hash: 'sha256' })).toBe(true);

    // Refresh: a new token replaces the old one, the old PIN no longer works.
    const second = await runCli(['demo', 'init', '--json'], { env: demoEnv });
    expect(second.code).toBe(0);
    const d2 = second.json as { token: string; pin: string };
    expect(d2.token).not.toBe(d.token);
    const tokens = (await runCli(['tokens', '--json'], { env: demoEnv })).json as { uri: string }[];
    expect(tokens.some((t) => t.uri === d2.token)).toBe(true);
    expect(tokens.some((t) => t.uri === d.token)).toBe(false);
    expect(readdirSync(path.join(demoEnv.SIGNET_DATA_DIR!, 'demo')).filter((n) => n.startsWith('tokens-'))).toHaveLength(1);
  });
});

describe('usage', () => {
  it('help and unknown commands', async () => {
    const help = await runCli(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('sign-hash');
    expect((await runCli([], { env })).code).toBe(2);
    const unknown = await runCli(['frobnicate', '--json'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    const cmdHelp = await runCli(['sign-hash', '--help'], { env });
    expect(cmdHelp.code).toBe(0);
    expect(cmdHelp.stdout).toContain('--pin-stdin');
  });
});
