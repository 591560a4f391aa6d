/**
 * `signet verify FILE [--signature P7S] [--trust PEM]... [--offline]`: verify the PAdES signatures in a PDF,
 * or a detached CAdES signature (--signature, else FILE.p7s) over FILE. Trust anchors: --trust
  if (s.xades) out.push(`   ${s.xades.signatureFile} (${s.xades.id}) covers: ${s.xades.covers.join(', ') || 'nothing'}`);
 * files, the configured anchors and the OS store (--no-system-trust leaves the OS store out).
 * JSON (design.md): {valid, signatures:[{signer, signingTime, integrity, chain, errors, …}]}; for
 * a PDF each signature's `pdf.changes` says what changed after it and whether it is permitted.
 * Each signature reports the baseline level it reaches (B-B, B-T, B-LT, B-LTA) and its embedded
 * revocation data, validated without the network (--offline guarantees none is used).
 * Exit code 8 when any signature is not valid — including a change its signature does not permit.
 */
import { SignetError } from '../../../native/errors';
import { loadTrustAnchors, documentSettings } from '../../core/signing/settings';
import { verifyDocument, type SignatureReport, type VerifyReport } from '../../core/verify';
import { setPdfLibLogger } from '../../core/formats/pades/quiet';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

export const command: CliCommand = {
  name: 'verify',
  description: 'Verify PAdES signatures in a PDF, XAdES signatures in an ASiC-E container (.asice), or a detached CAdES (.p7s) signature.',
  positionals: 'FILE',
  options: {
    signature: { type: 'string', valueName: 'P7S', description: 'Detached CAdES signature of FILE (default: FILE.p7s when FILE is not a PDF)' },
    trust: { type: 'string', multiple: true, valueName: 'PEM', description: 'Trust anchor certificate file (PEM or DER; repeatable)' },
    'no-system-trust': { type: 'boolean', description: "Do not trust the operating system's root certificates" },
    offline: { type: 'boolean', description: 'Use no network: judge revocation only from the material embedded in the file (PAdES DSS, CAdES revocation values)' },
  },
  async run(args, ctx) {
    // pdf-lib's console warnings go to the log file, not the terminal.
    setPdfLibLogger(ctx.logger);
    const [file, ...rest] = args.positionals;
    if (!file || rest.length > 0) throw new SignetError('INVALID_INPUT', 'Name exactly one file to verify (see "signet verify --help").');
    const given = loadTrustAnchors((args.values.trust as string[] | undefined) ?? []);
    if (given.problems.length > 0) throw new SignetError('INVALID_INPUT', given.problems.join('; '));
    const settings = documentSettings(ctx.config());
    for (const p of settings.trustAnchorProblems) ctx.note(`warning: ${p}`);
    const report = await verifyDocument(file, args.values.signature as string | undefined, {
      trustAnchors: [...given.anchors, ...settings.trustAnchors],
      useSystemStore: !args.values['no-system-trust'],
      ...(args.values.offline ? { offline: true } : {}),
      signal: ctx.signal,
    });
    ctx.print(report, () => humanReport(report));
    return report.valid ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  },
};

function humanReport(r: VerifyReport): string {
  const kind = r.format === 'asice' ? 'XAdES' : r.format.toUpperCase();
  const lines = [`${r.file}: ${r.valid ? 'all signatures are valid' : 'NOT VALID'} (${r.signatures.length} ${kind} signature${r.signatures.length === 1 ? '' : 's'})`];
  if (r.container) {
    lines.push(`   container: ${r.container.files.length} file${r.container.files.length === 1 ? '' : 's'}: ${r.container.files.map((f) => f.name).join(', ')}`);
    for (const p of r.container.problems) lines.push(`   container error: ${p}`);
  }
  for (const s of r.signatures) lines.push(...signatureLines(s));
  return lines.join('\n');
}

function signatureLines(s: SignatureReport): string[] {
  const out = [
    s.kind === 'doc-timestamp'
      ? `#${s.index} ${s.valid ? 'valid' : 'NOT VALID'} — document time-stamp by ${s.signer}${s.signingTime ? ` at ${s.signingTime}` : ''}`
      : `#${s.index} ${s.valid ? 'valid' : 'NOT VALID'} — signed by ${s.signer}${s.signingTime ? ` at ${s.signingTime}` : ''}${s.level ? ` — level ${s.level}` : ''}`,
    `   integrity: ${s.integrity ? 'ok' : 'FAILED'}; chain: ${s.chain.trusted ? 'trusted' : 'not trusted'}; purposes: ${s.purposes.join(', ') || 'none'}`,
  ];
  if (s.revocation) {
    out.push(`   revocation data (embedded): ${s.revocation.status}`);
    for (const c of s.revocation.certificates) out.push(`     ${c.subject}: ${c.status}${c.source ? ` (${c.source.toUpperCase()}${c.thisUpdate ? ` of ${c.thisUpdate}` : ''})` : ''}${c.note ? `; ${c.note}` : ''}${c.errors.length ? ` — ${c.errors.join('; ')}` : ''}`);
  }
  if (s.xades) out.push(`   ${s.xades.signatureFile} (${s.xades.id}) covers: ${s.xades.covers.join(', ') || 'nothing'}`);
  if (s.timestamp) out.push(`   time-stamp: ${s.timestamp.valid ? s.timestamp.time : 'INVALID'}${s.timestamp.valid && !s.timestamp.trusted ? ' (TSA not trusted)' : ''}${s.timestamp.tsa ? ` by ${s.timestamp.tsa}` : ''}`);
  if (s.pdf) {
    const cert = s.pdf.certification ? `; certification, DocMDP P=${s.pdf.certification.permission}` : '';
    out.push(`   field ${s.pdf.field}: ${s.pdf.coversWholeDocument ? 'covers the whole document' : `followed by ${s.pdf.laterRevisions} later revision(s)`}${cert}`);
    for (const c of s.pdf.changes ?? []) out.push(`   ${c.permitted ? 'permitted' : 'NOT PERMITTED'} change (${c.kind}, ${c.rule}): ${c.description}${c.objects.length ? ` [object${c.objects.length === 1 ? '' : 's'} ${c.objects.slice(0, 8).join(', ')}${c.objects.length > 8 ? ', …' : ''}]` : ''}`);
  }
  for (const e of s.errors) out.push(`   error: ${e}`);
  for (const w of s.warnings) out.push(`   warning: ${w}`);
  return out;
}
