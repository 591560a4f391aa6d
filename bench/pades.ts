/**
 * bench/pades — PAdES signing of a large PDF (issue 3 target: peak RSS ≤ 1.5× the file size for
 * a 200 MB PDF).
 *
 *   node bench/run-ts.mjs bench/pades.ts [--size-mb 200] [--rounds 3]
 *
 * The test PDF (made once with pdf-lib: pages that each show a large image XObject, like a scan)
 * is signed by a child process running the real path — readWholeFile → signPdf (the bounded
 * reader over the Buffer: only the objects signing needs, incremental update) → writeOutput — with an RSA software key (node:crypto, PKCS#1
 * v1.5 over DigestInfo; a card only changes the time spent in C_Sign). Peak RSS is the child's
 * getrusage maxrss. Baselines in the same run: `cp` of the file (the least any signer must do to
 * write a signed copy), and a Node child that only reads the file into a Buffer (1× + Node).
 * The output is checked with pdfsig ("Signature is Valid").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { constants, createPrivateKey, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyProfile, maxSignatureLength, type DocumentSigner } from '../electron/core/document-signer';
import { signPdf } from '../electron/core/formats/pades/sign';
import { readWholeFile } from '../electron/core/signing/read-file';
import { writeOutput } from '../electron/core/signing/write-output';
import type { HashAlg } from '../native/types';
import { makeLargePdf } from './pdf-fixtures';
import { peakRssKiB } from './peak-rss';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

const DIGEST_INFO_SHA256 = Buffer.from('3031300d060960864801650304020105000420', 'hex');

async function child(): Promise<void> {
  const mode = arg('mode', 'sign');
  const file = arg('file', '');
  const t0 = process.hrtime.bigint();
  if (mode === 'read') {
    await readWholeFile(file);
  } else {
    const keyPem = readFileSync(arg('key', ''), 'utf8');
    const certDer = new Uint8Array(readFileSync(arg('cert', '')));
    const key = createPrivateKey(keyPem);
    const signer: DocumentSigner = {
      certificate: certDer,
      extraCertificates: [],
      scheme: 'pkcs1',
      maxSignatureLength: maxSignatureLength(keyProfile(certDer)),
      async sign(digest: Uint8Array, hash: HashAlg) {
        if (hash !== 'sha256') throw new Error('bench signer: sha256 only');
        return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO_SHA256, digest]));
      },
    };
    const { bytes } = await readWholeFile(file);
    const out = await signPdf({ pdf: bytes, signer, hash: 'sha256', chain: [], signingTime: new Date(), signerName: 'Bench Signer' });
    await writeOutput(arg('out', ''), [out.original, out.update], { pickFreeName: false });
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, maxRssKiB: peakRssKiB() }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  const sizeMb = Number(arg('size-mb', '200'));
  const rounds = Number(arg('rounds', '3'));
  const tmp = mkdtempSync(path.join(tmpdir(), 'signet-bench-pades-'));
  try {
    const pdf = path.join(tmp, 'big.pdf');
    process.stdout.write(`making a ~${sizeMb} MB PDF… `);
    await makeLargePdf(pdf, sizeMb);
    const size = statSync(pdf).size;
    process.stdout.write(`${(size / 1e6).toFixed(1)} MB\n`);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPath = path.join(tmp, 'k.pem');
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const certPem = path.join(tmp, 'c.pem');
    execFileSync('openssl', ['req', '-new', '-x509', '-key', keyPath, '-subj', '/CN=Bench Signer', '-days', '30', '-addext', 'keyUsage=critical,nonRepudiation', '-out', certPem]);
    const certDer = path.join(tmp, 'c.der');
    execFileSync('openssl', ['x509', '-in', certPem, '-outform', 'DER', '-out', certDer]);

    const self = process.argv[1]!;
    const runChild = (args: string[]) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [self, '--child', ...args], { encoding: 'utf8' });
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(r.stderr);
      return { ...(JSON.parse(r.stdout) as { ms: number; maxRssKiB: number }), wall };
    };
    const cp: number[] = [];
    const read: { ms: number; rss: number }[] = [];
    const sign: { ms: number; wall: number; rss: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const copy = path.join(tmp, `copy-${r}.pdf`);
      const t0 = process.hrtime.bigint();
      execFileSync('cp', [pdf, copy]);
      cp.push(Number(process.hrtime.bigint() - t0) / 1e6);
      rmSync(copy);
      const rd = runChild(['--mode', 'read', '--file', pdf]);
      read.push({ ms: rd.ms, rss: rd.maxRssKiB * 1024 });
      const out = path.join(tmp, `signed-${r}.pdf`);
      const s = runChild(['--mode', 'sign', '--file', pdf, '--out', out, '--key', keyPath, '--cert', certDer]);
      sign.push({ ms: s.ms, wall: s.wall, rss: s.maxRssKiB * 1024 });
      if (r === 0) {
        const v = spawnSync('pdfsig', [out], { encoding: 'utf8' });
        if (!/Signature is Valid/.test(v.stdout)) throw new Error(`pdfsig does not accept the output:\n${v.stdout}${v.stderr}`);
      }
      rmSync(out);
    }
    const mb = (b: number) => (b / 1e6).toFixed(1);
    const signMs = median(sign.map((s) => s.ms));
    const cpMs = median(cp);
    const peak = Math.max(...sign.map((s) => s.rss));
    const readPeak = Math.max(...read.map((s) => s.rss));
    console.log(`\nPAdES-B signing of a ${mb(size)} MB PDF (${rounds} rounds, medians; output accepted by pdfsig)`);
    console.log(`  cp (baseline: copy the file)            ${cpMs.toFixed(0).padStart(6)} ms`);
    console.log(`  node: read the file into a Buffer       ${median(read.map((r) => r.ms)).toFixed(0).padStart(6)} ms   peak RSS ${mb(readPeak)} MB (${(readPeak / size).toFixed(2)}× file)`);
    console.log(
      `  signet: read + parse + sign + write      ${signMs.toFixed(0).padStart(6)} ms   ${(signMs / cpMs).toFixed(2)}× cp   process wall ${median(sign.map((s) => s.wall)).toFixed(0)} ms   peak RSS ${mb(peak)} MB = ${(peak / size).toFixed(2)}× file`,
    );
    console.log('target: peak RSS ≤ 1.5× file size');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
