/**
 * Applying the requested level after a B-T signature is made (signing at LT/LTA), with the
 * never-silent downgrade rule: when the revocation material cannot be had, fail — or, when the
 * caller allows it (--allow-downgrade), keep the B-T signature and say so in a warning.
 */
import { SignetError } from '../../../native/errors';
import type { TimestampOptions } from '../signing/types';
import { timestampImprint } from '../formats/tsp/client';
import type { ImprintTimestampFn } from '../formats/pades/doc-timestamp';
import { extendCades } from './cades';
import { extendPdf } from './pades';
import type { SignatureLevel } from './types';

export interface LevelOptions {
  level: SignatureLevel;
  allowDowngrade?: boolean;
  timestamp?: TimestampOptions;
  /** Per OCSP / CRL / AIA request. */
  revocationTimeoutMs?: number;
  /** Certificates that may be issuers (trust anchors). */
  extraCertificates?: readonly Uint8Array[];
  name?: string;
  signal?: AbortSignal;
}

export function imprintTimestamper(t: TimestampOptions): ImprintTimestampFn {
  return (imprint, hash, signal) =>
    timestampImprint(imprint, hash, { url: t.url, ...(t.timeoutMs ? { timeoutMs: t.timeoutMs } : {}), ...(t.policy ? { policy: t.policy } : {}), ...(signal ? { signal } : {}) });
}

/** Is this the failure to get revocation material (the one --allow-downgrade covers)? */
export function isRevocationUnavailable(e: unknown): e is SignetError {
  return e instanceof SignetError && e.details?.reason === 'revocation-unavailable';
}

/** The updates to append to a signed PDF for `level` (none for B/T), and the level reached. */
export async function pdfLevelUpdates(signed: Buffer, o: LevelOptions): Promise<{ updates: Buffer[]; level: SignatureLevel; warnings: string[] }> {
  if (o.level === 'B' || o.level === 'T') return { updates: [], level: o.level, warnings: [] };
  try {
    const r = await extendPdf(signed, {
      level: o.level,
      ...(o.timestamp ? { timestamp: imprintTimestamper(o.timestamp) } : {}),
      collect: {
        ...(o.revocationTimeoutMs ? { timeoutMs: o.revocationTimeoutMs } : {}),
        ...(o.extraCertificates ? { extraCertificates: o.extraCertificates } : {}),
      },
      ...(o.name ? { name: o.name } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { updates: r.updates, level: o.level, warnings: r.warnings };
  } catch (e) {
    if (o.allowDowngrade && isRevocationUnavailable(e)) {
      return { updates: [], level: 'T', warnings: [`Level ${o.level} was not reached, the signature is B-T only: ${e.message}`] };
    }
    throw e;
  }
}

/** CAdES: the .p7s at `level` (LT adds the material to the SignedData, ltv/cades.ts). */
export async function cadesLevel(
  der: Uint8Array,
  level: SignatureLevel,
  o: { allowDowngrade?: boolean; timestamp?: TimestampOptions; revocation?: { timeoutMs?: number }; trustAnchors?: readonly Uint8Array[]; signal?: AbortSignal },
): Promise<{ der: Uint8Array; level: SignatureLevel; warnings: string[] }> {
  if (level === 'B' || level === 'T') return { der, level, warnings: [] };
  try {
    const r = await extendCades(der, {
      level,
      collect: {
        ...(o.revocation?.timeoutMs ? { timeoutMs: o.revocation.timeoutMs } : {}),
        ...(o.trustAnchors ? { extraCertificates: o.trustAnchors } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      },
    });
    return { der: r.der, level, warnings: r.warnings };
  } catch (e) {
    if (o.allowDowngrade && isRevocationUnavailable(e)) {
      return { der, level: 'T', warnings: [`Level ${level} was not reached, the signature is B-T only: ${e.message}`] };
    }
    throw e;
  }
}
