/**
 * What crosses between the app's main thread and the web API's worker thread (worker/host.ts,
 * worker/entry.ts). The worker owns the HTTP server, the uploads and their spool files; the main
 * thread owns what needs the app: the consent queue (the window), the token client and key
 * signer (PINs), the settings. Nothing here carries a PIN.
 */
import type { ConsentLane, ConsentInput } from '../consent/broker';
import type { WebApiSettings } from '../routes/route';
import type { ServerTimeouts } from '../server';
import type { ConnectionLimits } from '../security/connections';
import type { RateLimitOptions } from '../security/rate-limit';
import type { SignDigestRequest, SignDocumentFileRequest } from '../services';

export interface WorkerConfig {
  settings: Partial<WebApiSettings>;
  policyOrigins: readonly string[];
  rememberedOrigins: readonly string[];
}

/** workerData of the API's worker. */
export interface WorkerInit extends WorkerConfig {
  port: number;
  appVersion: string;
  rateLimit?: RateLimitOptions;
  connections?: Partial<ConnectionLimits>;
  timeouts?: Partial<ServerTimeouts>;
}

/** Calls from the worker to the main thread (method → argument). */
export interface MainCalls {
  tokens: undefined;
  certificates: undefined;
  signDigest: Omit<SignDigestRequest, 'signal'>;
  signDocument: Omit<SignDocumentFileRequest, 'signal'>;
  ask: { input: ConsentInput; lane: ConsentLane; askId: number; documentText: boolean; documentBytes?: boolean };
  remember: { origin: string };
}

/** Calls from the main thread to the worker. */
export interface WorkerCalls {
  documentText: { askId: number; offset: number };
  documentBytes: { askId: number; offset: number; length: number };
  load: undefined;
  close: undefined;
}

/** One-way events. */
export interface WorkerEvents {
  /** worker → main, once listening (or failed to). */
  ready: { port: number } | { error: string };
  /** worker → main: one log line per request. */
  log: string;
  /** main → worker. */
  config: WorkerConfig;
  cooldown: { key: string; until: number };
  revoke: { origin: string };
}
