/**
 * Document-signing settings from the configuration (electron/core/config): the user's config
 * and the admin policy, where the policy wins. Trust anchors are files (PEM bundles or DER) named
 * in either file; the policy's `allowExpired` / `allowPurposeMismatch` relax the signing checks.
 */
import { readFileSync } from 'node:fs';
import type { SignetConfig } from '../config';
import { certificatesFromFile } from '../pki/pem';
import type { SignatureLevel } from '../ltv/types';
import type { SigningPolicy } from '../pki/signing-checks';

export interface DocumentSettings {
  tsaUrl?: string;
  /** Time-stamp unless told otherwise (user setting, or required by policy). */
  timestampByDefault: boolean;
  /** Policy: every document signature must carry a time-stamp. */
  requireTimestamp: boolean;
  trustAnchors: Uint8Array[];
  /** Anchor files that could not be read (shown as warnings, never fatal). */
  trustAnchorProblems: string[];
  policy: SigningPolicy;
  defaultFormat: 'auto' | 'pades' | 'cades';
  /** Check revocation before signing (user setting or policy). */
  checkRevocation: boolean;
  /** Default baseline level (policy, else user), when configured. */
  level?: SignatureLevel;
}

export function documentSettings(config: SignetConfig): DocumentSettings {
  const user = config.user.signing ?? {};
  const pol = config.policy.signing ?? {};
  const files = [...(pol.trustAnchors ?? []), ...(user.trustAnchors ?? [])];
  const { anchors, problems } = loadTrustAnchors(files);
  const tsaUrl = pol.tsaUrl ?? user.tsaUrl;
  const requireTimestamp = pol.requireTimestamp === true;
  return {
    ...(tsaUrl ? { tsaUrl } : {}),
    timestampByDefault: requireTimestamp || user.timestampByDefault === true,
    requireTimestamp,
    trustAnchors: anchors,
    trustAnchorProblems: problems,
    policy: { allowExpired: pol.allowExpired === true, allowWrongPurpose: pol.allowPurposeMismatch === true },
    defaultFormat: user.defaultFormat ?? 'auto',
    checkRevocation: pol.checkRevocation === true || user.checkRevocation === true,
    ...((pol.level ?? user.level) ? { level: (pol.level ?? user.level)! } : {}),
  };
}

export function loadTrustAnchors(files: readonly string[]): { anchors: Uint8Array[]; problems: string[] } {
  const anchors: Uint8Array[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      anchors.push(...certificatesFromFile(readFileSync(f), f));
    } catch (e) {
      problems.push(`Trust anchor ${f}: ${(e as Error).message}`);
    }
  }
  return { anchors, problems };
}
