/** `signet modules`: discovered and configured PKCS#11 modules, each loaded in its own host. */
import type { ModuleStatus } from '../../../native/types';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';

export const command: CliCommand = {
  name: 'modules',
  description: 'List discovered and configured PKCS#11 modules (loaded, or with the error that stopped them).',
  options: {},
  async run(_args, ctx) {
    const modules: ModuleStatus[] = await ctx.tokenClient().moduleStatus();
    ctx.print(modules, () =>
      modules.length === 0
        ? 'No PKCS#11 module found. Install OpenSC or your token vendor\'s software, pass --module PATH, or run "signet demo init".'
        : table(
            ['MODULE', 'SOURCE', 'STATUS', 'LIBRARY'],
            modules.map((m) => [
              m.path,
              m.source,
              m.loaded ? 'loaded' : `failed: ${m.error?.message ?? ''}`,
              m.info ? `${m.info.manufacturer} ${m.info.description} ${m.info.libraryVersion} (Cryptoki ${m.info.cryptokiVersion})` : '',
            ]),
          ),
    );
    // Listing succeeded unless nothing that was asked for could be loaded.
    return modules.length > 0 && modules.every((m) => !m.loaded) ? EXIT.MODULE : EXIT.OK;
  },
};
