/** `signet tokens`: tokens in all slots (uninitialised ones included), with CK_TOKEN_INFO flags. */
import type { SignetError } from '../../../native/errors';
import type { TokenInfo } from '../../../native/types';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';

const flagsText = (t: TokenInfo): string =>
  [
    !t.flags.tokenInitialized && 'not initialised',
    t.flags.protectedAuthPath && 'PIN pad',
    t.flags.pinLocked && 'PIN LOCKED',
    t.flags.pinFinalTry && 'PIN final try',
    t.flags.pinCountLow && 'PIN count low',
    t.flags.pinToBeChanged && 'PIN to be changed',
  ]
    .filter(Boolean)
    .join(', ');

export const command: CliCommand = {
  name: 'tokens',
  description: 'List the tokens in all slots of all modules.',
  options: {},
  async run(_args, ctx) {
    const client = ctx.tokenClient();
    const failures: { module: string; error: SignetError }[] = [];
    const tokens = await client.listTokens({ onModuleError: (module, error) => failures.push({ module, error }) });
    for (const f of failures) ctx.note(`warning: ${f.module}: ${f.error.message} [${f.error.code}]`);
    ctx.print(tokens, () =>
      tokens.length === 0
        ? 'No token found.'
        : table(
            ['LABEL', 'MANUFACTURER', 'MODEL', 'SERIAL', 'SLOT', 'FLAGS', 'URI'],
            tokens.map((t) => [t.label || '(empty)', t.manufacturer, t.model, t.serial, t.slotId, flagsText(t), t.uri]),
          ),
    );
    return tokens.length === 0 && failures.length > 0 && failures.length === client.modules.length ? EXIT.MODULE : EXIT.OK;
  },
};
