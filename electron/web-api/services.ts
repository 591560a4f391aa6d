/**
 * What the web API needs from the rest of Signet, as small interfaces: the app (Electron main),
 * the browser harness and the tests each pass an implementation. The real ones are thin adapters
 * over core (the token client, the key signer, the document workflow): see `core-services.ts`.
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

export interface SignDocumentFileRequest {
  /** The certificate the user picked; its key signs. */
  certificate: CertificateView;
  /** The page's document, spooled to the API's private directory. */
  path: string;
  /** SHA-256 the user saw (hex): the file must still have it. */
  sha256: string;
  /** The name the page gave (for the output's name). */
  name: string;
  format: DocumentFormat;
  /** Where to write the signed PDF (PAdES) or the detached .p7s (CAdES). */
  outputPath: string;
  signal: AbortSignal;
  /** The requesting page's origin (for the app's local history). */
  origin?: string;
}

export interface SignDocumentFileResult {
  /** The output's name for the page: `<name>.p7s` or `<name>-signed.pdf`. */
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
  /** Sign a whole document: file in, file out (core's document workflow). */
  signDocument(req: SignDocumentFileRequest): Promise<SignDocumentFileResult>;
}
