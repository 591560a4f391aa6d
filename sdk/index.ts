/**
 * Signet browser SDK (ESM, no dependencies): lets a web page ask the user's Signet app to sign
 * or authenticate over Signet's loopback API. The user always approves in Signet's own window
 * (and types the PIN there); the page never sees a PIN.
 *
 *   import { Signet } from './signet.mjs';
 *   const signet = new Signet();
 *   const { certificate } = await signet.getSigningCertificate();
 *   const { signature } = await signet.sign({ hash, hashAlgorithm: 'SHA-256', certificate });
 *   const token = await signet.authenticate(challengeNonceFromYourServer);
 *
 * Errors are `SignetError`s with a `code` (the server's codes plus APP_NOT_RUNNING), a message
 * and an `action` sentence to show the user. Every call has a timeout.
 */
import type {
  AuthenticateResponse,
  CertificateResponse,
  DocumentFormat,
  SignDocumentResponse,
  SignResponse,
  StatusResponse,
  WebHashAlgorithm,
  ApiErrorBody,
} from '../electron/web-api/protocol';
import { asBase64, fromBase64, type BinaryInput } from './base64';
import { DEFAULT_DOWNLOAD_URL, SignetError } from './errors';

export { SignetError, DEFAULT_DOWNLOAD_URL, actionFor, type SignetErrorCode } from './errors';
export { toBase64, fromBase64 } from './base64';
export type { AuthenticateResponse, CertificateResponse, SignDocumentResponse, SignResponse, StatusResponse, WebHashAlgorithm, DocumentFormat };

/** Keep in step with electron/web-api/protocol.ts DEFAULT_API_PORT (a value import would pull Node code in). */
export const DEFAULT_PORT = 24811;

export interface SignetOptions {
  /** Signet's API port (Settings → API port). Default 24811. */
  port?: number;
  /** Overrides port: e.g. "http://127.0.0.1:24811". */
  baseUrl?: string;
  /** Timeout of the quick probe that tells "not running" from "refused" (ms). Default 3 000. */
  statusTimeoutMs?: number;
  /** Timeout of calls that wait for the user (consent, PIN). Default 300 000 (Signet itself gives up after 2 minutes without an answer). */
  timeoutMs?: number;
  /** Where users get Signet (in APP_NOT_RUNNING errors). */
  downloadUrl?: string;
}

export interface SignInput {
  /** The digest: bytes or base64. Its length must match hashAlgorithm. */
  hash: BinaryInput;
  hashAlgorithm: WebHashAlgorithm;
  /** The certificate from getSigningCertificate(): DER bytes or base64. */
  certificate: BinaryInput;
  paddingScheme?: 'PKCS1.5' | 'PSS';
}

export interface SignDocumentInput {
  name: string;
  /** The document: bytes, a Blob/File, or base64. */
  content: BinaryInput | Blob;
  format: DocumentFormat;
}

export interface SignedDocument extends SignDocumentResponse {
  /** The signed PDF (PAdES) or the detached signature (CAdES), as bytes. */
  bytes: Uint8Array;
}

export class Signet {
  private readonly base: string;
  private readonly statusTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly downloadUrl: string;

  constructor(options: SignetOptions = {}) {
    this.base = (options.baseUrl ?? `http://127.0.0.1:${options.port ?? DEFAULT_PORT}`).replace(/\/+$/, '');
    this.statusTimeoutMs = options.statusTimeoutMs ?? 3_000;
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.downloadUrl = options.downloadUrl ?? DEFAULT_DOWNLOAD_URL;
  }

  /**
   * Whether Signet runs and a token is inserted. The first call from a new site asks the user to
   * allow the site, so this may wait for the user like the other calls (a Signet that is not
   * running fails at once: nothing accepts the connection).
   */
  status(): Promise<StatusResponse> {
    return this.call<StatusResponse>('GET', '/v1/status', undefined);
  }

  /** The user picks a signing certificate in Signet. */
  getSigningCertificate(options: { acceptableIssuers?: string[] } = {}): Promise<CertificateResponse> {
    return this.call<CertificateResponse>('POST', '/v1/certificate', options.acceptableIssuers ? { acceptableIssuers: options.acceptableIssuers } : {});
  }

  /** Sign a digest your server computed (ECDSA signatures come back raw r‖s). */
  sign(input: SignInput): Promise<SignResponse> {
    return this.call<SignResponse>('POST', '/v1/sign', {
      hash: asBase64(input.hash),
      hashAlgorithm: input.hashAlgorithm,
      certificate: asBase64(input.certificate),
      ...(input.paddingScheme ? { paddingScheme: input.paddingScheme } : {}),
    });
  }

  /** Signet signs the document itself: PAdES (PDF in, signed PDF out) or CAdES (detached .p7s). */
  async signDocument(input: SignDocumentInput): Promise<SignedDocument> {
    const content = input.content instanceof Blob ? new Uint8Array(await input.content.arrayBuffer()) : input.content;
    const res = await this.call<SignDocumentResponse>('POST', '/v1/sign-document', { name: input.name, contentBase64: asBase64(content), format: input.format });
    return { ...res, bytes: fromBase64(res.contentBase64) };
  }

  /** A Web eID `web-eid:1.0` authentication token for your server's challenge nonce (≥ 44 base64 chars). */
  authenticate(challengeNonce: string): Promise<AuthenticateResponse> {
    return this.call<AuthenticateResponse>('POST', '/v1/authenticate', { challengeNonce });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        signal: controller.signal,
        credentials: 'omit',
        ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      clearTimeout(timer);
      if (controller.signal.aborted) throw new SignetError('TIMEOUT', `Signet did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause: e });
      throw await this.unreachable(e);
    }
    try {
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new SignetError('INTERNAL', `Signet answered ${res.status} with something that is not JSON.`, { httpStatus: res.status });
      }
      if (!res.ok) {
        const e = (json as Partial<ApiErrorBody> | undefined)?.error;
        if (e === undefined) throw new SignetError('INTERNAL', `Signet answered ${res.status}.`, { httpStatus: res.status });
        throw new SignetError(e.code, e.message, {
          httpStatus: res.status,
          ...(e.retriable !== undefined ? { retriable: e.retriable } : {}),
          ...(e.details !== undefined ? { details: e.details } : {}),
        });
      }
      return json as T;
    } catch (e) {
      if (e instanceof SignetError) throw e;
      if (controller.signal.aborted) throw new SignetError('TIMEOUT', `Signet did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause: e });
      throw new SignetError('INTERNAL', 'The answer from Signet was cut off.', { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A failed fetch means either nothing listens (Signet not running / not installed) or Signet
   * refused this origin without CORS headers, which the browser hides. An opaque no-cors probe
   * tells the two apart: it succeeds whenever something answers.
   */
  private async unreachable(cause: unknown): Promise<SignetError> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.statusTimeoutMs);
    try {
      await fetch(`${this.base}/v1/status`, { mode: 'no-cors', credentials: 'omit', signal: controller.signal });
      return new SignetError('ORIGIN_NOT_ALLOWED', 'Signet is running but did not accept this site (not allowed, declined, or not https).', { cause, retriable: false });
    } catch {
      return new SignetError('APP_NOT_RUNNING', 'Signet is not running on this computer.', { cause, downloadUrl: this.downloadUrl });
    } finally {
      clearTimeout(timer);
    }
  }
}
