/**
 * Request schemas: strict (unknown fields refused), bounded, and checked against the wire types
 * of protocol.ts at compile time (`z.ZodType<T>`), so the two cannot drift.
 */
import { z } from 'zod';
import { MAX_NONCE_LENGTH, MIN_NONCE_LENGTH } from '../core/formats/webeid';
import type { AuthenticateRequest, CertificateRequest, SignDocumentQuery, SignRequest, WebHashAlgorithm } from './protocol';

/** Standard base64 (RFC 4648 §4) with padding, checked by round trip (linear, no regex on MBs). */
export function isBase64(s: string): boolean {
  if (s.length % 4 !== 0) return false;
  return Buffer.from(s, 'base64').toString('base64') === s;
}

const base64 = (what: string, max: number) =>
  z
    .string()
    .min(4, `${what} is empty`)
    .max(max, `${what} is too long`)
    .refine(isBase64, `${what} must be standard base64`);

const hashAlgorithm = z.enum(['SHA-256', 'SHA-384', 'SHA-512']) satisfies z.ZodType<WebHashAlgorithm>;

export const certificateRequestSchema = z
  .object({
    acceptableIssuers: z.array(z.string().min(1).max(1024)).max(64).optional(),
  })
  .strict() satisfies z.ZodType<CertificateRequest>;

export const signRequestSchema = z
  .object({
    hash: base64('hash', 128),
    hashAlgorithm,
    certificate: base64('certificate', 16_384),
    paddingScheme: z.enum(['PKCS1.5', 'PSS']).optional(),
  })
  .strict() satisfies z.ZodType<SignRequest>;

/** A file name for display: no path, no control characters. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\u0000-\u001f\u007f]/.test(n) && n !== '.' && n !== '..', 'name must be a plain file name');

/** The query string of /v1/sign-document (the document is the body). */
export const signDocumentQuerySchema = z
  .object({
    name: fileName,
    format: z.enum(['pades', 'cades']),
  })
  .strict() satisfies z.ZodType<SignDocumentQuery>;

export const authenticateRequestSchema = z
  .object({
    challengeNonce: z
      .string()
      .min(MIN_NONCE_LENGTH, `challengeNonce must have at least ${MIN_NONCE_LENGTH} characters (256 bits)`)
      .max(MAX_NONCE_LENGTH)
      .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'challengeNonce must be base64'),
  })
  .strict() satisfies z.ZodType<AuthenticateRequest>;

/** A short, safe description of what failed (no echo of the page's data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const where = i.path.length > 0 ? i.path.join('.') : 'body';
      if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`;
      return `${where}: ${i.message}`;
    })
    .join('; ');
}
