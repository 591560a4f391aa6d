/**
 * Step 2 of signing: sign a confirmed batch with one key (one login for the batch; the signer
 * asks a PIN per signature for always-authenticate keys), file by file, with progress, per-file
 * results and cancellation.
 *
 * Per file: re-read the input (CAdES: streamed hash; PAdES: into memory) and check it is still
 * what the user confirmed (SHA-256), build and sign, time-stamp if asked, write the output
 * atomically and never over an existing file. Inputs are opened read-only and never written.
 *
 * A failure that concerns only one file (unreadable, not a PDF, changed) is reported for that
 * file and the batch goes on; a failure of the key or token (cancelled, PIN, card removed) stops
 * the batch and is reported for the remaining files too.
 */
import path from 'node:path';
import { SignetError, toErrorInfo, type ErrorCode } from '../../../native/errors';
import { createCades } from '../formats/cades';
import type { TimestampFn } from '../formats/cms/sign';
import { preparePdf, signPdf } from '../formats/pades/sign';
import { stampLocaleFor } from '../formats/pades/stamp-text';
import { timestamp as requestTimestamp } from '../formats/tsp/client';
import { hashFile } from '../hashing';
import { preflight } from './preflight';
import { readWholeFile } from './read-file';
import type { SignItem, SignOptions, SignResult } from './types';
import { writeOutput } from './write-output';

/** Errors that end the whole batch: the key, the token or the user, not the file. */
const BATCH_FATAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USER_CANCELLED',
  'PIN_INCORRECT',
  'PIN_LOCKED',
  'PIN_LEN_RANGE',
  'PIN_EXPIRED',
  'NO_TOKEN',
  'TOKEN_REMOVED',
  'KEY_NOT_FOUND',
  'MODULE_LOAD_FAILED',
  'MODULE_CRASHED',
  'MECHANISM_UNSUPPORTED',
  'KEY_PURPOSE_MISMATCH',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/**
 * Also fatal: a token call that timed out (a hung card would make every file wait again), and
 * any failure of the time-stamp server (every further file would use the card, maybe a PIN, for
 * nothing). A time-stamp server's errors carry details.tsaUrl.
 */
function isBatchFatal(e: SignetError): boolean {
  return BATCH_FATAL.has(e.code) || e.code === 'TIMEOUT' || e.details?.tsaUrl !== undefined;
}

