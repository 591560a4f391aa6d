/**
 * `signet inspect FILE...`: what Signet sees in a PDF before signing it (the same core function
 * as the app's file rows): pages as displayed (size, rotation), encryption, existing signatures
 * and a DocMDP certification, a PDF/A claim, the empty signature fields `sign --field` can use
 * (name, page, rectangle as displayed), and the problems that would stop signing.
 * JSON: [{file, pageCount, pages, encrypted, signatureCount, certified?, pdfa?,
 * emptySignatureFields, problems:[{code, message, details:{reason,…}}]}]. Exit 0 when every file
 * can be signed, else the exit code of the first problem.
 */
import { SignetError } from '../../../native/errors';
import { inspectPdfFile, type PdfInspection } from '../../core/formats/pades/inspect';
import { setPdfLibLogger } from '../../core/formats/pades/quiet';
import type { CliCommand } from '../command';
import { EXIT, exitCodeFor } from '../exit-codes';

export const command: CliCommand = {
  name: 'inspect',
  description: 'Show what Signet sees in a PDF: pages, signatures, certification, PDF/A, empty signature fields, problems.',
  positionals: 'FILE...',
  options: {},
  async run(args, ctx) {
    // pdf-lib's console warnings go to the log file, not the terminal.
    setPdfLibLogger(ctx.logger);
    if (args.positionals.length === 0) throw new SignetError('INVALID_INPUT', 'Name at least one PDF to inspect (see "signet inspect --help").');
    const reports: (PdfInspection & { file: string })[] = [];
    for (const file of args.positionals) reports.push({ file, ...(await inspectPdfFile(file, { signal: ctx.signal })) });
    ctx.print(reports, () => reports.map(human).join('\n\n'));
    const problem = reports.flatMap((r) => r.problems)[0];
    return problem ? exitCodeFor(problem.code) : EXIT.OK;
  },
};

function human(r: PdfInspection & { file: string }): string {
  const lines = [`${r.file}:`];
  if (r.pageCount > 0) {
    const sizes = [...new Set(r.pages.map((p) => `${p.width} × ${p.height} pt${p.rotate ? ` (rotated ${p.rotate}°)` : ''}`))];
    lines.push(`   ${r.pageCount} page${r.pageCount === 1 ? '' : 's'}: ${sizes.slice(0, 4).join(', ')}${sizes.length > 4 ? ', …' : ''}`);
  }
  if (r.encrypted) lines.push('   encrypted');
  lines.push(`   ${r.signatureCount} signature${r.signatureCount === 1 ? '' : 's'}${r.certified ? `; certified, DocMDP P=${r.certified.permission}` : ''}`);
  if (r.pdfa) lines.push(`   claims PDF/A-${r.pdfa.part}${r.pdfa.conformance ?? ''}`);
  for (const f of r.emptySignatureFields) lines.push(`   empty signature field "${f.name}" on page ${f.page} at ${f.rect.x},${f.rect.y} (${f.rect.width} × ${f.rect.height} pt)`);
  for (const p of r.problems) lines.push(`   cannot be signed: ${p.message}`);
  return lines.join('\n');
}
