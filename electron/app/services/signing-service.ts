/**
 * SigningService over core's document workflow (electron/core/signing): `prepare` hashes the
 * inputs for the confirmation screen, `sign` signs the confirmed batch with one DocumentSigner
 * made from the chosen certificate's key (one login for the batch; the signer asks the PIN through
 * the app's PinPrompt, per signature for always-authenticate keys). Each file must still have the
 * SHA-256 the user confirmed.
 */
import { SignetError } from '../../../native/errors';
import type { CertificateView } from '../../api';
import type { DocumentSigner } from '../../core/document-signer';
import type { SigningPolicy } from '../../core/pki/signing-checks';
import { prepareFiles, signFiles } from '../../core/signing';
import type { SigningService, SignJob } from '../services';

export interface SigningServiceOptions {
  /** A DocumentSigner for the certificate's key (token layer + PinPrompt). */
  signerFor(certificate: CertificateView, signal: AbortSignal): Promise<DocumentSigner> | DocumentSigner;
  policy?: () => SigningPolicy | undefined;
  trustAnchors?: () => readonly Uint8Array[];
  tsaTimeoutMs?: number;
}

export function createSigningService(opts: SigningServiceOptions): SigningService {
  return {
    async prepare(job, onProgress, signal) {
      const prepared = await prepareFiles(
        job.files.map((f) => f.path),
        { onProgress, signal },
      );
      return prepared.map((p) => ({ sha256: p.sha256 }));
    },

    async sign(job: SignJob, onProgress, signal) {
      if (!job.certificate.keyUri) throw new SignetError('KEY_NOT_FOUND', 'This certificate has no private key on the token.');
      const signer = await opts.signerFor(job.certificate, signal);
      const policy = opts.policy?.();
      const anchors = opts.trustAnchors?.();
      const results = await signFiles(
        job.files.map((f) => ({ path: f.path, format: f.format, outputPath: f.outputPath, ...(f.sha256 ? { sha256: f.sha256 } : {}) })),
        {
          signer,
          purposes: job.certificate.purposes,
          ...(policy ? { policy } : {}),
          ...(anchors ? { trustAnchors: anchors } : {}),
          ...(job.timestamp && job.tsaUrl ? { timestamp: { url: job.tsaUrl, ...(opts.tsaTimeoutMs ? { timeoutMs: opts.tsaTimeoutMs } : {}) } } : {}),
          ...(job.timestamp && job.tsaUrl && job.level ? { level: job.level } : {}),
          // Into an existing field: the field has its place; the visible options carry only the reason and place.
          ...(job.visible && job.field === undefined ? { visible: job.visible } : {}),
          ...(job.visible?.reason ? { reason: job.visible.reason } : {}),
          ...(job.visible?.location ? { location: job.visible.location } : {}),
          ...(job.field !== undefined ? { field: job.field } : {}),
          ...(job.locale ? { locale: job.locale } : {}),
          onProgress,
          signal,
        },
      );
      return results.map((r) =>
        r.ok
          ? { ok: true as const, outputPath: r.outputPath, signer: r.signer, signedAt: new Date().toISOString(), ...(r.timestamp ? { timestamp: r.timestamp } : {}), ...(r.level ? { level: r.level } : {}) }
          : { ok: false as const, error: r.error },
      );
    },
  };
}
