/**
 * What the IPC handlers need from the plain-Node services below them (electron/core, native,
 * electron/web-api). Handlers depend on these interfaces only, so the Electron main process and
 * the browser test harness hand them the same real implementations (see ./services/create.ts),
 * and nothing here imports 'electron'.
 */
import type { ErrorInfo } from '../../native/errors';
import type { HistoryStore } from '../core/history';
import type { PlacementStore } from '../core/placements/store';
import type { TrustAnchorStore } from '../core/pki/trust-anchors';
import type {
  CertificateDetails,
  CertificateView,
  ConsentDecision,
  ConsentRequestView,
  DocumentFormat,
  SignPhase,
  TokensSnapshot,
  Unsubscribe,
  VisibleSignature,
} from '../api';

export interface TokenService {
  /** The last known state (fast; no card I/O when a snapshot exists). */
  snapshot(): Promise<TokensSnapshot>;
  /** Re-scan modules, tokens and certificates. */
  refresh(): Promise<TokensSnapshot>;
  /** Pushed on every slot event (insert / remove / change), after the certificates are re-read. */
  onChange(listener: (snapshot: TokensSnapshot) => void): Unsubscribe;
  /** C_SetPIN. Both buffers are wiped by the caller after this settles. */
  changePin(tokenUri: string, oldPin: Uint8Array, newPin: Uint8Array): Promise<void>;
  details(certUri: string): Promise<CertificateDetails>;
}

export interface SignJobFile {
  path: string;
  name: string;
  format: DocumentFormat;
  /** Where the output goes (chosen by the app: next to the input with a suffix, or a dialog). */
  outputPath: string;
  /** SHA-256 of the input, hex, as shown on the confirmation screen. */
  sha256?: string;
}

export interface SignJob {
  certificate: CertificateView;
  files: SignJobFile[];
  visible?: VisibleSignature;
  /** PAdES: the existing empty signature field to sign into. */
  field?: string;
  /** The UI language, for the visible signature's labels. */
  locale?: string;
  timestamp: boolean;
  tsaUrl?: string;
  /** LT / LTA (needs the time-stamp). */
  level?: 'LT' | 'LTA';
}

export type { SignPhase };

export interface SigningService {
  /** Hash every input (streamed, with progress) for the confirmation screen; rejects when a file
   *  cannot be read or the certificate may not make document signatures. */
  prepare(job: SignJob, onProgress: (index: number, bytesDone: number, bytesTotal: number) => void, signal: AbortSignal): Promise<{ sha256: string }[]>;
  /** Sign the batch with one login (or one PIN per signature for always-authenticate keys);
   *  a file whose content changed since `prepare` fails with INVALID_INPUT. Results per file. */
  sign(
    job: SignJob,
    onProgress: (index: number, phase: SignPhase, bytesDone: number, bytesTotal: number) => void,
    signal: AbortSignal,
  ): Promise<({ ok: true; outputPath: string; signer: string; signedAt: string; timestamp?: string; level?: 'B' | 'T' | 'LT' | 'LTA' } | { ok: false; error: ErrorInfo })[]>;
}

/** D's consent queue for the loopback web API. */
export interface ConsentService {
  onRequest(listener: (request: ConsentRequestView) => void): Unsubscribe;
  onDismiss(listener: (event: { requestId: string; reason: 'timeout' | 'cancelled' | 'preempted' }) => void): Unsubscribe;
  respond(requestId: string, decision: ConsentDecision): Promise<void>;
  /** Requests still waiting (a window opened late shows them). */
  pending(): ConsentRequestView[];
  /** Settings → revoke: also forget an approval given for this session only. */
  revokeOrigin?(origin: string): void;
  /** More text of the shown sign-document request. */
  documentText(requestId: string, offset: number): Promise<{ text: string; nextOffset: number }>;
  /** Bytes of the shown request's document, for the preview (PDF pages by ranges). */
  documentBytes(requestId: string, offset: number, length: number): Promise<{ bytes: Uint8Array; total: number }>;
}

export interface AppServices {
  tokens: TokenService;
  signing: SigningService;
  consent?: ConsentService;
  /** Local history of signatures and logins (never content or PINs). */
  history: HistoryStore;
  /** Trust anchors: policy, user (editable in Settings), extra. */
  trust: TrustAnchorStore;
  /** Last stamp placement per document layout. */
  placements: PlacementStore;
  /** The optional signing-only PIN cache (core KeySigner): its unlocked tokens and Lock now. */
  pinCache?: {
    unlockedTokens(): { tokenUri: string; expiresAt: number }[];
    onUnlockedChange(listener: (unlocked: { tokenUri: string; expiresAt: number }[]) => void): () => void;
    lock(tokenUri?: string): Promise<void>;
  };
  /** Stop the token host, the web API, … */
  close(): Promise<void>;
}
