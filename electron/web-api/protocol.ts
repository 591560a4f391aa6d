/**
 * The loopback web API's wire contract (`/v1/...`), defined once: the server validates requests
 * against `schemas.ts` (which is checked against these types at compile time) and the browser SDK
 * imports these types (type-only, so it stays dependency-free).
 *
 * Conventions
 * - JSON bodies, UTF-8, except /v1/sign-document (the document itself, streamed). Binary values
 *   in JSON are standard base64 (RFC 4648 §4, with padding).
 * - Hash names follow Web eID / WebCrypto spelling ("SHA-256"), since that is what pages use.
 * - Errors: `{error: {code, message, retriable?, details?}}` with a design error code and an HTTP
 *   status from `httpStatusOf` (errors.ts).
 * - The page's origin is always the request's `Origin` header, never a body field.
 */
import type { ErrorCode } from '../../native/errors';
import type { WebEidAuthToken, WebEidAlgorithm } from '../core/formats/webeid-token';

export type { WebEidAlgorithm };

export const API_VERSION = 1 as const;
export const API_PREFIX = '/v1' as const;
/** Default loopback port; the user config (apiPort) can override it. */
export const DEFAULT_API_PORT = 24811;

export type WebHashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type DocumentFormat = 'pades' | 'cades';

/** Web eID's description of a signature algorithm (`cryptoAlgorithm` + `hashFunction` + `paddingScheme`). */
export interface SignatureAlgorithm {
  cryptoAlgorithm: 'RSA' | 'ECC';
  hashFunction: WebHashAlgorithm;
  /** RSA: PKCS#1 v1.5 or PSS (MGF1 with the same hash, salt = hash length); ECC: NONE. */
  paddingScheme: 'PKCS1.5' | 'PSS' | 'NONE';
}

// ---------------------------------------------------------------------------------------------
// GET /v1/status — the presence probe (docs: "What a page learns before it is allowed").

/** Any https page (allowed or not) gets this much, without a prompt: Signet is here and speaks v1. */
export interface StatusPresence {
  app: 'signet';
  apiVersion: typeof API_VERSION;
  /** Whether the admin or the user allowed this origin. Until then nothing else is said. */
  allowed: false;
}

/** An allowed origin also learns Signet's version and whether a token is inserted. */
export interface StatusAllowed {
  app: 'signet';
  apiVersion: typeof API_VERSION;
  allowed: true;
  version: string;
  /** Whether at least one initialised token is inserted. No certificate data, ever. */
  tokenPresent: boolean;
}

export type StatusResponse = StatusPresence | StatusAllowed;

// ---------------------------------------------------------------------------------------------
// POST /v1/certificate — the user picks a signing certificate in Signet.

export interface CertificateRequest {
  /** Issuer DNs (RFC 4514) the site accepts, like a TLS CertificateRequest's CA list. */
  acceptableIssuers?: string[];
}

export interface CertificateResponse {
  /** DER, base64. */
  certificate: string;
  /** What the token can do with this key (from its mechanism list). */
  supportedSignatureAlgorithms: SignatureAlgorithm[];
}

// ---------------------------------------------------------------------------------------------
// POST /v1/sign — sign a digest the web server computed ("get data to sign → sign → assemble").

export interface SignRequest {
  /** The digest, base64; its length must match `hashAlgorithm`. */
  hash: string;
  hashAlgorithm: WebHashAlgorithm;
  /** DER, base64: the certificate /v1/certificate returned. Its token must be inserted. */
  certificate: string;
  /** RSA keys only; default PKCS1.5. */
  paddingScheme?: 'PKCS1.5' | 'PSS';
}

export interface SignResponse {
  /** base64. RSA: the PKCS#1 signature; ECDSA: raw r‖s (as Web eID returns it), each half the
   *  curve's byte length — encode as an RFC 3279 Ecdsa-Sig-Value for CMS/X.509. */
  signature: string;
  signatureAlgorithm: SignatureAlgorithm;
}

// ---------------------------------------------------------------------------------------------
// POST /v1/sign-document — Signet signs the document itself (user picks the certificate).
//
// The document travels as the raw request body (`Content-Type: application/octet-stream`, with
// Content-Length), its name and format in the query string: `/v1/sign-document?format=pades&name=
// application.pdf` (UTF-8, percent-encoded). Signet streams it to a private temporary file,
// hashing it on the way, and parses nothing of it before the user approved. The answer is the
// signed PDF (PAdES) or the detached CMS SignedData (CAdES) as the raw response body, described
// by the headers below (exposed to the page through Access-Control-Expose-Headers).

export const SIGN_DOCUMENT_CONTENT_TYPE = 'application/octet-stream' as const;

/** The query string of /v1/sign-document. */
export interface SignDocumentQuery {
  /** File name shown to the user; no path. */
  name: string;
  format: DocumentFormat;
}

/** Response headers of /v1/sign-document (names as sent; values as described). */
export interface SignDocumentResponseHeaders {
  /** PAdES: the signed PDF's name; CAdES: the detached signature's name (`<name>.p7s`). Percent-encoded UTF-8. */
  'Signet-Name': string;
  'Signet-Format': DocumentFormat;
  /** DER, base64: the signer's certificate. */
  'Signet-Certificate': string;
}

/** The response as the SDK hands it over (headers decoded; the body is `bytes`). */
export interface SignDocumentResponse {
  name: string;
  format: DocumentFormat;
  mimeType: 'application/pdf' | 'application/pkcs7-signature';
  /** DER, base64. */
  certificate: string;
}

// ---------------------------------------------------------------------------------------------
// POST /v1/authenticate — Web eID `web-eid:1.0` authentication token.

export interface AuthenticateRequest {
  /** The server's challenge nonce: base64, at least 44 characters (256 bits). */
  challengeNonce: string;
}

/** https://github.com/web-eid/web-eid-system-architecture-doc, "Authentication token format"
 *  (electron/core/formats/webeid.ts): signature over hash(origin) ‖ hash(challengeNonce), ES*: raw r‖s. */
export type AuthenticateResponse = WebEidAuthToken;

// ---------------------------------------------------------------------------------------------
// Errors

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    retriable?: boolean;
    details?: Record<string, string | number | boolean>;
  };
}

/** `details.reason` values the SDK can act on (codes stay the design's list). */
export type ApiErrorReason =
  | 'origin-missing'
  | 'origin-malformed'
  | 'origin-insecure'
  | 'origin-denied'
  | 'host-invalid'
  | 'rate-limited'
  | 'consent-pending'
  | 'queue-full'
  | 'busy'
  | 'body-too-large'
  | 'body-malformed'
  | 'unsupported-media-type'
  | 'not-found'
  | 'method-not-allowed'
  | 'length-required'
  | 'schema';

/** Route table: path → request and response body types. */
export interface ApiRoutes {
  '/v1/status': { method: 'GET'; request: undefined; response: StatusResponse };
  '/v1/certificate': { method: 'POST'; request: CertificateRequest; response: CertificateResponse };
  '/v1/sign': { method: 'POST'; request: SignRequest; response: SignResponse };
  '/v1/sign-document': { method: 'POST'; request: SignDocumentQuery; response: SignDocumentResponse };
  '/v1/authenticate': { method: 'POST'; request: AuthenticateRequest; response: AuthenticateResponse };
}

export type ApiPath = keyof ApiRoutes;
