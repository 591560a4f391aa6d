/**
 * What is checked and gathered once per batch, before the card is touched: the certificate may
 * sign documents now (validity, purpose, admin policy), the chain to embed, the digest algorithm,
 * the signer's display name, and — when asked — whether the certificate is revoked (OCSP / CRL).
 * A revoked certificate is refused with the reason; a check that cannot be completed becomes a
 * warning (never a silent block, never a silent pass).
 */
import { X509Certificate } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import type { HashAlg } from '../../../native/types';
import { keyProfile } from '../document-signer';
import { certificatePurposes } from '../pki/purposes';
import { checkRevocation } from '../pki/revocation/check';
import { assertCanSign } from '../pki/signing-checks';
import { chainForSigner } from './chain-for-signer';
import { signerDisplayName } from './signer-name';
import type { SignOptions } from './types';

export interface Preflight {
  hash: HashAlg;
  chain: Uint8Array[];
  signerName: string;
  warnings: string[];
}

export async function preflight(opts: Omit<SignOptions, 'onProgress' | 'exactOutputPath'>): Promise<Preflight> {
  const now = opts.now ?? (() => new Date());
  const cert = opts.signer.certificate;
  const x = new X509Certificate(cert);
  // An expired or authentication-only certificate never reaches the card.
  assertCanSign({ notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo), purposes: opts.purposes ?? certificatePurposes(cert) }, opts.policy, now());
  const chain = chainForSigner(opts.signer, {
    ...(opts.trustAnchors ? { trustAnchors: opts.trustAnchors } : {}),
    ...(opts.useSystemStore !== undefined ? { useSystemStore: opts.useSystemStore } : {}),
  });
  const warnings: string[] = [];
  if (opts.revocation) {
    const r = await checkRevocation(cert, chain[0], {
      ...(opts.revocation.timeoutMs ? { timeoutMs: opts.revocation.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (r.status === 'revoked') {
      const a = r.answer!;
      throw new SignetError(
        'CERT_UNTRUSTED',
        `The certificate was revoked${a.revokedAt ? ` on ${a.revokedAt.slice(0, 10)}` : ''}${a.reason ? ` (${a.reason})` : ''}: signatures made with it would not be valid. (Checked with ${a.source.toUpperCase()} at ${a.url}.)`,
        { retriable: false, details: { source: a.source, url: a.url } },
      );
    }
    if (r.status === 'unknown') warnings.push(`Revocation could not be checked: ${r.problems.join('; ')}`);
    else warnings.push(...r.problems.map((p) => `Revocation: ${p}`));
  }
  for (const w of warnings) opts.onWarning?.(w);
  return { hash: opts.hash ?? keyProfile(cert).defaultHash, chain, signerName: signerDisplayName(cert), warnings };
}
