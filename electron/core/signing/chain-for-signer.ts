/**
 * The certificates to embed with a signature: the signer's chain as far as it can be built from
 * the token's certificates, the configured trust anchors and the OS store (ETSI EN 319 122-1
 * §5.1.4 / EN 319 142-1: include what a verifier needs to build the path).
 */
import type { DocumentSigner } from '../document-signer';
import { buildChain, type CertSource } from '../pki/chain';
import { systemStore } from '../pki/system-store';

export function chainForSigner(signer: DocumentSigner, opts: { trustAnchors?: readonly Uint8Array[]; useSystemStore?: boolean } = {}): Uint8Array[] {
  const anchors: CertSource[] = [
    ...(opts.trustAnchors ?? []).map((der) => ({ der, source: 'trust-store' as const })),
    ...(opts.useSystemStore === false ? [] : systemStore().certificates.map((der) => ({ der, source: 'system' as const }))),
  ];
  const result = buildChain(signer.certificate, 'token', {
    intermediates: signer.extraCertificates.map((der) => ({ der, source: 'token' as const })),
    anchors,
    at: null,
  });
  return result.chain.slice(1).map((l) => l.der);
}
