/**
 * The real `WebApiServices`: the app's token snapshot (tokens + classified certificates, kept
 * fresh by slot events), the key signer (login through the app's PIN dialog, C_Sign in the token
 * host) and core's bytes-in/bytes-out document workflow (core/signing signDocumentBytes). Used by
 * Electron main and by the browser harness, so both run the same code.
 */
import type { TokenClient } from '../../native/client';
import { SignetError } from '../../native/errors';
import type { TokenInfo } from '../../native/types';
import { createKeyDocumentSigner } from '../core/key-document-signer';
import type { KeySigner } from '../core/key-signer';
import type { PinPrompt } from '../core/pin-prompt';
import { signFiles, type SignOptions } from '../core/signing';
import type { CertificateView } from '../core/types';
import type { SignDigestRequest, SignDocumentFileRequest, SignDocumentFileResult, WebApiServices } from './services';

export interface CoreServicesDeps {
  appVersion: string;
  /** Inserted tokens and their certificates as CertificateViews (the app's token snapshot). */
  snapshot(): Promise<{ tokens: TokenInfo[]; certificates: CertificateView[] }>;
  keySigner: Pick<KeySigner, 'describe' | 'signDigest' | 'runAction'>;
  /** For the token's other certificates as chain candidates in document signatures. */
  client?: Pick<TokenClient, 'listCertificates'>;
  /** The app's PIN dialog: the only place a PIN is typed. */
  pinPrompt: PinPrompt;
  /** Document options from config (trust anchors, TSA, admin policy). */
  documentOptions?: () => Partial<Pick<SignOptions, 'trustAnchors' | 'useSystemStore' | 'timestamp' | 'policy'>>;
}

export function createCoreWebApiServices(deps: CoreServicesDeps): WebApiServices {
  return {
    appVersion: deps.appVersion,
    tokens: async () => (await deps.snapshot()).tokens,
    certificates: async () => (await deps.snapshot()).certificates,
    async signDigest(req: SignDigestRequest): Promise<Uint8Array> {
      const keyUri = req.certificate.keyUri;
      if (keyUri === undefined) throw new Error('certificate without a key');
      const r = await deps.keySigner.signDigest({
        keyUri,
        digest: req.digest,
        hash: req.scheme.hash,
        scheme: req.scheme.kind,
        ...(req.scheme.kind === 'ecdsa' ? { ecdsaFormat: req.scheme.format } : {}),
        pinPrompt: deps.pinPrompt,
        signal: req.signal,
        requirePurpose: req.purpose,
        // One approved web request = one user action: its own PIN, logged out when it ends.
        action: { purpose: req.purpose === 'authentication' ? 'authenticate' : 'sign-data', ...(req.origin !== undefined ? { origin: req.origin } : {}) },
        // /v1/authenticate makes a Web eID token: its certificate needs the clientAuth EKU.
        ...(req.purpose === 'authentication' ? { webEid: true } : {}),
      });
      return r.signature;
    },
    async signDocument(req: SignDocumentFileRequest): Promise<SignDocumentFileResult> {
      const keyUri = req.certificate.keyUri;
      if (keyUri === undefined) throw new Error('certificate without a key');
      const options = deps.documentOptions?.() ?? {};
      const signer = await createKeyDocumentSigner({
        keySigner: deps.keySigner,
        keyUri,
        pinPrompt: deps.pinPrompt,
        signal: req.signal,
        ...(deps.client ? { client: deps.client } : {}),
        ...(options.policy?.allowWrongPurpose ? { requireSigningPurpose: false } : {}),
      });
      // core's file workflow: re-hashes the spooled file and refuses it if it is not what the
      // user saw (sha256), writes the output atomically, never over an existing file.
      const [result] = await signFiles([{ path: req.path, format: req.format, outputPath: req.outputPath, sha256: req.sha256 }], {
        ...options,
        signer,
        purposes: req.certificate.purposes,
        exactOutputPath: true,
        signal: req.signal,
        ...(req.origin !== undefined ? { origin: req.origin } : {}),
        documentNames: [req.name],
      });
      if (result === undefined) throw new SignetError('INTERNAL', 'The document was not signed.');
      if (!result.ok) throw SignetError.fromInfo(result.error);
      return { name: req.format === 'cades' ? `${req.name}.p7s` : signedPdfName(req.name) };
    },
  };
}

function signedPdfName(name: string): string {
  const base = name.replace(/\.pdf$/i, '');
  return `${base}-signed.pdf`;
}
