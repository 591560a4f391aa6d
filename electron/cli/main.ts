/**
 * `signet` entry point (bundled to dist/cli.js).
 *
 * Start-up order matters (issue 2 §9): for commands that talk to tokens, a token host is forked
 * before anything else is loaded, so its Node start-up overlaps ours; command code, config
 * validation and ASN.1 libraries are loaded only for the command that runs. That is why this
 * file imports the Node launcher directly and nothing heavier.
 */
import { NodeHostLauncher } from '../../native/node-launcher';
import { COMMANDS, findCommand } from './commands';
import type { CliCommand } from './command';

const argv = process.argv.slice(2);
const found = findCommand(argv);
const wantsHelp = argv.includes('--help') || argv.includes('-h');

// 1. Boot token hosts now: one per --module, else one for the first discovered module.
const launcher = new NodeHostLauncher();
if (found?.entry.needsTokens && !wantsHelp) {
  launcher.prewarm(Math.max(1, argv.filter((a) => a === '--module' || a.startsWith('--module=')).length));
}

async function flushAndExit(code: number): Promise<never> {
  await Promise.all([new Promise((r) => process.stdout.write('', r)), new Promise((r) => process.stderr.write('', r))]);
  process.exit(code);
}

async function main(): Promise<number> {
  const { runCommand, printUsageError } = await import('./run');
  if (!found) {
    const { mainHelp } = await import('./help');
    if (argv.length === 0 || wantsHelp || argv[0] === 'help') {
      process.stdout.write(`${mainHelp(COMMANDS)}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    return printUsageError(argv, `Unknown command "${argv.filter((a) => !a.startsWith('-'))[0] ?? argv[0]}". Run "signet --help".`);
  }
  let cmd: CliCommand;
  try {
    cmd = await found.entry.load();
  } catch (e) {
    return printUsageError(argv, `Cannot load command ${found.entry.name}: ${(e as Error).message}`);
  }
  return runCommand(cmd, found.rest, launcher);
}

main().then(flushAndExit, async (e: unknown) => {
  process.stderr.write(`signet: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  await flushAndExit(1);
});
