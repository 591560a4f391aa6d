/**
 * Step 2 of signing: sign a confirmed batch with one key (one login for the batch; the signer
 * asks a PIN per signature for always-authenticate keys), file by file, with progress, per-file
 * results and cancellation.
 *
 * Per file: re-read the input (CAdES: streamed hash; PAdES: into memory) and check it is still
 * what the user confirmed (SHA-256; callers without a confirmation step pass none, and a CAdES
 * input is read once, for the signature's digest alone), build and sign, time-stamp if asked,
 * write the output atomically and never over an existing file. Inputs are opened read-only and
 * never written.
 *
 * Each file's read starts ahead of its turn (read-ahead.ts): the first (CAdES) while the key is
 * looked up, the next while the current one is signed and written. After the first signature,
 * when the signer allows overlapping signatures (DocumentSigner.concurrent: no per-signature
 * PIN), two files are in flight: one is built and hashed while the card signs the other (the
 * token host queues the signature requests), so a batch pays the card's time, not the card's
 * time plus everything else. Results keep the files' order.
 *
 * A failure that concerns only one file (unreadable, not a PDF, changed) is reported for that
 * file and the batch goes on; a failure of the key or token (cancelled, PIN, card removed) stops
 * the batch and is reported for the remaining files too.
 */
import path from 'node:path';
import { SignetError, toErrorInfo, type ErrorCode } from '../../../native/errors';
import type { HashAlg } from '../../../native/types';
import type { DocumentSigner } from '../document-signer';
import { createCades } from '../formats/cades';
import type { TimestampFn } from '../formats/cms/sign';
import { preparePdf, signPdf } from '../formats/pades/sign';
import { stampLocaleFor } from '../formats/pades/stamp-text';
import { timestamp as requestTimestamp } from '../formats/tsp/client';
import type { Digests } from '../hashing';
import { cadesLevel, pdfLevelUpdates } from '../ltv/apply';
import type { SignatureLevel } from '../ltv/types';
import { preflight, type Preflight } from './preflight';
import { signContainer } from './sign-container';
import { cadesAlgs, startReading, type ReadingHandle } from './read-ahead';
import { readWholeFile, type ReadResult } from './read-file';
import type { SignFilesOptions, SignItem, SignOptions, SignResult } from './types';
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

