/**
 * `signet extend FILE --level LT|LTA [--out PATH] [--tsa URL] [--json]`: add long-term
 * validation material to an existing signed PDF or .p7s (ETSI EN 319 142-1 §5.4 / EN 319 122-1
 * §5.5): certificates and OCSP responses / CRLs for every signature and time-stamp (LT), then an
 * archive time-stamp (LTA; again on an LTA file renews it). No token and no PIN: nothing is
 * signed by the user. The input is never modified; the output (default FILE-lt.pdf / FILE-lta.pdf
 * next to it, a free name) is written atomically; an explicit --out that exists is refused.
 * Revocation data that cannot be fetched fails the command, naming each certificate.
 * JSON: {input, output, format, level, addedBytes, timestamp?, warnings}.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { setPdfLibLogger } from '../../core/formats/pades/quiet';
import { extendedName, extendFile } from '../../core/ltv/extend-file';
import { documentSettings } from '../../core/signing/settings';
import { freeOutputPath } from '../../core/signing/output-path';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

export const command: CliCommand = {
  name: 'extend',
  description: 'Add long-term validation material (LT) and an archive time-stamp (LTA) to a signed PDF or .p7s.',
  positionals: 'FILE',
  options: {
    level: { type: 'string', choices: ['LT', 'LTA'], required: true, description: 'LT: embed certificates and OCSP/CRL answers; LTA: also an archive time-stamp (again: renew it)' },
    out: { type: 'string', valueName: 'PATH', description: 'Output file (never overwritten; default FILE-lt / FILE-lta next to the input)' },
    tsa: { type: 'string', valueName: 'URL', description: 'RFC 3161 time-stamp server for LTA (default: from the configuration)' },
  },
  async run(args, ctx) {
    setPdfLibLogger(ctx.logger);
    const [file, ...rest] = args.positionals;
    if (!file || rest.length > 0) throw new SignetError('INVALID_INPUT', 'Name exactly one file to extend (see "signet extend --help").');
    const level = args.values.level as 'LT' | 'LTA';
    const out = args.values.out as string | undefined;
    if (out && existsSync(out)) throw new SignetError('INVALID_INPUT', `${out} already exists; Signet never overwrites a file.`);
    if (out && path.resolve(out) === path.resolve(file)) throw new SignetError('INVALID_INPUT', 'The output would be the input file.');
    const settings = documentSettings(ctx.config());
    for (const p of settings.trustAnchorProblems) ctx.note(`warning: ${p}`);
    const tsaUrl = (args.values.tsa as string | undefined) ?? settings.tsaUrl;
    if (level === 'LTA' && !tsaUrl) throw new SignetError('INVALID_INPUT', '--level LTA needs a time-stamp server: --tsa URL, or signing.tsaUrl in the configuration.');
    const r = await extendFile({
      input: file,
      level,
      output: out ? path.resolve(out) : freeOutputPath(path.dirname(path.resolve(file)), extendedName(path.basename(file), level)),
      exactOutputPath: Boolean(out),
      ...(tsaUrl ? { timestamp: { url: tsaUrl } } : {}),
      trustAnchors: settings.trustAnchors,
      signal: ctx.signal,
    });
    for (const w of r.warnings) ctx.note(`warning: ${w}`);
    ctx.print(r, () => `${r.input} -> ${r.output} (${r.level}, ${r.addedBytes} bytes added${r.timestamp ? `, archive time-stamp ${r.timestamp}` : ''})`);
    return EXIT.OK;
  },
};
