/**
 * Token host entry (bundled to dist/host.js). One process per PKCS#11 module: started by
 * TokenClient through a HostLauncher (Node fork or Electron utilityProcess), it owns pkcs11js,
 * every session handle and the module's state. A crash here costs only this module's logins.
 *
 * Requests are handled in arrival order; synchronous PKCS#11 calls run to completion before the
 * next message is read, C_Sign runs on libuv's pool. The client serialises calls per token.
 */
import { SignetError, toErrorInfo, type ErrorInfo } from '../errors';
import { isHostMethod, PROTOCOL_VERSION, type ClientMessage, type HostMessage } from '../protocol';
import { handlers } from './commands';
import { setWatcher } from './commands/slots-watch';
import { HostContext } from './context';
import { toSignetError } from './pkcs11';
import { SlotWatcher } from './slot-watch';
import { detectTransport } from './transport';

const transport = detectTransport();
const ctx = new HostContext((m: HostMessage) => transport.send(m));
setWatcher(new SlotWatcher(ctx));

function errorOf(e: unknown): ErrorInfo {
  return toErrorInfo(e instanceof SignetError ? e : toSignetError(e));
}

async function dispatch(m: ClientMessage): Promise<void> {
  if (typeof m !== 'object' || m === null || m.kind !== 'request' || typeof m.id !== 'number') return;
  if (!isHostMethod(m.method)) {
    transport.send({ kind: 'response', id: m.id, result: { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown host method ${String(m.method)}.` } } });
    return;
  }
  ctx.busy++;
  try {
    const handler = handlers[m.method] as (p: unknown, c: HostContext) => unknown;
    const value = await handler(m.params ?? {}, ctx);
    transport.send({ kind: 'response', id: m.id, result: { ok: true, value } });
  } catch (e) {
    transport.send({ kind: 'response', id: m.id, result: { ok: false, error: errorOf(e) } });
  } finally {
    ctx.busy--;
  }
}

transport.onMessage((m) => void dispatch(m));
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
