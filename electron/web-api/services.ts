/**
 * What the web API needs from the rest of Signet, as small interfaces: the app (Electron main),
 * the browser harness and the tests each pass an implementation. The real ones are thin adapters
 * over core (A's token client + key signer, B's document workflow): see `core-services.ts`.
 *
 * Nothing here ever carries a PIN: signing calls go to the key signer, which asks the user for
 * the PIN through the app's own PIN dialog.
 */
import type { SignScheme, TokenInfo } from '../../native/types';
import type { CertificateView, CertPurpose } from '../core/types';
import type { DocumentFormat } from './protocol';

export interface SignDigestRequest {
  /** The certificate the user approved (RFC 7512 URI); its key is the one that signs. */
  certificate: CertificateView;
  digest: Uint8Array;
  scheme: SignScheme;
  /** What the signature is for: 'signing' (/v1/sign) or 'authentication' (/v1/authenticate).
   *  The key signer refuses a key whose certificate lacks it (defence in depth). */
  purpose: CertPurpose;
  /** Aborted when the page goes away. */
  signal: AbortSignal;
  /** The requesting page's origin (for the app's local history). */
  origin?: string;
}

export interface SignDocumentBytesRequest {
  certificate: CertificateView;
  name: string;
  content: Uint8Array;
  format: DocumentFormat;
  signal: AbortSignal;
  /** The requesting page's origin (for the app's local history). */
  origin?: string;
}

export interface SignDocumentBytesResult {
  /** PAdES: the signed PDF; CAdES: the detached CMS SignedData (DER). */
  content: Uint8Array;
  name: string;
}

export interface WebApiServices {
  /** Signet's version (status, Web eID appVersion). */
  appVersion: string;
  /** Inserted tokens. */
  tokens(): Promise<TokenInfo[]>;
  /** Certificates on the inserted tokens, classified (purposes, validity, private key). */
  certificates(): Promise<CertificateView[]>;
  /** Sign a digest with the certificate's key (login through the PIN dialog). */
  signDigest(req: SignDigestRequest): Promise<Uint8Array>;
  /** Sign a whole document (bytes in, bytes out). */
  signDocument(req: SignDocumentBytesRequest): Promise<SignDocumentBytesResult>;
}
