/**
 * `signet` bootstrap (bundled to dist/cli.js, kept tiny on purpose).
 *
 * Start-up matters (issue 2 §9: `signet tokens` ≤ 1.5× a 5-line pkcs11js script). For commands
 * that use tokens, a token host is forked before anything else is even parsed, so its Node
 * start-up overlaps ours; the CLI proper (config validation, ASN.1, command code) is loaded after
 * the fork, from dist/cli-app/ (ESM, split per command by scripts/build.mjs, so a command parses
 * only the code it uses).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hardenProcess } from '../../native/hardening';
import { NodeHostLauncher } from '../../native/node-launcher';
import { findCommand } from './commands/meta';
import type * as App from './app';

// First, before any host is forked (they inherit RLIMIT_CORE 0) and before a PIN can be read:
// no core dump of this process (native/hardening.ts). Not hardened is said, never silent.
for (const problem of hardenProcess().problems) process.stderr.write(`signet: warning: process hardening incomplete: ${problem}\n`);

const argv = process.argv.slice(2);
const found = findCommand(argv);
const launcher = new NodeHostLauncher();
if (found?.meta.needsTokens && !argv.includes('--help') && !argv.includes('-h')) {
  // One host per --module; with discovered modules the first one (more are started as needed).
  launcher.prewarm(Math.max(1, argv.filter((a) => a === '--module' || a.startsWith('--module=')).length));
}

const appUrl = pathToFileURL(path.join(__dirname, 'cli-app', 'app.mjs')).href;
(import(appUrl) as Promise<typeof App>).then(
  (app) =>
    app.main(argv, launcher).then(
      (code) => app.exit(code),
      (e: unknown) => {
        process.stderr.write(`signet: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        return app.exit(1);
      },
    ),
  (e: unknown) => {
    process.stderr.write(`signet: cannot load ${appUrl}: ${e instanceof Error ? e.message : String(e)}\n`);
    launcher.dispose();
    process.exitCode = 1;
  },
);
