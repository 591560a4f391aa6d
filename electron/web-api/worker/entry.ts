/**
 * The web API's worker thread (dist/web-api-worker.js): the HTTP server, uploads, hashing and
 * spool files run here, off the app's main thread (issue 10), so a page's uploads cannot stall
 * the app's window, IPC or token handling. Everything that needs the app is a call to the main
 * thread (worker/protocol.ts): the consent queue, the cards, the settings (mirrored here as
 * pushed). The server code is the same one the tests run in-process (server.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SignetError } from '../../../native/errors';
import type { ConsentDecision } from '../../api';
import { cooldownKey, type ConsentPort, type DocumentBytesReader, type DocumentTextReader } from '../consent/broker';
import { refusal } from '../errors';
import type { OriginStore } from '../origins';
import { startWebApi } from '../server';
import type { WebApiServices } from '../services';
import type { MainCalls, WorkerConfig, WorkerEvents, WorkerInit } from './protocol';
import { createRpc } from './rpc';

async function run(): Promise<void> {
  if (!parentPort) throw new Error('not a worker');
  const init = workerData as WorkerInit;
  let config: WorkerConfig = { settings: init.settings, policyOrigins: init.policyOrigins, rememberedOrigins: init.rememberedOrigins };
  const cooldowns = new Map<string, number>();
  const pending = new Map<string, number>();
  const readers = new Map<number, DocumentTextReader>();
  const byteReaders = new Map<number, DocumentBytesReader>();
  let nextAsk = 1;

  const rpc = createRpc(parentPort, {
    documentText: async ({ askId, offset }: { askId: number; offset: number }) => {
      const read = readers.get(askId);
      if (!read) throw new SignetError('INVALID_INPUT', 'No such document request (it may have ended).');
      return (await read(offset)) ?? null;
    },
    documentBytes: async ({ askId, offset, length }: { askId: number; offset: number; length: number }) => {
      const read = byteReaders.get(askId);
      if (!read) throw new SignetError('INVALID_INPUT', 'No such document request (it may have ended).');
      return read(offset, length);
    },
    load: () => api.load(),
    close: async () => {
      await api.close();
      setImmediate(() => process.exit(0));
    },
  });
  const call = <M extends keyof MainCalls, T>(m: M, arg: MainCalls[M], signal?: AbortSignal): Promise<T> => rpc.call<T>(m, arg, signal);
  const emit = <E extends keyof WorkerEvents>(e: E, arg: WorkerEvents[E]): void => rpc.emit(e, arg);

  const services: WebApiServices = {
    appVersion: init.appVersion,
    tokens: () => call('tokens', undefined),
    certificates: () => call('certificates', undefined),
    signDigest: ({ signal, ...req }) => call('signDigest', req, signal),
    signDocument: ({ signal, ...req }) => call('signDocument', req, signal),
  };

  const broker: ConsentPort = {
    async ask(input, options): Promise<ConsentDecision> {
      const askId = nextAsk++;
      if (options.documentText) readers.set(askId, options.documentText);
      if (options.documentBytes) byteReaders.set(askId, options.documentBytes);
      pending.set(input.origin, (pending.get(input.origin) ?? 0) + 1);
      try {
        return await call('ask', { input, lane: options.lane ?? 'allowed', askId, documentText: options.documentText !== undefined, documentBytes: options.documentBytes !== undefined }, options.signal);
      } finally {
        readers.delete(askId);
        byteReaders.delete(askId);
        const left = (pending.get(input.origin) ?? 1) - 1;
        if (left <= 0) pending.delete(input.origin);
        else pending.set(input.origin, left);
      }
    },
    refusalFor(origin, lane) {
      const until = cooldowns.get(cooldownKey(origin, lane));
      if (until === undefined || Date.now() >= until) return undefined;
      return refusal('ORIGIN_NOT_ALLOWED', 'origin-denied', 'This site was refused in Signet a moment ago; try again later.', true);
    },
    hasPending: (origin) => pending.has(origin),
  };

  const origins: OriginStore = {
    policyOrigins: () => config.policyOrigins,
    rememberedOrigins: () => config.rememberedOrigins,
    async remember(origin) {
      config = { ...config, rememberedOrigins: [...config.rememberedOrigins, origin] };
      await call('remember', { origin });
    },
  };

  const api = await startWebApi({
    services,
    broker,
    origins,
    port: init.port,
    settings: () => config.settings,
    ...(init.rateLimit ? { rateLimit: init.rateLimit } : {}),
    ...(init.connections ? { connections: init.connections } : {}),
    ...(init.timeouts ? { timeouts: init.timeouts } : {}),
    log: (line) => emit('log', line),
  });

  rpc.onEvent((event, arg) => {
    const e = event as keyof WorkerEvents;
    if (e === 'config') config = arg as WorkerConfig;
    else if (e === 'cooldown') {
      const c = arg as WorkerEvents['cooldown'];
      cooldowns.set(c.key, c.until);
      if (cooldowns.size > 1000) for (const [k, u] of cooldowns) if (u <= Date.now()) cooldowns.delete(k);
    } else if (e === 'revoke') api.origins.revoke((arg as WorkerEvents['revoke']).origin);
  });
  emit('ready', { port: api.port });
}

run().catch((e: unknown) => {
  parentPort?.postMessage({ k: 'event', m: 'ready', a: { error: e instanceof Error ? e.message : String(e) } });
});