export async function signFiles(items: readonly SignItem[], opts: SignOptions): Promise<SignResult[]> {
  const now = opts.now ?? (() => new Date());
  const { hash, chain, signerName, warnings } = await preflight(opts);
  const ts: TimestampFn | undefined = opts.timestamp
    ? (value, h, signal) =>
        requestTimestamp(value, h, {
          url: opts.timestamp!.url,
          ...(opts.timestamp!.timeoutMs ? { timeoutMs: opts.timestamp!.timeoutMs } : {}),
          ...(opts.timestamp!.policy ? { policy: opts.timestamp!.policy } : {}),
          ...(signal ? { signal } : {}),
        })
    : undefined;

  // The PDF rules first (issue 12 §5): a PDF that cannot be signed (encrypted, damaged, certified
  // with P=1, no such page or field, a rectangle off the page) fails on its own, before the card
  // is used and a PIN asked for the batch.
  const refused = new Map<number, SignetError>();
  for (const [i, item] of items.entries()) {
    if (item.format !== 'pades') continue;
    try {
      const { bytes } = await readWholeFile(item.path, opts.signal ? { signal: opts.signal } : {});
      await preparePdf({
        pdf: bytes,
        name: path.basename(item.path),
        signingTime: now(),
        signerName,
        ...(opts.visible ? { visible: { page: opts.visible.page, rect: opts.visible.rect } } : {}),
        ...(opts.field !== undefined ? { field: opts.field } : {}),
        ...(opts.certify !== undefined ? { certify: opts.certify } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (e) {
      const err = asSignetError(e, opts.signal);
      if (err.code === 'USER_CANCELLED') throw err;
      refused.set(i, err);
    }
  }

  const results: SignResult[] = [];
  let fatal: SignetError | undefined;
  for (const [i, item] of items.entries()) {
    const progress = (phase: Parameters<NonNullable<SignOptions['onProgress']>>[1], done = 0, total = 0) => opts.onProgress?.(i, phase, done, total);
    const early = refused.get(i);
    if (early) {
      results.push({ ok: false, input: item.path, error: early.toInfo() });
      progress('failed');
      continue;
    }
    if (fatal) {
      results.push({ ok: false, input: item.path, error: fatal.toInfo() });
      progress('failed');
      continue;
    }
    try {
      opts.signal?.throwIfAborted();
      const signingTime = now();
      const onPhase = (p: 'signing' | 'timestamping') => progress(p);
      let outputPath: string;
      let tsTime: string | undefined;
      const fileWarnings: string[] = [];
      let pades: { field?: string; pdfa?: { part: number; conformance?: string } } = {};
      if (item.format === 'cades') {
        const d = await hashFile(item.path, [hash, 'sha256'], {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: ({ bytesDone, bytesTotal }) => progress('hashing', bytesDone, bytesTotal),
        });
        assertUnchanged(item, d.sha256.toString('hex'));
        const cms = await createCades({
          signer: opts.signer,
          hash,
          contentDigest: d[hash],
          chain,
          signingTime,
          onPhase,
          ...(ts ? { timestamp: ts } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        tsTime = cms.timestamp?.genTime.toISOString();
        progress('writing');
        outputPath = await writeOutput(item.outputPath, [cms.der], { pickFreeName: !opts.exactOutputPath });
      } else {
        const { bytes, sha256 } = await readWholeFile(item.path, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (done, total) => progress('hashing', done, total),
        });
        assertUnchanged(item, sha256);
        const out = await signPdf({
          pdf: bytes,
          name: path.basename(item.path),
          signer: opts.signer,
          hash,
          chain,
          signingTime,
          signerName,
          onPhase,
          ...(opts.visible ? { visible: { page: opts.visible.page, rect: opts.visible.rect } } : {}),
          ...(opts.field !== undefined ? { field: opts.field } : {}),
          ...(opts.certify !== undefined ? { certify: opts.certify } : {}),
          locale: stampLocaleFor(opts.locale),
          ...((opts.visible?.reason ?? opts.reason) ? { reason: (opts.visible?.reason ?? opts.reason)! } : {}),
          ...((opts.visible?.location ?? opts.location) ? { location: (opts.visible?.location ?? opts.location)! } : {}),
          ...(ts ? { timestamp: ts } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        tsTime = out.timestamp?.genTime.toISOString();
        fileWarnings.push(...out.warnings);
        for (const w of out.warnings) opts.onWarning?.(w);
        pades = { field: out.fieldName, ...(out.pdfa ? { pdfa: out.pdfa } : {}) };
        progress('writing');
        outputPath = await writeOutput(item.outputPath, [out.original, out.update], { pickFreeName: !opts.exactOutputPath });
      }
      results.push({
        ok: true,
        input: item.path,
        outputPath,
        format: item.format,
        signer: signerName,
        ...(tsTime ? { timestamp: tsTime } : {}),
        ...(warnings.length + fileWarnings.length > 0 ? { warnings: [...warnings, ...fileWarnings] } : {}),
        ...pades,
      });
      progress('done', 1, 1);
    } catch (e) {
      const err = asSignetError(e, opts.signal);
      results.push({ ok: false, input: item.path, error: err.toInfo() });
      progress('failed');
      if (isBatchFatal(err)) fatal = err;
    }
  }
  return results;
}

function assertUnchanged(item: SignItem, sha256: string): void {
  if (item.sha256 && item.sha256.toLowerCase() !== sha256) {
    throw new SignetError('INVALID_INPUT', `${path.basename(item.path)} changed after it was shown for confirmation; it was not signed`, {
      details: { file: item.path },
    });
  }
}

export function asSignetError(e: unknown, signal?: AbortSignal): SignetError {
  if (e instanceof SignetError) return e;
  if (signal?.aborted || (e as Error)?.name === 'AbortError') {
    const r: unknown = signal?.reason;
    return r instanceof SignetError ? r : new SignetError('USER_CANCELLED', 'Cancelled');
  }
  const info = toErrorInfo(e);
  return new SignetError(info.code, info.message, { cause: e });
}