export async function signFiles(items: readonly SignItem[], opts: SignFilesOptions): Promise<SignResult[]> {
  // ASiC-E: the whole batch is one container with one signature (sign-container.ts).
  if (items.some((i) => i.format === 'asice')) {
    if (!items.every((i) => i.format === 'asice')) throw new SignetError('INVALID_INPUT', 'A container (.asice) batch cannot be mixed with other formats');
    // One container, one signature, one user action (KeySigner.runAction): its PIN names the files.
    const containerSigner = await opts.signer;
    const action = {
      purpose: 'sign-documents' as const,
      documents: opts.documentNames ?? items.map((it) => path.basename(it.path)),
      ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    };
    return containerSigner.action ? containerSigner.action(action, () => signContainer(items, opts), opts.signal) : signContainer(items, opts);
  }
  const level = resolveLevel(opts);
  // Refused before the card is used: CAdES B-LTA is not implemented (ltv/cades.ts says why).
  if (level === 'LTA' && items.some((i) => i.format === 'cades')) {
    throw new SignetError('INVALID_INPUT', 'CAdES B-LTA (archive-time-stamp-v3, ETSI EN 319 122-1 §5.5.3) is not supported yet: use level LT for a .p7s, or PAdES B-LTA for a PDF', {
      details: { reason: 'cades-lta-unsupported' },
    });
  }
  const now = opts.now ?? (() => new Date());
  const progressOf = (i: number) => (phase: Parameters<NonNullable<SignOptions['onProgress']>>[1], done = 0, total = 0) => opts.onProgress?.(i, phase, done, total);
  const readOpts = (i: number) => ({
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (done: number, total: number) => progressOf(i)('hashing', done, total),
    ahead: true,
  });
  // A first CAdES file is read while the key is looked up and checked (read-ahead.ts).
  let ahead: { index: number; handle: ReadingHandle } | undefined =
    items[0]?.format === 'cades' ? { index: 0, handle: startReading(items[0], opts.hash ?? 'sha256', readOpts(0)) } : undefined;
  let pre: Preflight;
  try {
    pre = await preflight({ ...opts, signer: await opts.signer });
  } catch (e) {
    ahead?.handle.abort();
    throw e;
  }
  const signer = await opts.signer;
  // With two files in flight, the other lane may reach its signature after a key failure: the
  // batch is over by then, and the card is not used again.
  const batchSigner: DocumentSigner = {
    certificate: signer.certificate,
    extraCertificates: signer.extraCertificates,
    scheme: signer.scheme,
    maxSignatureLength: signer.maxSignatureLength,
    sign: (digest, h, signal) => (fatal ? Promise.reject(fatal) : signer.sign(digest, h, signal)),
  };
  const { hash, chain, signerName, warnings } = pre;
  const ts: TimestampFn | undefined = opts.timestamp && level !== 'B'
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
      const { bytes } = await readWholeFile(item.path, { ...(opts.signal ? { signal: opts.signal } : {}), sha256: false });
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
      if (err.code === 'USER_CANCELLED') {
        ahead?.handle.abort();
        throw err;
      }
      refused.set(i, err);
    }
  }

  /** Item i's read: the one started ahead if it computes what is needed, else a fresh one. */
  const readingFor = (i: number): ReadingHandle => {
    const item = items[i]!;
    const mine = ahead?.index === i ? ahead.handle : undefined;
    // A read ahead for a later file (the other lane's) stays; one for an earlier file is stale.
    if (ahead && !mine && ahead.index < i) {
      ahead.handle.abort();
      ahead = undefined;
    }
    if (mine) {
      ahead = undefined;
      const r = mine.reading;
      if (r.format === 'pades' || cadesAlgs(item, hash).every((a) => r.algs.includes(a))) return mine;
      mine.abort();
    }
    return startReading(item, hash, { ...readOpts(i), ahead: false });
  };
  /** Start reading the next file that will be started (by either lane), if any and not already. */
  const readAheadNext = (): void => {
    let j = next;
    while (j < items.length && refused.has(j)) j++;
    if (j >= items.length || fatal || ahead?.index === j) return;
    ahead?.handle.abort();
    ahead = { index: j, handle: startReading(items[j]!, hash, readOpts(j)) };
  };

  const results: SignResult[] = new Array<SignResult>(items.length);
  let fatal: SignetError | undefined;
  /** The next file a lane takes. */
  let next = 0;
  const lanes: Promise<void>[] = [];
  /**
   * Pipelining (issue 13 item 8): once a first file is signed (the login is done) and the signer
   * allows overlapping signatures (no per-signature PIN), a second lane starts, so one file is
   * read, built and hashed while the card signs the other and its output is written; the token
   * host queues the two signature requests (host/queue.ts). Results keep the files' order.
   */
  const widen = (): void => {
    if (lanes.length < 2 && signer.concurrent === true && !fatal && next < items.length) lanes.push(lane());
  };
  const lane = async (): Promise<void> => {
    while (next < items.length) await processItem(next++);
  };

  const processItem = async (i: number): Promise<void> => {
    const item = items[i]!;
    const progress = progressOf(i);
    const early = refused.get(i);
    if (early) {
      results[i] = { ok: false, input: item.path, error: early.toInfo() };
      progress('failed');
      return;
    }
    if (fatal) {
      results[i] = { ok: false, input: item.path, error: fatal.toInfo() };
      progress('failed');
      return;
    }
    try {
      opts.signal?.throwIfAborted();
      const reading = readingFor(i).reading;
      let read: Digests<HashAlg> | ReadResult | 'too-large';
      try {
        read = await reading.result;
      } finally {
        // The next file is read while this one is signed, time-stamped and written.
        readAheadNext();
      }
      const signingTime = now();
      const onPhase = (p: 'signing' | 'timestamping') => progress(p);
      let outputPath: string;
      let tsTime: string | undefined;
      const fileWarnings: string[] = [];
      let pades: { field?: string; pdfa?: { part: number; conformance?: string } } = {};
      let reached = level;
      if (reading.format === 'cades') {
        const d = read as Digests<HashAlg>;
        assertUnchanged(item, d.sha256?.toString('hex'));
        const cms = await createCades({
          signer: batchSigner,
          hash,
          contentDigest: d[hash],
          chain,
          signingTime,
          onPhase,
          ...(ts ? { timestamp: ts } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        tsTime = cms.timestamp?.genTime.toISOString();
        widen();
        const extended = await cadesLevel(cms.der, level, opts);
        reached = extended.level;
        fileWarnings.push(...extended.warnings);
        for (const w of extended.warnings) opts.onWarning?.(w);
        progress('writing');
        outputPath = await writeOutput(item.outputPath, [extended.der], { pickFreeName: !opts.exactOutputPath });
      } else {
        const { bytes, sha256 } =
          read === 'too-large'
            ? await readWholeFile(item.path, {
                ...(opts.signal ? { signal: opts.signal } : {}),
                onProgress: (done, total) => progress('hashing', done, total),
                sha256: item.sha256 !== undefined,
              })
            : (read as ReadResult);
        assertUnchanged(item, sha256);
        const out = await signPdf({
          pdf: bytes,
          name: path.basename(item.path),
          signer: batchSigner,
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
        widen();
        // LT / LTA: the DSS (and the document time-stamp) in further updates (ltv/pades.ts).
        // The whole signed file is only needed to extend it: B and T add nothing, and joining a
        // 200 MB file took a fifth of its signing time and another 200 MB (issue 13 profile).
        const needsWhole = level === 'LT' || level === 'LTA';
        const extra = await pdfLevelUpdates(needsWhole ? Buffer.concat([out.original, out.update]) : Buffer.alloc(0), {
          level,
          ...(opts.allowDowngrade ? { allowDowngrade: true } : {}),
          ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
          ...(opts.revocation?.timeoutMs ? { revocationTimeoutMs: opts.revocation.timeoutMs } : {}),
          ...(opts.trustAnchors ? { extraCertificates: opts.trustAnchors } : {}),
          name: path.basename(item.path),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        reached = extra.level;
        fileWarnings.push(...extra.warnings);
        for (const w of extra.warnings) opts.onWarning?.(w);
        progress('writing');
        outputPath = await writeOutput(item.outputPath, [out.original, out.update, ...extra.updates], { pickFreeName: !opts.exactOutputPath });
      }
      results[i] = {
        ok: true,
        input: item.path,
        outputPath,
        format: item.format,
        signer: signerName,
        ...(tsTime ? { timestamp: tsTime } : {}),
        level: reached,
        ...(warnings.length + fileWarnings.length > 0 ? { warnings: [...warnings, ...fileWarnings] } : {}),
        ...pades,
      };
      progress('done', 1, 1);
    } catch (e) {
      const err = asSignetError(e, opts.signal);
      results[i] = { ok: false, input: item.path, error: err.toInfo() };
      progress('failed');
      if (isBatchFatal(err)) {
        fatal ??= err;
        ahead?.handle.abort();
        ahead = undefined;
      }
    }
  };

  const runBatch = async (): Promise<void> => {
    lanes.push(lane());
    // A lane may be added while the first runs: wait for every lane there is.
    for (let k = 0; k < lanes.length; k++) await lanes[k];
  };
  // The batch is one user action (KeySigner.runAction): one PIN for the files the user confirmed,
  // and the token logged out when it ends. Nothing to sign (every file refused): no action, no PIN.
  const toSign = items.filter((_, i) => !refused.has(i));
  const action = {
    purpose: 'sign-documents' as const,
    documents: opts.documentNames ?? toSign.map((it) => path.basename(it.path)),
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
  };
  try {
    if (toSign.length > 0 && signer.action) {
      try {
        await signer.action(action, runBatch, opts.signal);
      } catch (e) {
        // The action itself failed (cancelled while waiting for the token, a logout refused):
        // every file not yet reported gets that error.
        const err = asSignetError(e, opts.signal);
        for (const [i, item] of items.entries()) if (results[i] === undefined) results[i] = { ok: false, input: item.path, error: err.toInfo() };
      }
    } else {
      await runBatch();
    }
  } finally {
    ahead?.handle.abort();
  }
  return results;
}

/** The level asked for, checked against the time-stamp setting (T and above need a TSA). */
export function resolveLevel(opts: Pick<SignOptions, 'level' | 'timestamp'>): SignatureLevel {
  const level = opts.level ?? (opts.timestamp ? 'T' : 'B');
  if (level !== 'B' && !opts.timestamp) throw new SignetError('INVALID_INPUT', `Level ${level} needs a time-stamp server (--tsa URL or signing.tsaUrl in the configuration)`);
  return level;
}

function assertUnchanged(item: SignItem, sha256: string | undefined): void {
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
