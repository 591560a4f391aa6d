// The top-level service helpers of the rig API: startOcsp(rig) and startTsa().
import path from 'node:path';
import { startOcspResponder, type OcspOptions } from './ocsp';
import { rigInternals } from './provision';
import { startTimestampAuthority, type TsaOptions, type TsaService } from './tsa';
import type { Rig, RigService } from './types';

/**
 * An extra OCSP responder for a rig's CA (good / revoked from the rig's database, live).
 * Certificates already issued carry the URL they were issued with; to have the leaves point at
 * a responder, provision with `{ ocsp: true }` (rig.ocsp). Stopped by rig.cleanup() at the latest.
 */
export async function startOcsp(rig: Rig, opts: OcspOptions = {}): Promise<RigService> {
  const internals = rigInternals(rig);
  const dir = path.join(rig.dir, `ocsp-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  return internals.track(await startOcspResponder(internals.caStore, dir, opts));
}

/** An RFC 3161 time-stamping authority on 127.0.0.1 (see tsa.ts). */
export function startTsa(opts: TsaOptions = {}): Promise<TsaService> {
  return startTimestampAuthority(opts);
}

export type { OcspOptions, TsaOptions, TsaService };
