/**
 * Stand-in for a Signet process that starts a token host (core-dump.test.ts): the real TokenClient
 * and NodeHostLauncher, bundled by the test and run as its own process, so the host's parent,
 * working directory, limits and capabilities are the test's choice. Reads the PIN from stdin (as
 * `--pin-stdin` does), logs in, prints one JSON line per event, then waits to be killed.
 */
import { TokenClient, type HostLauncher, type HostProcess } from '../../../native/client';
import { NodeHostLauncher } from '../../../native/node-launcher';

const say = (o: unknown): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);
const real = new NodeHostLauncher({ hostScript: process.env.CORE_TEST_HOST_SCRIPT! });
const launcher: HostLauncher = {
  launch(name: string): HostProcess {
    const p = real.launch(name);
    p.onExit((e) => say({ event: 'host-exit', pid: p.pid, ...e }));
    say({ event: 'host-started', pid: p.pid });
    return p;
  },
};
const client = new TokenClient({ modules: [{ path: process.env.CORE_TEST_MODULE!, source: 'argument', env: {} }], launcher });

const chunks: Buffer[] = [];
process.stdin.on('data', (d: Buffer) => chunks.push(d));
process.stdin.on('end', () => {
  const all = Buffer.concat(chunks);
  const end = all.indexOf(0x0a);
  const pin = new Uint8Array(all.subarray(0, end < 0 ? all.length : end));
  all.fill(0);
  const uri = process.env.CORE_TEST_TOKEN_URI!;
  client
    .login(uri, pin)
    .then(() => client.tokenStatus(uri))
    .then((s) => say({ event: 'logged-in', loggedIn: s.loggedIn }))
    .catch((e: unknown) => say({ event: 'error', message: e instanceof Error ? e.message : String(e) }));
});
setInterval(() => undefined, 60_000);
