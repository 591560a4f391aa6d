/**
 * The CLI proper (bundled to dist/cli-app.js; main.ts boots a token host first, then loads
 * this): find the command, load its file, run it.
 */
import type { HostLauncher } from '../../native/launcher';
import { loadCommand } from './commands';
import { COMMAND_META, findCommand } from './commands/meta';
import type { CliCommand } from './command';
import { mainHelp } from './help';
import { printUsageError, runCommand } from './run';
import { SIGNET_VERSION } from '../core/version';

export async function main(argv: string[], launcher: HostLauncher): Promise<number> {
  const found = findCommand(argv);
  if (!found && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`signet ${SIGNET_VERSION}\n`);
    return 0;
  }
  if (!found) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
      process.stdout.write(`${mainHelp(COMMAND_META)}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    return printUsageError(argv, `Unknown command "${argv.filter((a) => !a.startsWith('-'))[0] ?? argv[0]}". Run "signet --help".`);
  }
  let cmd: CliCommand;
  try {
    cmd = await loadCommand(found.meta.name);
  } catch (e) {
    return printUsageError(argv, `Cannot load command ${found.meta.name}: ${(e as Error).message}`);
  }
  return runCommand(cmd, found.rest, launcher);
}

/** Exit once stdout/stderr have been handed to the OS (pipes are asynchronous on some platforms). */
export async function exit(code: number): Promise<never> {
  await Promise.all([new Promise((r) => process.stdout.write('', r)), new Promise((r) => process.stderr.write('', r))]);
  process.exit(code);
}
