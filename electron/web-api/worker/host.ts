/**
 * Starts the web API in a worker thread (worker/entry.ts, bundled as dist/web-api-worker.js) and
 * serves its calls on the app's main thread: the consent queue, the cards (WebApiServices), the
 * remembered origins. Settings and origin lists are pushed to the worker when they change, and
 * cooldowns as the queue starts them, so the worker refuses early without asking.
 *
 * Used by the app and the browser harness (electron/app/services/create.ts); the tests also run
 * the same server in-process (server.ts) where they need to reach inside.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SignetError } from '../../../native/errors';
import type { ConsentBroker } from '../consent/broker';
import type { OriginStore } from '../origins';
import type { WebApiSettings } from '../routes/route';
import type { ServerTimeouts } from '../server';
import type { ConnectionLimits } from '../security/connections';
import type { RateLimitOptions } from '../security/rate-limit';
import type { WebApiServices } from '../services';
import type { MainCalls, WorkerCalls, WorkerConfig, WorkerEvents, WorkerInit } from './protocol';
import { createRpc, type Handler } from './rpc';

export interface StartWebApiWorkerOptions {
  services: WebApiServices;
  origins: OriginStore;
  /** The app's consent queue (the UI answers it). */
  broker: ConsentBroker;
  port: number;
  settings: () => Partial<WebApiSettings>;
  /** Called with a listener that must run whenever settings or remembered origins change. */
  onConfigChange?: (listener: () => void) => () => void;
  rateLimit?: RateLimitOptions;
  connections?: Partial<ConnectionLimits>;
  timeouts?: Partial<ServerTimeouts>;
  log?: (line: string) => void;
  /** dist/web-api-worker.js (default: found next to the running bundle or in the repo's dist/). */
  script?: string;
}

export interface WebApiWorkerHandle {
  port: number;
  url: string;
  consent: ConsentBroker;
  origins: { revoke(origin: string): void };
  load(): Promise<{ connections: number; uploadBytes: number }>;
  close(): Promise<void>;
}

/** dist/web-api-worker.js next to dist/harness.js, next to dist/app/, or in the repo's dist/ (tests run sources). */
export function defaultWorkerScript(): string {
  const candidates = [path.join(__dirname, 'web-api-worker.js'), path.join(__dirname, '..', 'web-api-worker.js'), path.resolve(__dirname, '..', '..', '..', 'dist', 'web-api-worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

export async function startWebApiWorker(opts: StartWebApiWorkerOptions): Promise<WebApiWorkerHandle> {
  const configNow = (): WorkerConfig => ({ settings: opts.settings(), policyOrigins: [...opts.origins.policyOrigins()], rememberedOrigins: [...opts.origins.rememberedOrigins()] });
  const init: WorkerInit = {
    ...configNow(),
    port: opts.port,
    appVersion: opts.services.appVersion,
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.connections ? { connections: opts.connections } : {}),
    ...(opts.timeouts ? { timeouts: opts.timeouts } : {}),
  };
  const worker = new Worker(opts.script ?? defaultWorkerScript(), { workerData: init });

  const handlers: { [M in keyof MainCalls]: Handler } = {
    tokens: () => opts.services.tokens(),
    certificates: () => opts.services.certificates(),
    signDigest: ((req: MainCalls['signDigest'], signal: AbortSignal) => opts.services.signDigest({ ...req, signal })) as Handler,
    signDocument: ((req: MainCalls['signDocument'], signal: AbortSignal) => opts.services.signDocument({ ...req, signal })) as Handler,
    ask: (({ input, lane, askId, documentText, documentBytes }: MainCalls['ask'], signal: AbortSignal) =>
      opts.broker.ask(input, {
        lane,
        signal,
        ...(documentText
          ? { documentText: async (offset: number) => (await workerCall<{ text: string; nextOffset: number } | null>('documentText', { askId, offset })) ?? undefined }
          : {}),
        ...(documentBytes ? { documentBytes: (offset: number, length: number) => workerCall<Uint8Array>('documentBytes', { askId, offset, length }) } : {}),
      })) as Handler,
    remember: (async ({ origin }: MainCalls['remember']) => {
      await opts.origins.remember(origin);
    }) as Handler,
  };
  const rpc = createRpc(worker, handlers);
  const workerCall = <T>(m: keyof WorkerCalls, arg: WorkerCalls[keyof WorkerCalls]): Promise<T> => rpc.call<T>(m, arg);
  const emit = <E extends keyof WorkerEvents>(e: E, arg: WorkerEvents[E]): void => rpc.emit(e, arg);

  const ready = new Promise<number>((resolve, reject) => {
    rpc.onEvent((event, arg) => {
      if (event === 'ready') {
        const r = arg as WorkerEvents['ready'];
        if ('port' in r) resolve(r.port);
        else reject(new SignetError('INTERNAL', `The web API did not start: ${r.error}`));
      } else if (event === 'log') opts.log?.(arg as string);
    });
    worker.once('error', (e) => reject(e));
    worker.once('exit', (code) => reject(new SignetError('INTERNAL', `The web API's worker stopped (${code}).`)));
  });
  let port: number;
  try {
    port = await ready;
  } catch (e) {
    rpc.close('web API worker failed');
    await worker.terminate();
    throw e;
  }

  const onCooldown = (c: { key: string; until: number }): void => emit('cooldown', c);
  opts.broker.on('cooldown', onCooldown);
  const offConfig = opts.onConfigChange?.(() => emit('config', configNow()));
  worker.on('exit', () => rpc.close('web API worker stopped'));

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    consent: opts.broker,
    origins: { revoke: (origin) => emit('revoke', { origin }) },
    load: () => workerCall('load', undefined),
    async close() {
      opts.broker.off('cooldown', onCooldown);
      offConfig?.();
      opts.broker.cancelAll();
      try {
        await Promise.race([workerCall('close', undefined), new Promise((r) => setTimeout(r, 3_000))]);
      } catch {
        // already gone
      }
      await worker.terminate();
    },
  };
}
