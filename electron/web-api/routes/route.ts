/** The shape of one route file: its method and a handler that reads its input through the context. */
import { SignetError } from '../../../native/errors';
import type { ConsentDecision } from '../../api';
import type { ConsentInput, ConsentLane, DocumentBytesReader, DocumentTextReader } from '../consent/broker';
import type { ApiPath, ApiRoutes } from '../protocol';
import { describeIssues } from '../schemas';
import type { WebApiServices } from '../services';
import type { SpooledDocument } from '../upload/spool';
import type { z } from 'zod';

export interface WebApiSettings {
  /** Largest document /v1/sign-document accepts, in bytes (config; default 25 MB). */
  maxDocumentBytes: number;
  /** Developer setting: accept http://localhost, http://127.0.0.1 and http://[::1] origins. */
  allowHttpLocalhost: boolean;
}

/** The request's input, read only through these (each checks before reading anything). */
export interface RequestInput {
  /** A JSON body (Content-Type application/json) of at most `maxBytes`, checked against `schema`. */
  json<T>(schema: z.ZodType<T>, maxBytes: number): Promise<T>;
  /** The route takes no body. */
  none(): void;
  /** The query string (each name at most once, checked by the route's schema). */
  query(): Record<string, string>;
  /** The raw body (Content-Type application/octet-stream) streamed to a private file, at most
   *  `limit` bytes, within the origin's upload budget. Removed when the request ends. */
  document(limit: number): Promise<SpooledDocument>;
}

/** What a route asks the user about (the context adds the origin and whether it is a first contact). */
export type OperationInput = Omit<ConsentInput, 'origin' | 'firstContact'>;

export interface RouteContext {
  /** The page's origin, from the Origin header (checked). */
  origin: string;
  /** 'allowed', or 'unknown' for a site's first contact (its consent also allows the site). */
  lane: ConsentLane;
  input: RequestInput;
  services: WebApiServices;
  settings: WebApiSettings;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /**
   * Ask the user. Resolves with the approval (a first contact's approval also allows the site);
   * a refusal answers CONSENT_DENIED, a timeout or a vanished page USER_CANCELLED.
   */
  ask(input: OperationInput, refusedWhat: string, options?: { documentText?: DocumentTextReader; documentBytes?: DocumentBytesReader }): Promise<ConsentDecision>;
  /** A path for an output file in the API's private directory (removed when the request ends). */
  tempFile(suffix: string): string;
}

/** A response whose body is a file (streamed, then removed). */
export interface FileReply {
  kind: 'file';
  path: string;
  contentType: string;
  headers: Record<string, string>;
}

export interface Route<P extends ApiPath> {
  method: ApiRoutes[P]['method'];
  handle(ctx: RouteContext): Promise<ApiRoutes[P]['response'] | FileReply>;
}

export function isFileReply(v: unknown): v is FileReply {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'file';
}

/** Small JSON bodies (everything but documents). */
export const SMALL_BODY_BYTES = 64 * 1024;

export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new SignetError('INVALID_INPUT', `Invalid request: ${describeIssues(r.error)}.`, { details: { reason: 'schema' } });
  return r.data;
}

export const consentDenied = (what: string): SignetError => new SignetError('CONSENT_DENIED', `You declined ${what} in Signet.`);
