/**
 * Signing into an ASiC-E container (issue 11 §2): all the batch's files go into one container
 * with one XAdES signature — one user action, one login, one signature on the card. Or, when the
 * only input is already an ASiC-E container, a further signature is added to it (its data files
 * and earlier signatures unchanged). The input files are only read; the container is written
 * atomically and never over an existing file (write-output.ts).
 *
 * Every input gets a result pointing at the same container; a failure fails them all (one
 * container, one outcome).
 */
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { looksLikeAsic } from '../formats/asice/container';
import { addAsiceSignature, createAsice, type AsiceResult, type AsiceSignInput } from '../formats/asice/sign';
import { timestamp as requestTimestamp } from '../formats/tsp/client';
import { preflight } from './preflight';
import { readWholeFile } from './read-file';
import { asSignetError } from './sign-files';
import type { SignFilesOptions, SignItem, SignResult } from './types';
import { writeOutput } from './write-output';

export async function signContainer(items: readonly SignItem[], opts: SignFilesOptions): Promise<SignResult[]> {
  const progress = (phase: Parameters<NonNullable<SignFilesOptions['onProgress']>>[1], done = 0, total = 0) => items.forEach((_, i) => opts.onProgress?.(i, phase, done, total));
  try {
    const outputs = new Set(items.map((i) => path.resolve(i.outputPath)));
    if (outputs.size !== 1) throw new SignetError('INVALID_INPUT', 'All files of a container go to one output');
    const outputPath = items[0]!.outputPath;
    const now = opts.now ?? (() => new Date());

    // The files first (unreadable or changed files fail before any PIN is asked).
    const files: { name: string; data: Buffer }[] = [];
    for (const [i, item] of items.entries()) {
      const { bytes, sha256 } = await readWholeFile(item.path, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (done, total) => opts.onProgress?.(i, 'hashing', done, total),
        sha256: item.sha256 !== undefined,
      });
      if (item.sha256 && item.sha256.toLowerCase() !== sha256) {
        throw new SignetError('INVALID_INPUT', `${path.basename(item.path)} changed after it was shown for confirmation; nothing was signed`, { details: { file: item.path } });
      }
      files.push({ name: path.basename(item.path), data: bytes });
    }
    const adding = files.length === 1 && looksLikeAsic(files[0]!.data);

    const signer = await opts.signer;
    const pre = await preflight({ ...opts, signer });
    const input: AsiceSignInput = {
      signer,
      hash: pre.hash,
      chain: pre.chain,
      signingTime: now(),
      onPhase: (p) => progress(p),
      ...(opts.timestamp
        ? {
            timestamp: (data, h, signal) =>
              requestTimestamp(data, h, {
                url: opts.timestamp!.url,
                ...(opts.timestamp!.timeoutMs ? { timeoutMs: opts.timestamp!.timeoutMs } : {}),
                ...(opts.timestamp!.policy ? { policy: opts.timestamp!.policy } : {}),
                ...(signal ? { signal } : {}),
              }),
          }
        : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    const made: AsiceResult = adding ? await addAsiceSignature(files[0]!.data, input, files[0]!.name) : await createAsice(files, input);
    progress('writing');
    const written = await writeOutput(outputPath, [made.container], { pickFreeName: !opts.exactOutputPath, ...(opts.signal ? { signal: opts.signal } : {}) });
    const ts = made.signature.timestamp?.genTime.toISOString();
    progress('done', 1, 1);
    return items.map((item) => ({
      ok: true as const,
      input: item.path,
      outputPath: written,
      format: 'asice' as const,
      signer: pre.signerName,
      ...(ts ? { timestamp: ts } : {}),
      ...(pre.warnings.length > 0 ? { warnings: pre.warnings } : {}),
      container: { signatureFile: made.signatureFile, files: made.files },
    }));
  } catch (e) {
    const err = asSignetError(e, opts.signal);
    progress('failed');
    return items.map((item) => ({ ok: false as const, input: item.path, error: err.toInfo() }));
  }
}
