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
  SignDocumentQuery,
  SignDocumentResponse,
  SignDocumentResponseHeaders,
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

/** Turns an error answer into a SignetError. */
async function errorOf(res: Response): Promise<SignetError> {
  let json: unknown;
  try {
    json = JSON.parse(await res.text());
  } catch {
    return new SignetError('INTERNAL', `Signet answered ${res.status}.`, { httpStatus: res.status });
  }
  const e = (json as Partial<ApiErrorBody> | undefined)?.error;
  if (e === undefined) return new SignetError('INTERNAL', `Signet answered ${res.status}.`, { httpStatus: res.status });
  return new SignetError(e.code, e.message, {
    httpStatus: res.status,
    ...(e.retriable !== undefined ? { retriable: e.retriable } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
  });
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
   * Whether Signet runs here, without asking the user anything. A site the user (or the admin)
   * has not allowed yet learns only that (`allowed: false`); an allowed site also gets Signet's
   * version and whether a card is inserted. A site is allowed by the user's answer to its first
   * real request (sign, certificate, log in), shown as one dialog with "remember this site".
   */
  status(): Promise<StatusResponse> {
    return this.call<StatusResponse>('GET', '/v1/status', undefined, this.statusTimeoutMs);
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

  /**
   * Signet signs the document itself: PAdES (PDF in, signed PDF out) or CAdES (detached .p7s).
   * The document is sent as it is (no base64), and comes back as bytes.
   */
  async signDocument(input: SignDocumentInput): Promise<SignedDocument> {
    const query: SignDocumentQuery = { name: input.name, format: input.format };
    const body = input.content instanceof Blob ? input.content : typeof input.content === 'string' ? fromBase64(input.content) : input.content;
    const { res, done, timedOut } = await this.fetchApi(`/v1/sign-document?${new URLSearchParams({ ...query }).toString()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: body as Blob | Uint8Array<ArrayBuffer>,
    });
    try {
      if (!res.ok) throw await errorOf(res);
      const header = (name: keyof SignDocumentResponseHeaders): string => {
        const v = res.headers.get(name);
        if (v === null) throw new SignetError('INTERNAL', `Signet's answer lacks ${name}.`, { httpStatus: res.status });
        return v;
      };
      const format = header('Signet-Format') as DocumentFormat;
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        name: decodeURIComponent(header('Signet-Name')),
        format,
        mimeType: format === 'pades' ? 'application/pdf' : 'application/pkcs7-signature',
        certificate: header('Signet-Certificate'),
        bytes,
      };
    } catch (e) {
      if (e instanceof SignetError) throw e;
      throw timedOut(e);
    } finally {
      done();
    }
  }

  /** A Web eID `web-eid:1.0` authentication token for your server's challenge nonce (≥ 44 base64 chars). */
  authenticate(challengeNonce: string): Promise<AuthenticateResponse> {
    return this.call<AuthenticateResponse>('POST', '/v1/authenticate', { challengeNonce });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const { res, done, timedOut } = await this.fetchApi(
      path,
      { method, ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}) },
      timeoutMs,
    );
    try {
      if (!res.ok) throw await errorOf(res);
      const text = await res.text();
      try {
        return (text === '' ? undefined : JSON.parse(text)) as T;
      } catch {
        throw new SignetError('INTERNAL', `Signet answered ${res.status} with something that is not JSON.`, { httpStatus: res.status });
      }
    } catch (e) {
      if (e instanceof SignetError) throw e;
      throw timedOut(e);
    } finally {
      done();
    }
  }

  /**
   * fetch() with the timeout (which also covers reading the answer: call `done()` after it); a
   * refused or unreachable Signet, or the timeout, becomes a SignetError.
   */
  private async fetchApi(path: string, init: RequestInit, timeoutMs = this.timeoutMs): Promise<{ res: Response; done(): void; timedOut(e: unknown): SignetError }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const timedOut = (e: unknown): SignetError => new SignetError('TIMEOUT', `Signet did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause: e });
    try {
      const res = await fetch(this.base + path, { ...init, signal: controller.signal, credentials: 'omit' });
      return { res, done: () => clearTimeout(timer), timedOut: (e) => (controller.signal.aborted ? timedOut(e) : new SignetError('INTERNAL', 'The answer from Signet was cut off.', { cause: e })) };
    } catch (e) {
      clearTimeout(timer);
      if (controller.signal.aborted) throw timedOut(e);
      throw await this.unreachable(e);
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
