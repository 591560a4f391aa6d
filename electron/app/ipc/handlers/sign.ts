/**
 * The sign flow as the renderer drives it:
 *   sign.prepare  → check certificate and files, choose outputs, hash (progress) → SignPlan
 *   sign.confirm  → sign exactly that plan (one login for the batch), per-file outcomes
 *   sign.cancel   → abort hashing or signing; a cancelled plan cannot be confirmed
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { err, ok, toErrorInfo } from '../../../../native/errors';
import type { DocumentFormat, SignOutcome, SignPlan, SignProgress } from '../../../api';
import { freeOutputPath, outputNameFor } from '../../files/output-path';
import type { SignJob, SignJobFile, SignPhase } from '../../services';
import type { HandlerContext } from '../context';
import type { Handler } from './types';

/** Progress events at most this often per file (phase changes always go through). */
const PROGRESS_INTERVAL_MS = 100;

function progressEmitter(ctx: HandlerContext, planId: string, job: SignJob, fileIds: string[]) {
  let last = 0;
  let lastKey = '';
  return (index: number, phase: SignPhase, bytesDone: number, bytesTotal: number): void => {
    const now = Date.now();
    const key = `${index}:${phase}`;
    const final = bytesDone >= bytesTotal;
    if (key === lastKey && !final && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    lastKey = key;
    const event: SignProgress = { planId, fileId: fileIds[index] ?? '', index, count: job.files.length, phase, bytesDone, bytesTotal };
    ctx.emit('sign.progress', event);
  };
}

export const signPrepare: Handler<'sign.prepare'> = async (ctx, arg) => {
  const inputs = arg.files.map((id) => ctx.files.input(id));
  // A file that went away since it was added is named (all of them, not only the first).
  const missing = inputs.filter((i) => !isReadableFile(i.path)).map((i) => i.ref.name);
  if (missing.length > 0) {
    return err({
      code: 'FILE_UNREADABLE',
      message: `${missing.join(', ')} can no longer be read (moved, deleted or locked).`,
      retriable: true,
      details: { reason: 'missing-files', name: missing[0]!, names: missing.join(', '), n: missing.length },
    });
  }
  const snapshot = await ctx.services.tokens.snapshot();
  const certificate = snapshot.certificates.find((c) => c.uri === arg.certUri);
  if (!certificate) return err({ code: 'KEY_NOT_FOUND', message: 'The certificate is no longer available. Is the card still inserted?', retriable: true });
  if (!certificate.hasPrivateKey)
    return err({ code: 'KEY_NOT_FOUND', message: 'This certificate has no private key on the token, so it cannot sign.', retriable: false });
  if (certificate.notForSigning) return err({ code: certificate.notForSigning.code, message: certificate.notForSigning.message, retriable: false });

  const settings = ctx.settings.get();
  if (arg.level && !arg.timestamp)
    return err({ code: 'INVALID_INPUT', message: `Level ${arg.level} needs a time-stamp: turn time-stamps on.`, retriable: false, details: { reason: 'level-needs-timestamp' } });
  if (arg.timestamp && !settings.tsaUrl)
    return err({ code: 'INVALID_INPUT', message: 'No timestamp server is set. Add one in Settings or turn timestamps off.', retriable: false, details: { reason: 'no-tsa' } });

  let outputDir: string | null = null;
  if (settings.output === 'ask') {
    outputDir = await ctx.dialogs.chooseOutputDir(path.dirname(inputs[0]!.path));
    if (!outputDir) return err({ code: 'USER_CANCELLED', message: 'No output folder was chosen.', retriable: true, details: { reason: 'no-output-folder' } });
  }

  const taken = new Set<string>();
  const files: SignJobFile[] = [];
  if (arg.format === 'asice') {
    // One container for all the files (one signature, one PIN), named after the first file; a
    // single .asice container gets a further signature (core/signing/sign-container.ts).
    if (arg.visible || arg.field !== undefined)
      return err({ code: 'INVALID_INPUT', message: 'A container signature has no visible stamp.', retriable: false, details: { reason: 'asice-no-stamp' } });
    if (arg.level === 'LTA') return err({ code: 'INVALID_INPUT', message: 'Archive (LTA) is not available for containers: choose Long-term (LT).', retriable: false, details: { reason: 'asice-no-lta' } });
    const names = new Set<string>();
    for (const input of inputs) {
      if (names.has(input.ref.name))
        return err({ code: 'INVALID_INPUT', message: `Two files are named ${input.ref.name}: a container holds each name once.`, retriable: false, details: { name: input.ref.name, reason: 'asice-duplicate-name' } });
      names.add(input.ref.name);
    }
    const outputPath = freeOutputPath(outputDir ?? path.dirname(inputs[0]!.path), outputNameFor(inputs[0]!.ref.name, 'asice'), taken);
    for (const input of inputs) files.push({ path: input.path, name: input.ref.name, format: 'asice', outputPath });
  }
  for (const input of arg.format === 'asice' ? [] : inputs) {
    let format: DocumentFormat;
    if (arg.format === 'auto') format = input.ref.isPdf ? 'pades' : 'cades';
    else format = arg.format as DocumentFormat;
    if (format === 'pades' && !input.ref.isPdf)
      return err({ code: 'INVALID_INPUT', message: `${input.ref.name} is not a PDF: sign it as CAdES (.p7s) instead.`, retriable: false, details: { name: input.ref.name, reason: 'pades-needs-pdf' } });
    const outputPath = freeOutputPath(outputDir ?? path.dirname(input.path), outputNameFor(input.ref.name, format), taken);
    taken.add(outputPath);
    files.push({ path: input.path, name: input.ref.name, format, outputPath });
  }

  const job: SignJob = { certificate, files, timestamp: arg.timestamp };
  if (arg.visible) job.visible = arg.visible;
  if (arg.field !== undefined) job.field = arg.field;
  job.locale = settings.language === 'system' ? ctx.appInfo().locale : settings.language;
  if (arg.timestamp) job.tsaUrl = settings.tsaUrl;
  if (arg.level) job.level = arg.level;
  const entry = ctx.plans.create(job);
  const emit = progressEmitter(ctx, entry.id, job, arg.files);
  try {
    const hashes = await ctx.services.signing.prepare(job, (i, done, total) => emit(i, 'hashing', done, total), entry.abort.signal);
    hashes.forEach((h, i) => {
      files[i]!.sha256 = h.sha256;
    });
  } catch (e) {
    ctx.plans.delete(entry.id);
    throw e;
  }
  if (entry.state === 'cancelled') {
    ctx.plans.delete(entry.id);
    return err({ code: 'USER_CANCELLED', message: 'Cancelled.', retriable: true });
  }
  const plan: SignPlan = {
    planId: entry.id,
    certificate,
    items: inputs.map((input, i) => ({ file: input.ref, format: files[i]!.format, sha256: files[i]!.sha256 ?? '', outputName: path.basename(files[i]!.outputPath) })),
    timestamp: arg.timestamp,
    ...(job.tsaUrl ? { tsaUrl: job.tsaUrl } : {}),
    ...(job.level ? { level: job.level } : {}),
  };
  entry.plan = plan;
  entry.state = 'ready';
  ctx.logger.info('sign prepared', { planId: entry.id, files: files.length, certificate: certificate.fingerprintSha256 });
  return ok(plan);
};

export const signConfirm: Handler<'sign.confirm'> = async (ctx, arg) => {
  const entry = ctx.plans.get(arg.planId);
  if (entry.state !== 'ready' || !entry.plan)
    return err({ code: 'INVALID_INPUT', message: entry.state === 'cancelled' ? 'This signing request was cancelled.' : 'This signing request was already used.', retriable: false, details: { reason: entry.state === 'cancelled' ? 'plan-cancelled' : 'plan-used' } });
  entry.state = 'signing';
  const plan = entry.plan;
  const emit = progressEmitter(
    ctx,
    entry.id,
    entry.job,
    plan.items.map((i) => i.file.id),
  );
  ctx.logger.info('sign started', { planId: entry.id, files: plan.items.length });
  try {
    const results = await ctx.services.signing.sign(entry.job, emit, entry.abort.signal);
    const outcome: SignOutcome = { planId: entry.id, items: [] };
    for (const [i, item] of plan.items.entries()) {
      const r = results[i];
      if (r?.ok) {
        const output = await ctx.files.addOutput(r.outputPath);
        outcome.items.push({ file: item.file, ok: true, output, signer: r.signer, signedAt: r.signedAt, ...(r.timestamp ? { timestamp: r.timestamp } : {}), ...(r.level ? { level: r.level } : {}) });
        recordSigned(ctx, { name: item.file.name, output: output.name, format: item.format, signer: r.signer, at: r.signedAt, ...(r.timestamp ? { timestamp: r.timestamp } : {}) });
      } else {
        const error = r ? r.error : { code: 'INTERNAL' as const, message: 'No result for this file.', retriable: false };
        outcome.items.push({ file: item.file, ok: false, error });
      }
    }
    ctx.logger.info('sign finished', {
      planId: entry.id,
      ok: outcome.items.filter((i) => i.ok).length,
      failed: outcome.items.filter((i) => !i.ok).map((i) => i.error?.code),
    });
    return ok(outcome);
  } catch (e) {
    const info = toErrorInfo(e);
    ctx.logger.warn('sign failed', { planId: entry.id, code: info.code });
    return err(info);
  } finally {
    entry.state = 'finished';
    ctx.plans.delete(entry.id);
  }
};

export const signCancel: Handler<'sign.cancel'> = async (ctx, arg) => {
  ctx.plans.cancel(arg.planId);
  ctx.pins.cancelAll();
  return ok(undefined);
};


function isReadableFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The local history (names only, never content); failing to write it never fails the signature. */
function recordSigned(ctx: HandlerContext, e: { name: string; output: string; format: DocumentFormat; signer: string; at: string; timestamp?: string }): void {
  try {
    ctx.services.history.add({ kind: 'document-signed', ...e });
  } catch (error) {
    ctx.logger.warn('history not written', { message: error instanceof Error ? error.message : String(error) });
  }
}
