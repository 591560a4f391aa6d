/**
 * POST /v1/sign-document?format=pades|cades&name=… — Signet signs the page's document itself
 * (PAdES for PDFs, detached CAdES otherwise) with a signing certificate the user picks, after
 * showing the name, size, SHA-256 and (for text) a preview.
 *
 * The document is the raw request body, streamed to a private file and hashed on the way
 * (server.ts, upload/spool.ts); before the user's answer only its size, the query's schema and
 * (for PAdES) the `%PDF-` magic are checked. The answer streams the signed file back, described
 * by the Signet-* headers (protocol.ts). Size limit from config (default 25 MB).
 */
import { SignetError } from '../../../native/errors';
import { candidatesFor } from '../certificates';
import type { SignDocumentResponseHeaders } from '../protocol';
import { signDocumentQuerySchema } from '../schemas';
import { readSlice, readTextChunk, textPreview } from '../upload/preview';
import { parseWith, type FileReply, type Route } from './route';

export const DEFAULT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

export const signDocumentRoute: Route<'/v1/sign-document'> = {
  method: 'POST',
  async handle(ctx): Promise<FileReply> {
    const query = parseWith(signDocumentQuerySchema, ctx.input.query());
    const doc = await ctx.input.document(ctx.settings.maxDocumentBytes);
    const isPdf = doc.head.subarray(0, 5).toString('latin1') === '%PDF-';
    if (query.format === 'pades' && !isPdf) throw new SignetError('INVALID_INPUT', 'PAdES needs a PDF document.');
    const candidates = candidatesFor(await ctx.services.certificates(), 'signing');
    const preview = isPdf ? undefined : textPreview(doc.head, doc.size);
    const decision = await ctx.ask(
      { operation: 'sign-document', document: { name: query.name, size: doc.size, format: query.format, sha256: doc.sha256, ...preview }, candidates },
      'to sign the document',
      {
        ...(preview !== undefined ? { documentText: (offset: number) => readTextChunk(doc.path, offset, doc.size) } : {}),
        // The app shows the document itself (PDF pages) while it asks: bounded reads of the spool file.
        documentBytes: (offset: number, length: number) => readSlice(doc.path, offset, length),
      },
    );
    const cert = candidates.find((c) => c.uri === decision.certUri);
    if (cert === undefined) throw new SignetError('INTERNAL', 'The chosen certificate is not among the offered ones.');
    const outputPath = ctx.tempFile(query.format === 'pades' ? '.pdf' : '.p7s');
    const out = await ctx.services.signDocument({ certificate: cert, path: doc.path, sha256: doc.sha256, name: query.name, format: query.format, outputPath, signal: ctx.signal, origin: ctx.origin });
    return {
      kind: 'file',
      path: outputPath,
      contentType: query.format === 'pades' ? 'application/pdf' : 'application/pkcs7-signature',
      headers: { 'Signet-Name': encodeURIComponent(out.name), 'Signet-Format': query.format, 'Signet-Certificate': cert.certificate } satisfies SignDocumentResponseHeaders,
    };
  },
};
