/**
 * PAdES B-LT and B-LTA (ETSI EN 319 142-1 §5.4, §6.3): to a signed PDF add, each in its own
 * incremental update,
 *   LT:  a DSS (formats/pades/dss.ts) with the certificates, OCSP responses and CRLs for every
 *        signature in the document and for the TSAs of their time-stamps (and of earlier document
 *        time-stamps, when an archive is renewed);
 *   LTA: then a document time-stamp over the whole file (formats/pades/doc-timestamp.ts).
 * The same path serves signing at LT/LTA and `signet extend`; earlier revisions are never
 * touched, so every earlier signature stays valid (DSS and document time-stamps are permitted
 * changes, ISO 32000-2 §12.8.2.2.2).
 */
import { SignetError } from '../../../native/errors';
import { buildDocTimestampUpdate, type ImprintTimestampFn } from '../formats/pades/doc-timestamp';
import { readDocument } from '../formats/pades/document';
import { buildDssUpdate } from '../formats/pades/dss';
import { PdfReader } from '../formats/pades/pdf-reader';
import { readPdfSignatures } from '../formats/pades/read-signatures';
import type { TimestampInfo } from '../formats/tsp/verify-token';
import { collectValidationMaterial, judgeMaterial, type CollectOptions, type CollectTarget } from './collect';
import { targetsOfCms } from './targets';
import type { ValidationMaterial } from './types';

export interface PadesLtvOptions {
  level: 'LT' | 'LTA';
  /** Required for LTA: the document time-stamp. */
  timestamp?: ImprintTimestampFn;
  collect?: CollectOptions;
  name?: string;
  signal?: AbortSignal;
}

export interface PadesLtvResult {
  /** To append after the input, in order. */
  updates: Buffer[];
  material: ValidationMaterial;
  warnings: string[];
  docTimestamp?: TimestampInfo;
}

export async function extendPdf(pdf: Buffer, o: PadesLtvOptions): Promise<PadesLtvResult> {
  if (o.level === 'LTA' && !o.timestamp) throw new SignetError('INVALID_INPUT', 'Level LTA needs a time-stamp server (--tsa or the configuration)');
  const open = { ...(o.name ? { name: o.name } : {}), ...(o.signal ? { signal: o.signal } : {}) };
  const targets = await pdfTargets(pdf, open);
  if (targets.length === 0) throw new SignetError('INVALID_INPUT', `${o.name ?? 'The PDF'} has no signature to extend`);
  const material = await collectValidationMaterial(targets, { ...o.collect, ...(o.signal ? { signal: o.signal } : {}) });
  const judged = judgeMaterial(material);
  if (!judged.ok) throw judged.error;
  const dss = await buildDssUpdate(pdf, material, open);
  const updates = [dss];
  if (o.level === 'LT') return { updates, material, warnings: judged.warnings };
  const withDss = Buffer.concat([pdf, dss]);
  const ts = await buildDocTimestampUpdate(withDss, { timestamp: o.timestamp!, ...open });
  updates.push(ts.update);
  return { updates, material, warnings: judged.warnings, docTimestamp: ts.timestamp };
}

/** Every signature's and time-stamp's certificates (unreadable signatures are skipped: verify reports them). */
export async function pdfTargets(pdf: Buffer, open: { name?: string; signal?: AbortSignal }): Promise<CollectTarget[]> {
  const reader = await PdfReader.open(pdf, open);
  const doc = await readDocument(reader);
  const out: CollectTarget[] = [];
  for (const s of readPdfSignatures(reader, doc)) {
    try {
      if (s.subFilter === 'ETSI.RFC3161') out.push(...targetsOfCms(s.contents, 'tsa'));
      else if (s.subFilter === 'ETSI.CAdES.detached' || s.subFilter === 'adbe.pkcs7.detached') out.push(...targetsOfCms(s.contents));
    } catch {
      // not a readable CMS: nothing to collect for it
    }
  }
  return out;
}
