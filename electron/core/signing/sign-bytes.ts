/**
 * Signing a document held in memory (the web API's sign-document: the page sends the content,
 * the caller limits its size): same formats and checks as signFiles, bytes in, bytes out.
 * CAdES returns the detached `.p7s`; PAdES returns the signed PDF (original + update).
 */
import { SignetError } from '../../../native/errors';
import { createCades } from '../formats/cades';
import type { TimestampFn } from '../formats/cms/sign';
import { signPdf } from '../formats/pades/sign';
import { stampLocaleFor } from '../formats/pades/stamp-text';
import { timestamp as requestTimestamp } from '../formats/tsp/client';
import { hashBytes } from '../hashing';
import { preflight } from './preflight';
import type { DocumentFormat, SignOptions } from './types';

export interface SignBytesInput extends Omit<SignOptions, 'onProgress' | 'exactOutputPath'> {
  content: Uint8Array;
  format: DocumentFormat;
  /** For messages and the PDF's error texts. */
  name?: string;
  onPhase?: (phase: 'signing' | 'timestamping') => void;
}

export interface SignBytesOutput {
  output: Buffer;
  format: DocumentFormat;
  mimeType: 'application/pkcs7-signature' | 'application/pdf';
  signer: string;
  /** SHA-256 of the input, hex (what was signed). */
  sha256: string;
  timestamp?: string;
  warnings?: string[];
}

export async function signDocumentBytes(input: SignBytesInput): Promise<SignBytesOutput> {
  // One document, one user action (KeySigner.runAction): its own PIN, logged out at the end.
  const action = {
    purpose: 'sign-documents' as const,
    documents: input.documentNames ?? [input.name ?? 'document'],
    ...(input.origin !== undefined ? { origin: input.origin } : {}),
  };
  return input.signer.action ? input.signer.action(action, () => signBytes(input), input.signal) : signBytes(input);
}

async function signBytes(input: SignBytesInput): Promise<SignBytesOutput> {
  const now = input.now ?? (() => new Date());
  const { hash, chain, signerName: signer, warnings } = await preflight(input);
  const sha256 = hashBytes('sha256', input.content).toString('hex');
  const ts: TimestampFn | undefined = input.timestamp
    ? (value, h, signal) =>
        requestTimestamp(value, h, { url: input.timestamp!.url, ...(input.timestamp!.timeoutMs ? { timeoutMs: input.timestamp!.timeoutMs } : {}), ...(signal ? { signal } : {}) })
    : undefined;
  const common = {
    signer: input.signer,
    hash,
    chain,
    ...(ts ? { timestamp: ts } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onPhase ? { onPhase: input.onPhase } : {}),
  };
  if (input.format === 'cades') {
    const cms = await createCades({ ...common, contentDigest: hashBytes(hash, input.content), signingTime: now() });
    return {
      output: Buffer.from(cms.der),
      format: 'cades',
      mimeType: 'application/pkcs7-signature',
      signer,
      sha256,
      ...(cms.timestamp ? { timestamp: cms.timestamp.genTime.toISOString() } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }
  if (input.format !== 'pades') throw new SignetError('INVALID_INPUT', `Unknown format ${String(input.format)}`);
  const pdf = Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content.buffer, input.content.byteOffset, input.content.byteLength);
  const reason = input.visible?.reason ?? input.reason;
  const location = input.visible?.location ?? input.location;
  const out = await signPdf({
    ...common,
    pdf,
    name: input.name ?? 'The PDF',
    signingTime: now(),
    signerName: signer,
    ...(input.visible ? { visible: { page: input.visible.page, rect: input.visible.rect } } : {}),
    ...(input.field !== undefined ? { field: input.field } : {}),
    locale: stampLocaleFor(input.locale),
    ...(reason ? { reason } : {}),
    ...(location ? { location } : {}),
  });
  return {
    output: Buffer.concat([out.original, out.update]),
    format: 'pades',
    mimeType: 'application/pdf',
    signer,
    sha256,
    ...(out.timestamp ? { timestamp: out.timestamp.genTime.toISOString() } : {}),
    ...(warnings.length + out.warnings.length > 0 ? { warnings: [...warnings, ...out.warnings] } : {}),
  };
}
