/**
 * `signet extend`: raise an existing signed file to LT or LTA (the archive workflow; ETSI EN
 * 319 142-1 §5.4 for PDFs, EN 319 122-1 §5.5 for .p7s). The input is only read; the result —
 * the input's bytes followed by the new incremental updates (PDF) or the re-encoded .p7s — is
 * written atomically to a new file. Running it again with LTA on an LTA file renews the archive
 * time-stamp (a fresh DSS for the previous time-stamps, then a new document time-stamp).
 */
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { readWholeFile } from '../signing/read-file';
import { looksLikePdf } from '../signing/prepare';
import type { TimestampOptions } from '../signing/types';
import { writeOutput } from '../signing/write-output';
import { cadesLevel, imprintTimestamper } from './apply';
import { extendPdf } from './pades';

export interface ExtendInput {
  input: string;
  level: 'LT' | 'LTA';
  /** Exact output path (never overwritten); default: next to the input, "-lt"/"-lta" added, a free name. */
  output: string;
  exactOutputPath?: boolean;
  timestamp?: TimestampOptions;
  revocationTimeoutMs?: number;
  trustAnchors?: readonly Uint8Array[];
  signal?: AbortSignal;
}

export interface ExtendResult {
  input: string;
  output: string;
  format: 'pades' | 'cades';
  level: 'LT' | 'LTA';
  /** PDF: bytes appended; .p7s: the new file's size. */
  addedBytes: number;
  timestamp?: string;
  warnings: string[];
}

export async function extendFile(o: ExtendInput): Promise<ExtendResult> {
  const name = path.basename(o.input);
  const { bytes } = await readWholeFile(o.input, { ...(o.signal ? { signal: o.signal } : {}), sha256: false });
  if (await looksLikePdf(o.input)) {
    const r = await extendPdf(bytes, {
      level: o.level,
      ...(o.timestamp ? { timestamp: imprintTimestamper(o.timestamp) } : {}),
      collect: { ...(o.revocationTimeoutMs ? { timeoutMs: o.revocationTimeoutMs } : {}), ...(o.trustAnchors ? { extraCertificates: o.trustAnchors } : {}) },
      name,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const output = await writeOutput(o.output, [bytes, ...r.updates], { pickFreeName: !o.exactOutputPath, ...(o.signal ? { signal: o.signal } : {}) });
    return {
      input: o.input,
      output,
      format: 'pades',
      level: o.level,
      addedBytes: r.updates.reduce((n, u) => n + u.length, 0),
      ...(r.docTimestamp ? { timestamp: r.docTimestamp.genTime.toISOString() } : {}),
      warnings: r.warnings,
    };
  }
  if (bytes[0] !== 0x30) throw new SignetError('INVALID_INPUT', `${name} is neither a PDF nor a DER CMS signature (.p7s)`);
  const r = await cadesLevel(bytes, o.level, {
    ...(o.timestamp ? { timestamp: o.timestamp } : {}),
    ...(o.revocationTimeoutMs ? { revocation: { timeoutMs: o.revocationTimeoutMs } } : {}),
    ...(o.trustAnchors ? { trustAnchors: o.trustAnchors } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const output = await writeOutput(o.output, [r.der], { pickFreeName: !o.exactOutputPath, ...(o.signal ? { signal: o.signal } : {}) });
  return { input: o.input, output, format: 'cades', level: o.level, addedBytes: r.der.length - bytes.length, warnings: r.warnings };
}

/** report.pdf → report-lta.pdf; data.txt.p7s → data.txt-lt.p7s. */
export function extendedName(inputName: string, level: 'LT' | 'LTA'): string {
  const ext = path.extname(inputName);
  const stem = ext ? inputName.slice(0, -ext.length) : inputName;
  return `${stem}-${level.toLowerCase()}${ext}`;
}
