/**
 * `signet` bootstrap (bundled to dist/cli.js, kept tiny on purpose).
 *
 * Start-up matters (issue 2 §9: `signet tokens` ≤ 1.5× a 5-line pkcs11js script). For commands
 * that use tokens, a token host is forked before anything else is even parsed, so its Node
 * start-up overlaps ours; the CLI proper (config validation, ASN.1, command code) is a second
 * bundle, dist/cli-app.js, loaded after the fork.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { NodeHostLauncher } from '../../native/node-launcher';
import { findCommand } from './commands/meta';
import type * as App from './app';

const argv = process.argv.slice(2);
const found = findCommand(argv);
const launcher = new NodeHostLauncher();
if (found?.meta.needsTokens && !argv.includes('--help') && !argv.includes('-h')) {
  // One host per --module; with discovered modules the first one (more are started as needed).
  launcher.prewarm(Math.max(1, argv.filter((a) => a === '--module' || a.startsWith('--module=')).length));
}

const app = createRequire(__filename)(path.join(__dirname, 'cli-app.js')) as typeof App;
app.main(argv, launcher).then(
  (code) => app.exit(code),
  (e: unknown) => {
    process.stderr.write(`signet: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return app.exit(1);
  },
);
