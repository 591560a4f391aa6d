/**
 * Argument parsing with node:util parseArgs (strict: unknown options are usage errors), plus
 * the global options every command takes. A PIN never comes from argv: there is no option for it.
 */
import { parseArgs } from 'node:util';
import { SignetError } from '../../native/errors';
import type { CliCommand, OptionSpec, ParsedArgs } from './command';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Machine output (JSON) on stdout' },
  module: { type: 'string', multiple: true, valueName: 'PATH', description: 'PKCS#11 module to use (repeatable; default: discovered modules)' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command' },
  verbose: { type: 'boolean', short: 'v', description: 'Log details to stderr' },
};

export const PIN_STDIN_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'Read the PIN from the first line of stdin (a second line: the per-signature PIN, if the key needs one)',
};

export function optionsOf(cmd: CliCommand): Record<string, OptionSpec> {
  return { ...GLOBAL_OPTIONS, ...(cmd.usesPin ? { 'pin-stdin': PIN_STDIN_OPTION } : {}), ...cmd.options };
}

export function parseCommandArgs(cmd: CliCommand, argv: string[]): ParsedArgs {
  const specs = optionsOf(cmd);
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, o] of Object.entries(specs)) {
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new SignetError('INVALID_INPUT', `${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')} (see "signet ${cmd.name} --help")`);
  }
  const values = parsed.values as ParsedArgs['values'];
  if (!values.help) {
    for (const [name, o] of Object.entries(specs)) {
      const v = values[name];
      if (o.required && (v === undefined || v === '')) throw new SignetError('INVALID_INPUT', `--${name} is required (see "signet ${cmd.name} --help").`);
      if (o.choices && typeof v === 'string' && !o.choices.includes(v)) {
        throw new SignetError('INVALID_INPUT', `--${name} must be one of ${o.choices.join(', ')}; got "${v}".`);
      }
    }
    if (!cmd.positionals && parsed.positionals.length > 0) {
      throw new SignetError('INVALID_INPUT', `Unexpected argument "${parsed.positionals[0]}" (see "signet ${cmd.name} --help").`);
    }
  }
  return { values, positionals: parsed.positionals };
}
