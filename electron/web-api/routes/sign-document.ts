/**
 * POST /v1/sign-document — Signet signs the page's document itself (PAdES for PDFs, detached
 * CAdES otherwise) with a signing certificate the user picks, after showing the name, size,
 * SHA-256 and (for text) a preview. Size limit from config (default 25 MB).
 */
import { createHash } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import { candidatesFor } from '../certificates';
import { signDocumentRequestSchema } from '../schemas';
import { SMALL_BODY_BYTES, consentDenied, parseWith, type Route, type WebApiSettings } from './route';

export const DEFAULT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

/** base64 grows 4/3; plus the JSON around it. */
const bodyLimit = (s: WebApiSettings): number => Math.ceil(s.maxDocumentBytes / 3) * 4 + SMALL_BODY_BYTES;

/** Up to 2 000 characters when the content is plain UTF-8 text (for the consent modal). */
function previewText(content: Buffer): string | undefined {
  const head = content.subarray(0, 2000);
  if (head.includes(0) || /[\u0000-\u0008\u000e-\u001f]/.test(head.toString('latin1'))) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  return text.includes('\uFFFD') ? undefined : text;
}

export const signDocumentRoute: Route<'/v1/sign-document'> = {
  method: 'POST',
  maxBodyBytes: bodyLimit,
  parse: (body, settings) => parseWith(signDocumentRequestSchema(settings.maxDocumentBytes), body),
  async handle(req, ctx) {
    const content = Buffer.from(req.contentBase64, 'base64');
    if (content.length === 0) throw new SignetError('INVALID_INPUT', 'The document is empty.');
    if (content.length > ctx.settings.maxDocumentBytes) {
      throw new SignetError('INVALID_INPUT', `The document is larger than ${ctx.settings.maxDocumentBytes} bytes.`, { details: { reason: 'body-too-large' } });
    }
    const isPdf = content.subarray(0, 5).toString('latin1') === '%PDF-';
    if (req.format === 'pades' && !isPdf) throw new SignetError('INVALID_INPUT', 'PAdES needs a PDF document.');
    const candidates = candidatesFor(await ctx.services.certificates(), 'signing');
    const preview = isPdf ? undefined : previewText(content);
    const decision = await ctx.broker.ask(
      {
        origin: ctx.origin,
        operation: 'sign-document',
        document: {
          name: req.name,
          size: content.length,
          format: req.format,
          sha256: createHash('sha256').update(content).digest('hex'),
          ...(preview !== undefined ? { previewText: preview } : {}),
        },
        candidates,
      },
      ctx.signal,
    );
    if (!decision.approve) {
      if (candidates.length === 0) throw new SignetError('NO_TOKEN', 'No signing certificate is available. Insert your card and try again.');
      throw consentDenied('to sign the document');
    }
    const cert = candidates.find((c) => c.uri === decision.certUri);
    if (cert === undefined) throw new SignetError('INTERNAL', 'The chosen certificate is not among the offered ones.');
    const out = await ctx.services.signDocument({ certificate: cert, name: req.name, content, format: req.format, signal: ctx.signal, origin: ctx.origin });
    return {
      name: out.name,
      contentBase64: Buffer.from(out.content).toString('base64'),
      format: req.format,
      mimeType: req.format === 'pades' ? 'application/pdf' : 'application/pkcs7-signature',
      certificate: cert.certificate,
    };
  },
};
