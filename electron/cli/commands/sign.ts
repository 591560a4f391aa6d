/**
 * `signet sign FILE... --key URI [--format auto|cades|pades|asice] [--out PATH | --out-dir DIR]
 * [--tsa URL | --no-tsa] [--visible PAGE,X,Y,W,H | --field NAME] [--reason TEXT] [--location TEXT]
 * [--lang en|fr] [--certify 1|2|3] [--pss] [--check-revocation] [--level B|T|LT|LTA [--allow-downgrade]] [--pin-stdin]`: sign documents with a key on a token — one login for the batch (a PIN per
 * signature when the key is always-authenticate). Outputs go next to the input
 * (`report.pdf` → `report-signed.pdf`, `data.csv` → `data.csv.p7s`) or to --out / --out-dir,
 * never over an existing file: a default name that is taken becomes "name (2)…"; an explicit
 * --out that exists is refused. Inputs are only read.
 * `--format asice` puts all the files into one ASiC-E container (`a.pdf b.txt` → `a.asice`) with
 * one XAdES signature; when the only file is an ASiC-E container already, a further signature is
 * added (META-INF/signatures<N>.xml) and the result written as `name-signed.asice` (or --out):
 * the data files and earlier signatures are carried over unchanged.
 * A file that cannot be signed (not a PDF for PAdES — also a `.pdf` that is not one under
 * `--format auto` —, encrypted, certified with DocMDP P=1, …) fails on its own; the others are
 * signed. The stamp's labels follow --lang, else LC_ALL / LC_MESSAGES / LANG (en, fr).
 * LT/LTA fetch OCSP responses / CRLs for the chains and embed them (ETSI EN 319 142-1 §5.4);
 * when they cannot be had the file fails, or with --allow-downgrade is B-T with a warning.
 * JSON: [{input, output, format, signer, timestamp?, level?, warnings?, field?, pdfa?, container?}] (failed items: {input, error});
 * for a container every input has an item with the same output and container: {signatureFile, files}.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SignetError, type ErrorInfo } from '../../../native/errors';
import { isHashAlg } from '../../core/hashing';
import { createKeyDocumentSigner } from '../../core/key-document-signer';
import { freeOutputPath, inspectInputs, outputNameFor, signFiles, type DocumentFormat, type SignItem, type SignResult, type VisibleSignature } from '../../core/signing';
import { documentSettings } from '../../core/signing/settings';
import { setPdfLibLogger } from '../../core/formats/pades/quiet';
import type { SignatureLevel } from '../../core/ltv/types';
import type { CliCommand } from '../command';
import { EXIT, exitCodeFor } from '../exit-codes';

export const command: CliCommand = {
  name: 'sign',
  description: 'Sign documents: CAdES detached .p7s for any file, PAdES for PDFs, or all files in one ASiC-E container.',
  positionals: 'FILE...',
  usesPin: true,
  options: {
    key: { type: 'string', valueName: 'URI', required: true, description: 'Private key (RFC 7512 URI, from "signet certs")' },
    format: {
      type: 'string',
      choices: ['auto', 'cades', 'pades', 'asice'],
      description: 'cades (.p7s), pades (signed PDF), asice (one ASiC-E container with a XAdES signature over all the files; given one .asice container, adds a signature to it) or auto: PAdES for PDFs (default)',
    },
    out: { type: 'string', valueName: 'PATH', description: 'Output file (one input only, or the container with --format asice; never overwritten)' },
    'out-dir': { type: 'string', valueName: 'DIR', description: 'Folder for the outputs (default: next to each input)' },
    tsa: { type: 'string', valueName: 'URL', description: 'RFC 3161 time-stamp server (default: from the configuration)' },
    'no-tsa': { type: 'boolean', description: 'No time-stamp, even if the configuration names a server' },
    visible: {
      type: 'string',
      valueName: 'PAGE,X,Y,W,H',
      description: 'PAdES: show the signature on PAGE (1-based, 0 = last) in the rectangle: points from the lower-left corner of the page as displayed (after /Rotate), x right, y up',
    },
    field: { type: 'string', valueName: 'NAME', description: 'PAdES: sign into this existing empty signature field (see "signet inspect")' },
    certify: { type: 'string', choices: ['1', '2', '3'], valueName: 'P', description: 'PAdES: a certification signature allowing 1 no changes, 2 form filling and signing, 3 also comments (DocMDP)' },
    lang: { type: 'string', choices: ['en', 'fr'], description: 'Language of the visible signature (default: from LC_ALL / LC_MESSAGES / LANG)' },
    reason: { type: 'string', valueName: 'TEXT', description: 'PAdES: reason for signing' },
    location: { type: 'string', valueName: 'TEXT', description: 'PAdES: where the document was signed' },
    hash: { type: 'string', choices: ['sha256', 'sha384', 'sha512'], description: 'Digest (default: SHA-256; SHA-384 for P-384 keys)' },
    pss: { type: 'boolean', description: 'RSA keys: sign with RSASSA-PSS instead of PKCS#1 v1.5' },
    'check-revocation': { type: 'boolean', description: 'Ask OCSP / the CRL whether the certificate is revoked first (default: from the configuration)' },
    level: {
      type: 'string',
      choices: ['B', 'T', 'LT', 'LTA'],
      description: 'Baseline level: B, T (time-stamp), LT (+ certificates and OCSP/CRL answers embedded), LTA (+ archive time-stamp). Default: from the configuration, else T with a time-stamp server, else B',
    },
    'allow-downgrade': { type: 'boolean', description: 'LT/LTA: when revocation data cannot be fetched, warn and produce B-T instead of failing' },
  },
  async run(args, ctx) {
    // pdf-lib's console warnings go to the log file, not the terminal.
    setPdfLibLogger(ctx.logger);
    const files = args.positionals;
    if (files.length === 0) throw new SignetError('INVALID_INPUT', 'Name at least one file to sign (see "signet sign --help").');
    const v = args.values;
    const out = v.out as string | undefined;
    const outDir = v['out-dir'] as string | undefined;
    if (out && outDir) throw new SignetError('INVALID_INPUT', '--out and --out-dir cannot be used together.');
    const container = v.format === 'asice';
    if (out && files.length > 1 && !container) throw new SignetError('INVALID_INPUT', '--out names one output: use --out-dir for several files (or --format asice for one container).');
    if (outDir && !(existsSync(outDir) && statSync(outDir).isDirectory())) throw new SignetError('INVALID_INPUT', `--out-dir ${outDir} is not a folder.`);
    if (out && existsSync(out)) throw new SignetError('INVALID_INPUT', `${out} already exists; Signet never overwrites a file.`);
    const visible = v.visible !== undefined ? parseVisible(String(v.visible)) : undefined;
    const field = v.field !== undefined ? String(v.field) : undefined;
    if (visible && field !== undefined) throw new SignetError('INVALID_INPUT', '--visible and --field cannot be used together: the field has its own rectangle.');
    const locale = (v.lang as string | undefined) ?? ctx.env.LC_ALL ?? ctx.env.LC_MESSAGES ?? ctx.env.LANG;
    const hash = v.hash as string | undefined;
    if (hash !== undefined && !isHashAlg(hash)) throw new SignetError('INVALID_INPUT', `Unknown --hash ${hash}`);

    const settings = documentSettings(ctx.config());
    for (const p of settings.trustAnchorProblems) ctx.note(`warning: ${p}`);
    const level = (v.level as SignatureLevel | undefined) ?? settings.level;
    if (level && level !== 'B' && v['no-tsa']) throw new SignetError('INVALID_INPUT', `--level ${level} needs a time-stamp: it cannot be combined with --no-tsa.`);
    // An explicit level above B uses the configured server even when time-stamps are not on by default.
    const tsaUrl =
      v['no-tsa'] || level === 'B' ? undefined : ((v.tsa as string | undefined) ?? (settings.timestampByDefault || level !== undefined ? settings.tsaUrl : undefined));
    if (level && level !== 'B' && !tsaUrl) throw new SignetError('INVALID_INPUT', `--level ${level} needs a time-stamp server: --tsa URL, or signing.tsaUrl in the configuration.`);
    if (settings.requireTimestamp && !tsaUrl && level !== 'B') throw new SignetError('INVALID_INPUT', 'The administrator requires a time-stamp on every signature, and no time-stamp server is set.');

    // Look at the inputs first (unreadable files fail before any PIN is asked). No hashing here:
    // the CLI has no confirmation step, so each file is read once, while it is signed.
    const prepared = await inspectInputs(files);
    const requested = (v.format as 'auto' | DocumentFormat | undefined) ?? settings.defaultFormat;
    const taken = new Set<string>();
    // Per-file refusals, by input index: the rest of the batch is still signed.
    const refused = new Map<number, ErrorInfo>();
    const items: (SignItem & { index: number })[] = [];
    // ASiC-E: every file into one container, named after the first file unless --out says otherwise.
    const containerPath = container ? (out ? path.resolve(out) : freeOutputPath(outDir ?? path.dirname(prepared[0]!.path), outputNameFor(prepared[0]!.name, 'asice'))) : undefined;
    prepared.forEach((p, index) => {
      if (containerPath) {
        items.push({ index, path: p.path, format: 'asice', outputPath: containerPath });
        return;
      }
      const named = /\.pdf$/i.test(p.name);
      const format: DocumentFormat = requested === 'auto' ? (named ? 'pades' : p.defaultFormat) : requested;
      if (format === 'pades' && !p.isPdf) {
        const how = requested === 'auto' ? 'rename it or sign it with --format cades' : 'sign it with --format cades';
        refused.set(index, new SignetError('INVALID_INPUT', `${p.name} is not a PDF (no %PDF- header): ${how}.`, { details: { file: p.path, reason: 'not-a-pdf' } }).toInfo());
        return;
      }
      if ((visible || field !== undefined) && format !== 'pades') throw new SignetError('INVALID_INPUT', '--visible and --field apply to PAdES (PDF) signatures only.');
      const outputPath = out ? path.resolve(out) : freeOutputPath(outDir ?? path.dirname(p.path), outputNameFor(p.name, format), taken);
      taken.add(path.resolve(outputPath));
      items.push({ index, path: p.path, format, outputPath });
    });
    const inputs = new Set(prepared.map((p) => path.resolve(p.path)));
    for (const i of items) if (inputs.has(path.resolve(i.outputPath))) throw new SignetError('INVALID_INPUT', `The output ${i.outputPath} would be an input file.`);

    const keyUri = String(v.key);
    // Nothing signable: no token, no PIN.
    const signed = items.length === 0 ? [] : await signItems();
    async function signItems(): Promise<SignResult[]> {
      // Not awaited: signFiles reads the first file while the key is looked up (core/signing/read-ahead.ts).
      const signer = createKeyDocumentSigner({
        keySigner: ctx.keySigner(),
        client: ctx.tokenClient(),
        keyUri,
        pinPrompt: ctx.pinPrompt(),
        signal: ctx.signal,
        requireSigningPurpose: !settings.policy.allowWrongPurpose,
        ...(v.pss ? { rsaScheme: 'pss' as const } : {}),
      });
      ctx.logger.log('info', 'sign', { key: keyUri, files: items.length, timestamp: Boolean(tsaUrl) });
      return signFiles(items, {
        signer,
        policy: settings.policy,
        trustAnchors: settings.trustAnchors,
        exactOutputPath: Boolean(out),
        signal: ctx.signal,
        ...(hash && isHashAlg(hash) ? { hash } : {}),
        ...(tsaUrl ? { timestamp: { url: tsaUrl } } : {}),
        ...(level ? { level } : {}),
        ...(v['allow-downgrade'] ? { allowDowngrade: true } : {}),
        ...(visible ? { visible } : {}),
        ...(field !== undefined ? { field } : {}),
        ...(v.certify !== undefined ? { certify: Number(v.certify) as 1 | 2 | 3 } : {}),
        ...(locale ? { locale } : {}),
        ...(v.reason ? { reason: String(v.reason) } : {}),
        ...(v.location ? { location: String(v.location) } : {}),
        ...(v['check-revocation'] || settings.checkRevocation ? { revocation: {} } : {}),
        onWarning: (w) => ctx.note(`warning: ${w}`),
        onProgress: (i, phase) => {
          if (!ctx.json && phase === 'done' && items.length > 1) ctx.note(`signed ${i + 1}/${items.length}`);
        },
      });
    }
    const results: SignResult[] = prepared.map((p, index) => {
      const r = refused.get(index);
      if (r) return { ok: false, input: p.path, error: r };
      return signed[items.findIndex((i) => i.index === index)]!;
    });

    const failed = results.filter((r) => !r.ok);
    // One input, or one container: its failure is the command's failure.
    if (failed.length > 0 && (results.length === 1 || container)) {
      const e = (failed[0] as { error: ErrorInfo }).error;
      throw SignetError.fromInfo(e);
    }
    const json = results.map((r) =>
      r.ok
        ? {
            input: r.input,
            output: r.outputPath,
            format: r.format,
            signer: r.signer,
            ...(r.timestamp ? { timestamp: r.timestamp } : {}),
            ...(r.level ? { level: r.level } : {}),
            ...(r.warnings ? { warnings: r.warnings } : {}),
            ...(r.field ? { field: r.field } : {}),
            ...(r.pdfa ? { pdfa: r.pdfa } : {}),
            ...(r.container ? { container: r.container } : {}),
          }
        : { input: r.input, error: r.error },
    );
    ctx.print(json, () =>
      results
        .map((r) =>
          r.ok
            ? `${r.input} -> ${r.outputPath}${r.level ? ` (B-${r.level === 'B' ? 'B' : r.level})` : ''}${r.pdfa ? ` (PDF/A-${r.pdfa.part}${r.pdfa.conformance ?? ''}, kept)` : ''}`
            : `${r.input}: ${r.error.message} (${r.error.code})`,
        )
        .join('\n'),
    );
    return failed.length > 0 ? exitCodeFor((failed[0] as { error: ErrorInfo }).error.code) : EXIT.OK;
  },
};

/** PAGE,X,Y,W,H (numbers; PAGE 0 = last page). */
export function parseVisible(s: string): VisibleSignature {
  const parts = s.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 5 || parts.some((n) => !Number.isFinite(n))) {
    throw new SignetError('INVALID_INPUT', `--visible wants PAGE,X,Y,W,H (e.g. 1,50,50,220,70); got "${s}".`);
  }
  const [page, x, y, width, height] = parts as [number, number, number, number, number];
  if (!Number.isInteger(page) || page < 0) throw new SignetError('INVALID_INPUT', '--visible PAGE must be 1, 2, … or 0 for the last page.');
  if (width <= 0 || height <= 0) throw new SignetError('INVALID_INPUT', '--visible needs a positive width and height.');
  return { page, rect: { x, y, width, height } };
}
