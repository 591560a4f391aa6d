/**
 * `signet modules`: discovered and configured PKCS#11 modules, each loaded in its own host.
 * Proxies (p11-kit-proxy, …) are marked, with the tokens they share with a directly loaded module
 * and which module Signet uses for those instead (native/client.ts preferDirect). Modules that are
 * not critical (p11-kit's word; discovered ones) are reported here only when they fail to load.
 */
import type { ModuleStatus } from '../../../native/types';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';

function status(m: ModuleStatus): string {
  if (!m.loaded) return `failed${m.critical ? '' : ' (not critical)'}: ${m.error?.message ?? ''}`;
  return m.proxy ? 'loaded (proxy)' : 'loaded';
}

function notes(modules: readonly ModuleStatus[]): string[] {
  const out: string[] = [];
  for (const m of modules) {
    for (const s of m.shadowed ?? []) out.push(`note: ${s.token} is also reached through the proxy ${m.path}; Signet uses the direct module ${s.usedThrough}.`);
  }
  return out;
}

export const command: CliCommand = {
  name: 'modules',
  description: 'List discovered and configured PKCS#11 modules (loaded, or with the error that stopped them).',
  options: {},
  async run(_args, ctx) {
    const modules: ModuleStatus[] = await ctx.tokenClient().moduleStatus();
    ctx.print(modules, () =>
      modules.length === 0
        ? 'No PKCS#11 module found. Install OpenSC or your token vendor\'s software, pass --module PATH, or run "signet demo init".'
        : [
            table(
              ['MODULE', 'SOURCE', 'STATUS', 'LIBRARY'],
              modules.map((m) => [
                m.path,
                m.source,
                status(m),
                m.info ? `${m.info.manufacturer} ${m.info.description} ${m.info.libraryVersion} (Cryptoki ${m.info.cryptokiVersion})` : '',
              ]),
            ),
            ...notes(modules),
          ].join('\n'),
    );
    // Listing succeeded unless nothing that was asked for could be loaded.
    return modules.length > 0 && modules.every((m) => !m.loaded) ? EXIT.MODULE : EXIT.OK;
  },
};
