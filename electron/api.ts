/**
 * The preload API: the one contract between the renderer and the main process.
 *
 * The preload puts exactly one object on `window.signet` (contextBridge). Every request is
 * `call(method, arg)` over the IPC channel `signet:<method>`; every push from main is an event.
 * The channel list is derived from `SIGNET_METHODS` / `SIGNET_EVENTS` below, checked for
 * completeness at compile time, so no channel name is ever written twice. The browser test
 * harness implements the same interface over a WebSocket against the same handler functions.
 *
 * The renderer never sees pkcs11js objects, private keys, PINs it did not type, or file-system
 * paths it did not receive from the user: files are opaque `FileRef`s held by main.
 */
import type { ErrorCode, ErrorInfo, Result } from '../native/errors';
import type { ModuleStatus, TokenInfo, HashAlg } from '../native/types';
import type { CertificateSummary, CertPurpose, CertificateView, CertificateDetails, CertificateField, CertValidity } from './core/types';
import type { PinRequest } from './core/pin-prompt';
import type { DocumentFormat, SignPhase, VisibleSignature } from './core/types';
import type { HistoryEntry } from './core/history/types';
import type { TrustAnchorProblem, TrustAnchorView } from './core/pki/trust-anchor-types';
import type { ChainReport, PdfChange, PdfChangeKind, PdfChangeRule, SignatureReport, TimestampReport, VerifyReport } from './core/verify/types';

export type { DocumentFormat, SignPhase, VisibleSignature };
export type { HistoryEntry, TrustAnchorProblem, TrustAnchorView, ChainReport, PdfChange, PdfChangeKind, PdfChangeRule, SignatureReport, TimestampReport, VerifyReport };

export type { ErrorCode, ErrorInfo, Result, ModuleStatus, TokenInfo, CertificateSummary, CertPurpose, CertificateView, CertificateDetails, CertificateField, CertValidity, HashAlg };

export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------
// Views

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  versions: Record<string, string>;
  locale: string;
  /** Where logs are written (shown in Help so users can find them). */
  logDir: string;
  configDir: string;
}

