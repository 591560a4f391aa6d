/** The shape of one route file: method, body limit, strict parse, handler. */
import { SignetError } from '../../../native/errors';
import type { ConsentBroker } from '../consent/broker';
import type { ApiPath, ApiRoutes } from '../protocol';
import { describeIssues } from '../schemas';
import type { WebApiServices } from '../services';
import type { z } from 'zod';

export interface WebApiSettings {
  /** Largest document /v1/sign-document accepts, in bytes (config; default 25 MB). */
  maxDocumentBytes: number;
  /** Developer setting: accept http://localhost, http://127.0.0.1 and http://[::1] origins. */
  allowHttpLocalhost: boolean;
}

export interface RouteContext {
  /** The page's origin, from the Origin header (checked and allowed). */
  origin: string;
  services: WebApiServices;
  broker: ConsentBroker;
  settings: WebApiSettings;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface Route<P extends ApiPath> {
  method: ApiRoutes[P]['method'];
  /** Body limit in bytes (JSON text). */
  maxBodyBytes(settings: WebApiSettings): number;
  /** Strict parse; throws INVALID_INPUT. */
  parse(body: unknown, settings: WebApiSettings): ApiRoutes[P]['request'];
  handle(request: ApiRoutes[P]['request'], ctx: RouteContext): Promise<ApiRoutes[P]['response']>;
}

/** Small JSON bodies (everything but documents). */
export const SMALL_BODY_BYTES = 64 * 1024;

export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new SignetError('INVALID_INPUT', `Invalid request: ${describeIssues(r.error)}.`, { details: { reason: 'schema' } });
  return r.data;
}

export const consentDenied = (what: string): SignetError => new SignetError('CONSENT_DENIED', `You declined ${what} in Signet.`);
