/** `signet certs [--token URI]`: certificates on the tokens and whether a private key matches. */
import { listCertificateSummaries } from '../../core/certificates';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

export const command: CliCommand = {
  name: 'certs',
  description: 'List certificates on the tokens, their purposes, and the matching private key.',
  options: {
    token: { type: 'string', valueName: 'URI', description: 'Only this token (RFC 7512 URI, e.g. pkcs11:token=My%20Card)' },
  },
  async run(args, ctx) {
    const tokenUri = args.values.token as string | undefined;
    const certs = await listCertificateSummaries(ctx.tokenClient(), { ...(tokenUri ? { tokenUri } : {}), signal: ctx.signal, logger: ctx.logger });
    ctx.print(certs, () =>
      certs.length === 0
        ? 'No certificate found.'
        : certs
            .map((c) =>
              [
                `${c.subject}`,
                `  issuer:      ${c.issuer}`,
                `  valid:       ${c.notBefore} – ${c.notAfter}`,
                `  key:         ${c.keyType}${c.keySize ? ` ${c.keySize}` : ''}${c.curve ? ` (${c.curve})` : ''}${c.alwaysAuthenticate === true ? ', PIN for every signature' : c.alwaysAuthenticate === null ? ', PIN for every signature: unknown until login' : ''}`,
                `  purposes:    ${c.purposes.join(', ') || '(none Signet uses)'}`,
                `  certificate: ${c.uri}`,
                `  private key: ${c.keyUri ?? '(none on the token)'}`,
                `  SHA-256:     ${c.fingerprintSha256}`,
              ].join('\n'),
            )
            .join('\n\n'),
    );
    return EXIT.OK;
  },
};