export interface TokensSnapshot {
  modules: ModuleStatus[];
  tokens: TokenInfo[];
  certificates: CertificateView[];
  /** ISO time of the last refresh. */
  updatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Files and signing

/** A file the user gave us (dialog, drop, open-with). Main keeps the path. */
export interface FileRef {
  id: string;
  name: string;
  size: number;
  isPdf: boolean;
}

/** Files added by a dialog or a drop: the ones registered, and every one refused with why (none is dropped silently). */
export interface FilesAdded {
  files: FileRef[];
  rejected: { name: string; error: ErrorInfo }[];
}

/** What a file is, as far as signing and previewing go. */
export type FileKind = 'pdf' | 'signature' | 'text' | 'other';

/** A page as displayed (after /Rotate), in PDF points. */
export interface PdfPageInfo {
  width: number;
  height: number;
  rotate: 0 | 90 | 180 | 270;
}

/** A rectangle on a page as displayed: points, origin at the lower-left of the displayed CropBox, x right, y up. */
export interface PageRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An empty signature field already in the PDF (AcroForm /FT /Sig without /V). */
export interface SignatureFieldInfo {
  name: string;
  /** 1-based. */
  page: number;
  rect: PageRect;
}

/** Facts worth knowing before signing that do not stop it. */
export type FileNotice =
  | { kind: 'already-signed'; count: number }
  | { kind: 'certified'; permissions: 2 | 3 }
  | { kind: 'pdfa'; conformance: string }
  | { kind: 'signature-file' };

/** A file checked when it was added (issue 12 §6): problems stop it before the confirm step. */
export interface FileCheck {
  fileId: string;
  kind: FileKind;
  /** Why it cannot be signed as it is (each a coded error the renderer words in the UI language). */
  problems: ErrorInfo[];
  notices: FileNotice[];
  pdf?: {
    pageCount: number;
    /** Displayed page sizes, in page order. */
    pages: PdfPageInfo[];
    signatureCount: number;
    emptyFields: SignatureFieldInfo[];
  };
}

/** A slice of a file the user gave, for the preview (pdf.js reads PDFs by ranges; text is read whole up to a limit). */
export interface FileBytes {
  base64: string;
  offset: number;
  /** The file's size. */
  total: number;
}

/** Where the last stamp went for one document layout (page count and page sizes). */
export interface StampPlacement {
  /** 1-based page, or 0 for the last page. */
  page: number;
  rect: PageRect;
  /** Signing into an existing empty field instead of a new rectangle. */
  field?: string;
}

/** The verify view's answer: a report, or the content a detached .p7s needs. */
export type VerifyResult =
  | { status: 'verified'; file: FileRef; content?: FileRef; report: VerifyReport }
  | { status: 'needs-content'; file: FileRef; expectedName?: string };

/** Trust anchors as Settings lists them. */
export interface TrustAnchors {
  anchors: TrustAnchorView[];
  problems: TrustAnchorProblem[];
}

/** An output Signet wrote; `showInFolder` takes its id. */
export interface OutputRef {
  id: string;
  name: string;
  size: number;
}

export interface SignRequest {
  files: string[]; // FileRef ids
  certUri: string;
  /** 'auto' = PAdES for PDFs, CAdES otherwise. */
  format: 'auto' | DocumentFormat;
  visible?: VisibleSignature;
  /** PAdES: sign into this existing empty signature field (its fully qualified name) instead of
   *  drawing a new one; not together with `visible`'s rectangle (its reason/location still apply). */
  field?: string;
  /** Add an RFC 3161 timestamp from the configured TSA. */
  timestamp: boolean;
  /** With a time-stamp: also embed validation data (LT) and an archive time-stamp (LTA), ETSI EN 319 142-1. */
  level?: 'LT' | 'LTA';
}

/** What the confirmation screen shows: exactly what will be signed, and with which certificate. */
export interface SignPlan {
  planId: string;
  certificate: CertificateView;
  items: { file: FileRef; format: DocumentFormat; sha256: string; outputName: string }[];
  timestamp: boolean;
  tsaUrl?: string;
  level?: 'LT' | 'LTA';
}

export interface SignProgress {
  planId: string;
  fileId: string;
  index: number;
  count: number;
  phase: SignPhase;
  bytesDone: number;
  bytesTotal: number;
}

export interface SignOutcome {
  planId: string;
  items: {
    file: FileRef;
    ok: boolean;
    output?: OutputRef;
    error?: ErrorInfo;
    /** Who signed (certificate display name), when (ISO), and the time-stamp's genTime when one was added. */
    signer?: string;
    signedAt?: string;
    timestamp?: string;
    /** The baseline level reached: B, T, LT, LTA. */
    level?: 'B' | 'T' | 'LT' | 'LTA';
  }[];
}

// ---------------------------------------------------------------------------------------------
// PIN

/** A PIN request as the dialog sees it (core's PinRequest plus an id to answer it). */
export interface PinRequestView extends PinRequest {
  requestId: string;
}

// ---------------------------------------------------------------------------------------------
// Web consent (loopback API)

export type ConsentOperation = 'share-certificate' | 'sign-hash' | 'sign-document' | 'authenticate';

export interface ConsentRequestView {
  requestId: string;
  /** Serialized origin, e.g. "https://portal.example:8443". */
  origin: string;
  /** For display: scheme, host in punycode and Unicode (IDN), port. */
  originParts: { scheme: string; host: string; unicodeHost: string; port: string; isIdn: boolean };
  operation: ConsentOperation;
  /** The site is not allowed yet: this is its first request, shown as one dialog ("Allow
   *  portal.example and sign application.pdf?"). Approving also allows the site, for this session
   *  or, with `remember`, until revoked in Settings. */
  firstContact?: boolean;
  /** sign-hash: the digest in hex and its algorithm. */
  hash?: { algorithm: HashAlg; hex: string };
  /** sign-document: what the page sent (name as the page chose it: display it made safe). */
  document?: ConsentDocument;
  /** The certificate that will be used (sign-hash: the one the page sent, as it describes itself;
   *  whether it is on an inserted card is checked only after approval). */
  certificate?: CertificateView;
  /** share-certificate / authenticate / sign-document: certificates to choose from (already
   *  filtered by purpose and acceptableIssuers); empty means none fits, and the modal says so.
   *  Approving requires `certUri` to be one of them. */
  candidates?: CertificateView[];
  acceptableIssuers?: string[];
  /** ISO time after which the request answers USER_CANCELLED. */
  expiresAt: string;
}

/** The document of a sign-document request. */
export interface ConsentDocument {
  name: string;
  size: number;
  format: DocumentFormat;
  /** SHA-256 of the content, hex. */
  sha256: string;
  /** Plain UTF-8 text documents: the start of the text (up to `previewBytes` bytes of the file). */
  previewText?: string;
  /** Bytes of the file `previewText` covers; less than `size` means the preview is cut (the modal
   *  says so and loads the rest with `consent.documentText`). */
  previewBytes?: number;
}

export interface ConsentDecision {
  approve: boolean;
  /** First contact: remember the site (revocable in Settings). */
  remember?: boolean;
  /** share-certificate / authenticate: the certificate the user picked. */
  certUri?: string;
}

// ---------------------------------------------------------------------------------------------
// Settings

export interface Settings {
  /** 'system' (follow the OS) or a catalog id ('en', 'fr'). */
  language: string;
  /** Where outputs go: next to the input with a suffix, or asked with a save dialog. */
  output: 'next-to-input' | 'ask';
  timestampByDefault: boolean;
  tsaUrl: string;
  /** Origins the user approved with "remember" (revocable). */
  allowedOrigins: { origin: string; addedAt: string }[];
  /** Origins from the admin policy file (read-only here). */
  policyOrigins: string[];
  apiPort: number;
  /** Developer setting: allow http://localhost origins. */
  allowHttpLocalhost: boolean;
}

/** A token kept unlocked for signing by the PIN cache, until `expiresAt` (ms since epoch). */
export interface UnlockedTokenView {
  tokenUri: string;
  expiresAt: number;
}

// ---------------------------------------------------------------------------------------------
// The methods and events

/** Every method takes at most one argument and answers a Result. */
export interface SignetMethods {
  'app.info': () => Promise<Result<AppInfo>>;
  'tokens.snapshot': () => Promise<Result<TokensSnapshot>>;
  'tokens.refresh': () => Promise<Result<TokensSnapshot>>;
  'tokens.changePin': (arg: { tokenUri: string; oldPin: string; newPin: string }) => Promise<Result<void>>;
  /** End a cached signing login now (Lock now, issue 8): C_Logout of that token. */
  'tokens.lockNow': (arg: { tokenUri: string }) => Promise<Result<void>>;
  'certificates.details': (arg: { certUri: string }) => Promise<Result<CertificateDetails>>;
  'files.pick': (arg: { multiple: boolean }) => Promise<Result<FilesAdded>>;
  /** Check a file for signing (PDF header, parse, encryption, signatures, fields, size). */
  'files.inspect': (arg: { fileId: string }) => Promise<Result<FileCheck>>;
  /** A byte range of a file the user gave (preview). At most 4 MiB per call. */
  'files.read': (arg: { fileId: string; offset: number; length: number }) => Promise<Result<FileBytes>>;
  /** Verify a signed PDF, or a .p7s (with its content: given, or found next to it). */
  'verify.file': (arg: { fileId: string; contentFileId?: string }) => Promise<Result<VerifyResult>>;
  'history.list': () => Promise<Result<HistoryEntry[]>>;
  'history.clear': () => Promise<Result<void>>;
  'trust.list': () => Promise<Result<TrustAnchors>>;
  /** Add the certificates of a PEM/DER file the user gave. */
  'trust.add': (arg: { fileId: string }) => Promise<Result<TrustAnchors>>;
  'trust.remove': (arg: { fingerprintSha256: string }) => Promise<Result<TrustAnchors>>;
  'stamp.getPlacement': (arg: { layout: string }) => Promise<Result<StampPlacement | null>>;
  'stamp.setPlacement': (arg: { layout: string; placement: StampPlacement }) => Promise<Result<void>>;
  'sign.prepare': (arg: SignRequest) => Promise<Result<SignPlan>>;
  'sign.confirm': (arg: { planId: string }) => Promise<Result<SignOutcome>>;
  'sign.cancel': (arg: { planId: string }) => Promise<Result<void>>;
  /** The PIN as UTF-8 bytes (never a string in main): main's broker passes them to core, which
   *  wipes them after C_Login; the renderer clears its input before sending. */
  'pin.submit': (arg: { requestId: string; pin: Uint8Array }) => Promise<Result<void>>;
  'pin.cancel': (arg: { requestId: string }) => Promise<Result<void>>;
  'consent.respond': (arg: { requestId: string; decision: ConsentDecision }) => Promise<Result<void>>;
  /** More of a shown sign-document request's text, from `offset` (the previous chunk's `nextOffset`). */
  'consent.documentText': (arg: { requestId: string; offset: number }) => Promise<Result<{ text: string; nextOffset: number }>>;
  /** Bytes of a shown sign-document request's document (the PDF preview reads it by ranges; at most 4 MiB per call). */
  'consent.documentBytes': (arg: { requestId: string; offset: number; length: number }) => Promise<Result<FileBytes>>;
  'settings.get': () => Promise<Result<Settings>>;
  'settings.update': (arg: Partial<Omit<Settings, 'policyOrigins'>>) => Promise<Result<Settings>>;
  'settings.revokeOrigin': (arg: { origin: string }) => Promise<Result<Settings>>;
  'diagnostics.export': () => Promise<Result<{ text: string; savedTo?: OutputRef }>>;
  'shell.showInFolder': (arg: { outputId: string }) => Promise<Result<void>>;
  /** Open an output Signet wrote with the system's default application. */
  'shell.openOutput': (arg: { outputId: string }) => Promise<Result<void>>;
  /** Open an https portal that asks for a client certificate in Signet's TLS window (desktop app only). */
  'tls.openPortal': (arg: { url: string }) => Promise<Result<void>>;
  /** Open portal windows, and (Linux) Signet's card modules registered in the browser certificate database. */
  'tls.status': () => Promise<Result<PortalStatus>>;
  /** A portal window forgets the certificate chosen and reopens its start page in a fresh session. */
  'tls.switchIdentity': (arg: { portalId: string }) => Promise<Result<void>>;
  /** Linux: remove Signet's modules from the NSS database (docs/tls-client-auth.md); the names removed. */
  'tls.unregisterModules': () => Promise<Result<{ removed: string[] }>>;
}

/** One portal window (electron/app/tls). */
export interface PortalSummary {
  portalId: string;
  /** The origin it was opened at. */
  startOrigin: string;
  /** The origin shown now (an identity provider, after a redirect). */
  currentOrigin: string;
}

export interface PortalStatus {
  portals: PortalSummary[];
  /** Linux only: Chromium finds client certificates in the NSS database $HOME/.pki/nssdb. */
  nss: { applies: boolean; dbDir: string | null; registered: string[]; error?: ErrorInfo };
}

export type SignetMethod = keyof SignetMethods;
export type MethodArg<M extends SignetMethod> = Parameters<SignetMethods[M]> extends [infer A] ? A : void;
export type MethodValue<M extends SignetMethod> = Awaited<ReturnType<SignetMethods[M]>> extends Result<infer V> ? V : never;

export interface SignetEvents {
  'tokens.changed': TokensSnapshot;
  /** Tokens whose signing login the optional PIN cache keeps, with the expiry (ms since epoch). */
  'tokens.unlocked': UnlockedTokenView[];
  'sign.progress': SignProgress;
  'pin.request': PinRequestView;
  /** The PIN request ended without the dialog's help (PIN pad done, timeout, cancelled elsewhere). */
  'pin.dismiss': { requestId: string };
  'consent.request': ConsentRequestView;
  'consent.dismiss': { requestId: string; reason: 'timeout' | 'cancelled' | 'preempted' };
  /** Files given to the app from outside (open-with, second instance, command line) to sign. */
  'files.opened': FileRef[];
  /** A signed file given from outside (.p7s, or a PDF that already has signatures): the verify view opens it. */
  'verify.opened': FileRef;
  /** Files given from outside that could not be opened, each with why (never dropped silently). */
  'files.rejected': { name: string; error: ErrorInfo }[];
  'history.changed': HistoryEntry[];
  /** A menu item or shortcut handled by the renderer (Help → Export diagnostics, …). */
  'menu.command': { command: MenuCommand };
  /** Settings changed in main (e.g. a web origin remembered from the consent modal). */
  'settings.changed': Settings;
  /** Portal windows opened, closed, switched or moved to another origin. */
  'tls.changed': { portals: PortalSummary[] };
}

export type MenuCommand = 'open-files' | 'settings' | 'export-diagnostics' | 'about' | 'change-pin';

export type SignetEvent = keyof SignetEvents;

/** Runtime lists, checked for completeness against the interfaces at compile time. */
export const SIGNET_METHODS = {
  'app.info': true,
  'tokens.snapshot': true,
  'tokens.refresh': true,
  'tokens.changePin': true,
  'tokens.lockNow': true,
  'certificates.details': true,
  'files.pick': true,
  'files.inspect': true,
  'files.read': true,
  'verify.file': true,
  'history.list': true,
  'history.clear': true,
  'trust.list': true,
  'trust.add': true,
  'trust.remove': true,
  'stamp.getPlacement': true,
  'stamp.setPlacement': true,
  'sign.prepare': true,
  'sign.confirm': true,
  'sign.cancel': true,
  'pin.submit': true,
  'pin.cancel': true,
  'consent.respond': true,
  'consent.documentText': true,
  'consent.documentBytes': true,
  'settings.get': true,
  'settings.update': true,
  'settings.revokeOrigin': true,
  'diagnostics.export': true,
  'shell.showInFolder': true,
  'shell.openOutput': true,
  'tls.openPortal': true,
  'tls.status': true,
  'tls.switchIdentity': true,
  'tls.unregisterModules': true,
} as const satisfies Record<SignetMethod, true>;

export const SIGNET_EVENTS = {
  'tokens.changed': true,
  'tokens.unlocked': true,
  'sign.progress': true,
  'pin.request': true,
  'pin.dismiss': true,
  'consent.request': true,
  'consent.dismiss': true,
  'files.opened': true,
  'verify.opened': true,
  'files.rejected': true,
  'history.changed': true,
  'menu.command': true,
  'settings.changed': true,
  'tls.changed': true,
} as const satisfies Record<SignetEvent, true>;

/**
 * Methods only the preload itself calls, never reachable through `call()`: dropped files arrive
 * as paths that `webUtils.getPathForFile` found for real File objects, so a compromised renderer
 * cannot name arbitrary paths (`call` refuses these names; main accepts them on their own channel).
 */
export interface PreloadMethods {
  'files.dropped': (arg: { paths: string[] }) => Promise<Result<FilesAdded>>;
}
export type PreloadMethod = keyof PreloadMethods;
export const PRELOAD_METHODS = {
  'files.dropped': true,
} as const satisfies Record<PreloadMethod, true>;

export const CHANNEL_PREFIX = 'signet:';
export const channelOf = (name: SignetMethod | SignetEvent | PreloadMethod): string => `${CHANNEL_PREFIX}${name}`;

export const isSignetMethod = (name: unknown): name is SignetMethod =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(SIGNET_METHODS, name);
export const isSignetEvent = (name: unknown): name is SignetEvent =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(SIGNET_EVENTS, name);

/** `window.signet`. */
export interface SignetApi {
  call<M extends SignetMethod>(method: M, ...arg: MethodArg<M> extends void ? [] : [MethodArg<M>]): Promise<Result<MethodValue<M>>>;
  on<E extends SignetEvent>(event: E, listener: (payload: SignetEvents[E]) => void): Unsubscribe;
  /** Drag and drop: the preload turns dropped File objects into FileRefs (paths stay in main). */
  filesFromDrop(files: ReadonlyArray<Blob & { name: string }>): Promise<Result<FilesAdded>>;
}
