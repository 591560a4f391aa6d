/**
 * Signing into an ASiC-E container (issue 11 §2): all the batch's files go into one container
 * with one XAdES signature — one user action, one login, one signature on the card. Or, when the
 * only input is already an ASiC-E container, a further signature is added to it (its data files
 * and earlier signatures unchanged). The input files are only read; the container is written
 * atomically and never over an existing file (write-output.ts).
 *
 * Levels (EN 319 132-1 §4): B, T (SignatureTimeStamp), LT (T + CertificateValues and
 * RevocationValues for the signer's and the TSA's chains); LTA is not offered for containers.
 *
 * Every input gets a result pointing at the same container; a failure fails them all (one
 * container, one outcome).
 */
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { looksLikeAsic } from '../formats/asice/container';
import { addAsiceSignature, createAsice, type AsiceResult, type AsiceSignInput } from '../formats/asice/sign';
import { timestamp as requestTimestamp } from '../formats/tsp/client';
import { isRevocationUnavailable } from '../ltv/apply';
import { collectValidationMaterial, judgeMaterial } from '../ltv/collect';
import type { SignatureLevel } from '../ltv/types';
import { preflight } from './preflight';
import { readWholeFile } from './read-file';
import { asSignetError, resolveLevel } from './sign-files';
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

    const level = resolveLevel(opts);
    if (level === 'LTA') throw new SignetError('INVALID_INPUT', 'Level LTA is not available for ASiC-E containers (XAdES B-B, B-T and B-LT are)');
    const signer = await opts.signer;
    const pre = await preflight({ ...opts, signer });
    const warnings = [...pre.warnings];
    let reached: SignatureLevel = level;
    const input: AsiceSignInput = {
      signer,
      hash: pre.hash,
      chain: pre.chain,
      signingTime: now(),
      onPhase: (p) => progress(p),
      ...(opts.timestamp && level !== 'B'
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
      // B-LT (EN 319 132-1 §5.4): the signer's and the TSA's chains with their revocation answers,
      // fetched and checked by ltv/collect.ts; never a silent downgrade (ltv/apply.ts's rule).
      ...(level === 'LT'
        ? {
            validationData: async (ts, signal) => {
              const material = await collectValidationMaterial(
                [{ role: 'signer', chain: [signer.certificate, ...pre.chain] }, ...(ts ? [{ role: 'tsa' as const, chain: ts.certificates }] : [])],
                {
                  ...(opts.revocation?.timeoutMs ? { timeoutMs: opts.revocation.timeoutMs } : {}),
                  ...(opts.trustAnchors ? { extraCertificates: opts.trustAnchors } : {}),
                  ...(signal ? { signal } : {}),
                },
              );
              const judged = judgeMaterial(material);
              if (!judged.ok) {
                if (opts.allowDowngrade && isRevocationUnavailable(judged.error)) {
                  reached = 'T';
                  warnings.push(`Level LT was not reached, the signature is B-T only: ${judged.error.message}`);
                  return undefined;
                }
                throw judged.error;
              }
              warnings.push(...judged.warnings);
              return { certificates: material.certificates, ocspResponses: material.ocsps, crls: material.crls };
            },
          }
        : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    const made: AsiceResult = adding ? await addAsiceSignature(files[0]!.data, input, files[0]!.name) : await createAsice(files, input);
    for (const w of warnings.slice(pre.warnings.length)) opts.onWarning?.(w);
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
      level: reached,
      ...(warnings.length > 0 ? { warnings } : {}),
      container: { signatureFile: made.signatureFile, files: made.files },
    }));
  } catch (e) {
    const err = asSignetError(e, opts.signal);
    progress('failed');
    return items.map((item) => ({ ok: false as const, input: item.path, error: err.toInfo() }));
  }
}
