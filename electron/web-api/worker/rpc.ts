/**
 * A small typed RPC over a worker_threads MessagePort (both directions): calls with an id, an
 * answer as a value or an ErrorInfo (errors stay values with codes, native/errors.ts), aborts
 * that follow an AbortSignal across, and one-way events. Messages are structured clones.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { SignetError, toErrorInfo, type ErrorInfo } from '../../../native/errors';

type Msg =
  | { k: 'call'; id: number; m: string; a: unknown }
  | { k: 'ret'; id: number; ok: true; v: unknown }
  | { k: 'ret'; id: number; ok: false; e: ErrorInfo }
  | { k: 'abort'; id: number }
  | { k: 'event'; m: string; a: unknown };

export type Handler = (arg: never, signal: AbortSignal) => unknown;
export type Handlers = Record<string, Handler>;

type Port = Pick<MessagePort, 'postMessage' | 'on' | 'off'> | Pick<Worker, 'postMessage' | 'on' | 'off'>;

export interface Rpc {
  call<T>(method: string, arg: unknown, signal?: AbortSignal): Promise<T>;
  emit(event: string, arg: unknown): void;
  onEvent(listener: (event: string, arg: unknown) => void): void;
  /** Fail every call in flight (the other side went away). */
  close(reason: string): void;
}

export function createRpc(port: Port, handlers: Handlers): Rpc {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const serving = new Map<number, AbortController>();
  const eventListeners: ((event: string, arg: unknown) => void)[] = [];

  const onMessage = (msg: Msg): void => {
    switch (msg.k) {
      case 'call': {
        const handler = handlers[msg.m];
        const controller = new AbortController();
        serving.set(msg.id, controller);
        void (async () => {
          try {
            if (!handler) throw new SignetError('INTERNAL', `No such call: ${msg.m}`);
            const v = await handler(msg.a as never, controller.signal);
            port.postMessage({ k: 'ret', id: msg.id, ok: true, v } satisfies Msg);
          } catch (e) {
            port.postMessage({ k: 'ret', id: msg.id, ok: false, e: toErrorInfo(e) } satisfies Msg);
          } finally {
            serving.delete(msg.id);
          }
        })();
        return;
      }
      case 'ret': {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.v);
        else p.reject(SignetError.fromInfo(msg.e));
        return;
      }
      case 'abort':
        serving.get(msg.id)?.abort();
        return;
      case 'event':
        for (const l of eventListeners) l(msg.m, msg.a);
        return;
    }
  };
  port.on('message', onMessage);

  return {
    call<T>(method: string, arg: unknown, signal?: AbortSignal): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) return reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
        const onAbort = (): void => port.postMessage({ k: 'abort', id } satisfies Msg);
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: (v) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(v as T);
          },
          reject: (e) => {
            signal?.removeEventListener('abort', onAbort);
            reject(e);
          },
        });
        port.postMessage({ k: 'call', id, m: method, a: arg } satisfies Msg);
      });
    },
    emit(event, arg) {
      port.postMessage({ k: 'event', m: event, a: arg } satisfies Msg);
    },
    onEvent(listener) {
      eventListeners.push(listener);
    },
    close(reason) {
      port.off('message', onMessage);
      for (const [, p] of pending) p.reject(new SignetError('INTERNAL', reason));
      pending.clear();
      for (const [, c] of serving) c.abort();
    },
  };
}
