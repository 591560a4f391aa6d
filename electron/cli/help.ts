/** Help texts, from the command definitions (nothing written twice). */
import type { CliCommand } from './command';
import type { CommandMeta } from './commands/meta';
import { optionsOf } from './args';

export function commandHelp(cmd: CliCommand): string {
  const lines = [`Usage: signet ${cmd.name}${cmd.positionals ? ` ${cmd.positionals}` : ''} [options]`, '', cmd.description, '', 'Options:'];
  const specs = Object.entries(optionsOf(cmd));
  const left = specs.map(([name, o]) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.valueName ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  specs.forEach(([, o], i) => lines.push(`  ${left[i]!.padEnd(width)}${o.description}${o.required ? ' (required)' : ''}`));
  return lines.join('\n');
}

export function mainHelp(commands: readonly CommandMeta[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: signet <command> [options]',
    '',
    'Sign with PKCS#11 smart cards and USB tokens.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.description}`),
    '',
    'Every command takes --json (machine output) and --module PATH (repeatable).',
    'PINs are asked without echo, or read from stdin with --pin-stdin; never from the command line.',
    'Run "signet <command> --help" for the command\'s options; "signet --version" for the version.',
  ].join('\n');
}
