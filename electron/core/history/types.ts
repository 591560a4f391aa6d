/**
 * The local history of what Signet did for the user (issue 12 §7): documents signed in the app,
 * signatures and logins given to web pages. An entry names the action, when, for whom (origin)
 * and with which certificate — never a document's content, a hash of it, or a PIN.
 */
import type { DocumentFormat } from '../types';

interface EntryBase {
  /** Random id (for lists; carries no meaning). */
  id: string;
  /** ISO 8601. */
  at: string;
  /** Display name of the certificate that signed (its CN). */
  signer: string;
}

/** A document signed in the app (one entry per document). */
export interface DocumentSignedEntry extends EntryBase {
  kind: 'document-signed';
  /** Input and output file names (base names, not paths). */
  name: string;
  output: string;
  format: DocumentFormat;
  /** genTime of the RFC 3161 time-stamp, when one was added. */
  timestamp?: string;
}

/** A web page's signature request the user approved and the token signed. */
export interface WebSignatureEntry extends EntryBase {
  kind: 'web-signature';
  origin: string;
  /** sign-hash: a digest the page computed; sign-document: a document it sent (name only). */
  operation: 'sign-hash' | 'sign-document';
  documentName?: string;
}

/** A Web eID authentication token (a login) given to a web page. */
export interface WebLoginEntry extends EntryBase {
  kind: 'web-login';
  origin: string;
}

export type HistoryEntry = DocumentSignedEntry | WebSignatureEntry | WebLoginEntry;
export type HistoryKind = HistoryEntry['kind'];

/** What a caller records: the store adds the id and (unless given) the time. */
export type NewHistoryEntry = DistributiveOmit<HistoryEntry, 'id' | 'at'> & { at?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Kept entries: the most recent ones, oldest dropped first. */
export const HISTORY_LIMIT = 200;
