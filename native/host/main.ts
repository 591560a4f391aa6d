/**
 * Token host entry (bundled to dist/host.js). One process per PKCS#11 module: started by
 * TokenClient through a HostLauncher (Node fork or Electron utilityProcess), it owns pkcs11js,
 * every session handle and the module's state. A crash here costs only this module's logins.
 *
 * Requests naming a token queue per token (host/queue.ts) and run one at a time, in arrival
 * order; the client posts them without waiting, so the next one is here when the token finishes
 * the current one. A request still queued can be cancelled and never reaches the token. Other
 * requests (tokens.list, slots.watch, ...) run at once.
 */
import { SignetError, toErrorInfo, type ErrorInfo } from '../errors';
import { hardenProcess } from '../hardening';
import { isHostMethod, PROTOCOL_VERSION, tokenQueueOf, type ClientMessage, type HostMessage, type HostRequestMessage } from '../protocol';
import { handlers } from './commands';
import { setWatcher } from './commands/slots-watch';
import { HostContext } from './context';
import { TokenQueues } from './queue';
import { toSignetError } from './pkcs11';
import { SlotWatcher } from './slot-watch';
import { detectTransport } from './transport';

// Before the first message can bring a PIN: no core dump, not ptrace-able (native/hardening.ts).
const hardening = hardenProcess();
const transport = detectTransport();
const ctx = new HostContext((m: HostMessage) => transport.send(m));
setWatcher(new SlotWatcher(ctx));

function errorOf(e: unknown): ErrorInfo {
  return toErrorInfo(e instanceof SignetError ? e : toSignetError(e));
}

const queues = new TokenQueues();

/** Zero the PIN buffers of a request that will not run (its handler would have, in `finally`). */
function wipeSecrets(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 2) return;
  for (const [k, v] of Object.entries(value)) {
    if (v instanceof Uint8Array && /pin$/i.test(k)) v.fill(0);
    else wipeSecrets(v, depth + 1);
  }
}

/**
 * Responses wait for the end of the event loop's turn and leave together (protocol 'batch'): a
 * token queue runs several fast requests in one turn (host/queue.ts), and one write per group
 * instead of one per response is most of what pipelining saves on a soft token or an HSM.
 */
let outbox: HostMessage[] = [];

function flush(): void {
  const out = outbox;
  outbox = [];
  transport.send(out.length === 1 ? out[0]! : { kind: 'batch', messages: out });
}

function respond(m: HostMessage): void {
  if (outbox.push(m) === 1) setImmediate(flush);
}

/** Run one request and answer it. Never rejects. */
async function execute(m: HostRequestMessage): Promise<void> {
  try {
    const handler = handlers[m.method] as (p: unknown, c: HostContext) => unknown;
    const value = await handler(m.params ?? {}, ctx);
    respond({ kind: 'response', id: m.id, result: { ok: true, value } });
  } catch (e) {
    respond({ kind: 'response', id: m.id, result: { ok: false, error: errorOf(e) } });
  } finally {
    ctx.busy--;
  }
}

function dispatch(m: ClientMessage): void {
  if (typeof m !== 'object' || m === null || typeof m.id !== 'number') return;
  if (m.kind === 'cancel') {
    queues.cancel(m.id);
    return;
  }
  if (m.kind !== 'request') return;
  if (!isHostMethod(m.method)) {
    transport.send({ kind: 'response', id: m.id, result: { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown host method ${String(m.method)}.` } } });
    return;
  }
  // Queued requests count as busy: the module is not re-initialised under them (host/recover.ts).
  ctx.busy++;
  const queue = tokenQueueOf(m.params);
  if (queue === undefined) {
    void execute(m);
    return;
  }
  queues.submit(
    queue,
    m.id,
    () => execute(m),
    () => {
      ctx.busy--;
      wipeSecrets(m.params);
      respond({ kind: 'response', id: m.id, result: { ok: false, error: { code: 'USER_CANCELLED', message: 'Cancelled before it reached the token.' } } });
    },
  );
}

transport.onMessage(dispatch);
transport.onClose(() => {
  // The client is gone: nobody can use our sessions any more.
  try {
    ctx.lib?.C_Finalize();
  } catch {
    // ignore
  }
  process.exit(0);
});
transport.send({ kind: 'hello', protocol: PROTOCOL_VERSION, pid: process.pid });
for (const problem of hardening.problems) ctx.log('warn', 'token host: process hardening incomplete', { problem });
