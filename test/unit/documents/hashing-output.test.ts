import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashFile } from '../../../electron/core/hashing';
import { freeOutputPath, numberedName, outputNameFor, writeOutput } from '../../../electron/core/signing';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'signet-hash-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hashFile', () => {
  it('equals openssl dgst for SHA-256/384/512 in one pass, across chunk boundaries, with progress', async () => {
    const f = path.join(dir, 'data.bin');
    const data = Buffer.alloc(3 * 65536 + 123);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
    writeFileSync(f, data);
    const seen: number[] = [];
    const d = await hashFile(f, ['sha256', 'sha384', 'sha512'], { chunkSize: 65536, onProgress: (p) => seen.push(p.bytesDone) });
    for (const alg of ['sha256', 'sha384', 'sha512'] as const) {
      const expected = execFileSync('openssl', ['dgst', `-${alg}`, '-r', f], { encoding: 'utf8' }).split(' ')[0];
      expect(d[alg].toString('hex')).toBe(expected);
    }
    expect(d.size).toBe(data.length);
    expect(seen).toEqual([65536, 131072, 196608, data.length]);
  });

  it('an empty file, a missing file, a directory, a cancelled read', async () => {
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    const progress: number[] = [];
    const d = await hashFile(empty, ['sha256'], { onProgress: (p) => progress.push(p.bytesTotal) });
    expect(d.sha256.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(progress).toEqual([0]);
    await expect(hashFile(path.join(dir, 'nope'), ['sha256'])).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringMatching(/no such file/) });
    await expect(hashFile(dir, ['sha256'])).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    const ac = new AbortController();
    ac.abort();
    await expect(hashFile(empty, ['sha256'], { signal: ac.signal })).rejects.toBeDefined();
    const big = path.join(dir, 'big');
    writeFileSync(big, Buffer.alloc(4 * 1024 * 1024));
    const ac2 = new AbortController();
    await expect(hashFile(big, ['sha256'], { chunkSize: 65536, signal: ac2.signal, onProgress: () => ac2.abort() })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
  });
});

describe('output names and writing', () => {
  it('names: -signed for PDFs, .p7s appended otherwise, (n) for taken names', () => {
    expect(outputNameFor('report.pdf', 'pades')).toBe('report-signed.pdf');
    expect(outputNameFor('Report.PDF', 'pades')).toBe('Report-signed.PDF');
    expect(outputNameFor('contract.docx', 'cades')).toBe('contract.docx.p7s');
    expect(outputNameFor('README', 'cades')).toBe('README.p7s');
    expect(numberedName('report-signed.pdf', 3)).toBe('report-signed (3).pdf');
    expect(numberedName('contract.docx.p7s', 2)).toBe('contract.docx (2).p7s');
    const taken = new Set([path.resolve(dir, 'a.p7s')]);
    expect(path.basename(freeOutputPath(dir, 'a.p7s', taken))).toBe('a (2).p7s');
  });

  it('writes atomically, never over an existing file, leaves no temporary file', async () => {
    const target = path.join(dir, 'out.bin');
    writeFileSync(target, 'existing');
    const written = await writeOutput(target, [Buffer.from('new '), Buffer.from('content')]);
    expect(path.basename(written)).toBe('out (2).bin');
    expect(readFileSync(written, 'utf8')).toBe('new content');
    expect(readFileSync(target, 'utf8')).toBe('existing');
    await expect(writeOutput(target, [Buffer.from('x')], { pickFreeName: false })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(readFileSync(target, 'utf8')).toBe('existing');
    await expect(writeOutput(path.join(dir, 'no-such-dir', 'x.bin'), [Buffer.from('x')])).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    expect(readdirSync(dir).filter((n) => n.includes('signet-tmp'))).toEqual([]);
  });
});
