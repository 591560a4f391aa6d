/**
 * Which certificate answers a portal's TLS CertificateRequest (RFC 8446 §4.3.2 /
 * RFC 5246 §7.4.4) in Signet's portal window. Plain logic, no Electron import, tested under Node.
 *
 * - Chromium has already narrowed `certificateList` to the certificates its store holds whose
 *   issuers match the server's certificate_authorities list. We narrow further to certificates on
 *   Signet's tokens with the `authentication` purpose: TLS client auth is a log-in, never a
 *   signature (seeds: "TLS client authentication is not a signature"), so signing-only keys are
 *   never offered.
 * - The user's pick is remembered per origin for the window's session; "switch identity" forgets
 *   it (and the window reopens in a fresh partition so Chromium's own cache is gone too).
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateView } from '../../core/types';

/** The fields of Electron's `Certificate` we use. */
export interface PlatformCertificate {
  /** PEM. */
  data: string;
  subjectName: string;
  issuerName: string;
}

export interface TlsCandidate<C extends PlatformCertificate> {
  platform: C;
  view: CertificateView;
}

export function sha256OfPem(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** Platform certificates that are authentication certificates on an inserted Signet token. */
export function tlsCandidates<C extends PlatformCertificate>(platformList: readonly C[], tokenCerts: readonly CertificateView[]): TlsCandidate<C>[] {
  const byFp = new Map(tokenCerts.filter((c) => c.purposes.includes('authentication') && c.validity !== 'expired' && c.validity !== 'not-yet-valid').map((c) => [c.fingerprintSha256.toLowerCase(), c]));
  const out: TlsCandidate<C>[] = [];
  for (const p of platformList) {
    let fp: string;
    try {
      fp = sha256OfPem(p.data);
    } catch {
      continue;
    }
    const view = byFp.get(fp);
    if (view !== undefined) out.push({ platform: p, view });
  }
  return out;
}

/** Per-origin remembered choice (fingerprints), for one portal session. */
export class ClientCertMemory {
  private readonly chosen = new Map<string, string>();

  remember(origin: string, fingerprintSha256: string): void {
    this.chosen.set(origin, fingerprintSha256.toLowerCase());
  }

  recall(origin: string): string | undefined {
    return this.chosen.get(origin);
  }

  forget(origin?: string): void {
    if (origin === undefined) this.chosen.clear();
    else this.chosen.delete(origin);
  }
}

export interface ChooseInput<C extends PlatformCertificate> {
  origin: string;
  platformList: readonly C[];
  tokenCerts: readonly CertificateView[];
  memory: ClientCertMemory;
  /** Signet's own picker (the consent modal with the candidates); resolves with the chosen
   *  certificate URI, or undefined when the user declines or none fits. */
  ask(origin: string, candidates: CertificateView[]): Promise<string | undefined>;
}

/**
 * The certificate to answer with, or undefined to continue without one (Chromium then lets the
 * server decide: most portals show their "no certificate" page).
 */
export async function chooseClientCertificate<C extends PlatformCertificate>(input: ChooseInput<C>): Promise<C | undefined> {
  const candidates = tlsCandidates(input.platformList, input.tokenCerts);
  const remembered = input.memory.recall(input.origin);
  if (remembered !== undefined) {
    const hit = candidates.find((c) => c.view.fingerprintSha256.toLowerCase() === remembered);
    if (hit !== undefined) return hit.platform;
    input.memory.forget(input.origin); // that card is gone: ask again
  }
  const uri = await input.ask(
    input.origin,
    candidates.map((c) => c.view),
  );
  const chosen = candidates.find((c) => c.view.uri === uri);
  if (chosen === undefined) return undefined;
  input.memory.remember(input.origin, chosen.view.fingerprintSha256);
  return chosen.platform;
}
