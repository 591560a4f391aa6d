/**
 * `signet demo init`: create or refresh the demo SoftHSM2 token (demo CA, a signing certificate
 * with nonRepudiation, an authentication certificate with clientAuth) in the user's data dir.
 * Output {module, softhsmConf, token, pin}: the demo PIN is the one PIN Signet ever prints.
 */
import { provisionDemo } from '../../core/demo/provision';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

export const command: CliCommand = {
  name: 'demo init',
  description: "Create or refresh the demo SoftHSM2 token (demo CA, signing and authentication certificates) in the user's data dir.",
  options: {},
  async run(args, ctx) {
    const modules = (args.values.module as string[] | undefined) ?? [];
    const r = await provisionDemo({
      config: ctx.config(),
      ...(modules[0] ? { module: modules[0] } : {}),
      launcher: ctx.hostLauncher(),
      logger: ctx.logger,
    });
    const out = { module: r.module, softhsmConf: r.softhsmConf, token: r.token, pin: r.pin };
    ctx.print(out, () =>
      [
        'Demo token ready (for trying Signet; not for real signatures).',
        `  module:        ${r.module}`,
        `  SoftHSM2 conf: ${r.softhsmConf}`,
        `  token:         ${r.token}`,
        `  PIN:           ${r.pin}`,
        `  demo CA:       ${r.caCertPath}`,
        `  signing cert:  ${r.certificates.signing}`,
        '',
        'Try: signet certs',
      ].join('\n'),
    );
    return EXIT.OK;
  },
};
