/**
 * One input schema per preload method (electron/api.ts). Unknown fields are refused (strict
 * objects), strings are bounded, and methods without an argument accept nothing. The table is
 * typed against the method lists so a method without a schema does not compile.
 */
import { z } from 'zod';
import type { PreloadMethod, SignetMethod } from '../../api';
import { settingsPatchSchema } from '../settings/store';

const id = z.string().min(1).max(100);
const uri = z.string().min(8).max(2000).startsWith('pkcs11:');
const none = z.undefined();
const pinText = z.string().min(1).max(256);
/** A PIN as UTF-8 bytes (structured clone keeps Uint8Array), 1–1024 bytes. */
const pinBytes = z.instanceof(Uint8Array).refine((b) => b.length >= 1 && b.length <= 1024, 'PIN length');

const visible = z.strictObject({
  page: z.number().int().min(0).max(100_000),
  rect: z.strictObject({
    x: z.number().min(0).max(14_400),
    y: z.number().min(0).max(14_400),
    width: z.number().min(10).max(14_400),
    height: z.number().min(10).max(14_400),
  }),
  reason: z.string().max(200).optional(),
  location: z.string().max(200).optional(),
});

const rect = z.strictObject({
  x: z.number().min(0).max(14_400),
  y: z.number().min(0).max(14_400),
  width: z.number().min(10).max(14_400),
  height: z.number().min(10).max(14_400),
});
const layout = z.string().min(1).max(200);
const fingerprint = z.string().regex(/^[0-9a-f]{64}$/);

export const METHOD_SCHEMAS = {
  'app.info': none,
  'tokens.snapshot': none,
  'tokens.refresh': none,
  'tokens.changePin': z.strictObject({ tokenUri: uri, oldPin: pinText, newPin: pinText }),
  'tokens.lockNow': z.strictObject({ tokenUri: uri }),
  'certificates.details': z.strictObject({ certUri: uri }),
  'files.pick': z.strictObject({ multiple: z.boolean() }),
  'files.inspect': z.strictObject({ fileId: id }),
  'files.read': z.strictObject({ fileId: id, offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), length: z.number().int().min(0).max(4 * 1024 * 1024) }),
  'verify.file': z.strictObject({ fileId: id, contentFileId: id.optional() }),
  'history.list': none,
  'history.clear': none,
  'trust.list': none,
  'trust.add': z.strictObject({ fileId: id }),
  'trust.remove': z.strictObject({ fingerprintSha256: fingerprint }),
  'stamp.getPlacement': z.strictObject({ layout }),
  'stamp.setPlacement': z.strictObject({ layout, placement: z.strictObject({ page: z.number().int().min(0).max(100_000), rect, field: z.string().min(1).max(1000).optional() }) }),
  'sign.prepare': z.strictObject({
    files: z.array(id).min(1).max(500),
    certUri: uri,
    format: z.enum(['auto', 'pades', 'cades', 'asice']),
    visible: visible.optional(),
    field: z.string().min(1).max(1000).optional(),
    timestamp: z.boolean(),
    level: z.enum(['LT', 'LTA']).optional(),
  }),
  'sign.confirm': z.strictObject({ planId: id }),
  'sign.cancel': z.strictObject({ planId: id }),
  'pin.submit': z.strictObject({ requestId: id, pin: pinBytes }),
  'pin.cancel': z.strictObject({ requestId: id }),
  'consent.respond': z.strictObject({
    requestId: id,
    decision: z.strictObject({ approve: z.boolean(), remember: z.boolean().optional(), certUri: uri.optional() }),
  }),
  'consent.documentText': z.strictObject({ requestId: id, offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
  'consent.documentBytes': z.strictObject({ requestId: id, offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), length: z.number().int().min(0).max(4 * 1024 * 1024) }),
  'settings.get': none,
  'settings.update': settingsPatchSchema,
  'settings.revokeOrigin': z.strictObject({ origin: z.string().min(1).max(300) }),
  'diagnostics.export': none,
  'shell.showInFolder': z.strictObject({ outputId: id }),
  'shell.openOutput': z.strictObject({ outputId: id }),
  'tls.openPortal': z.strictObject({ url: z.url({ protocol: /^https$/ }).max(2000) }),
  'tls.status': none,
  'tls.switchIdentity': z.strictObject({ portalId: id }),
  'tls.unregisterModules': none,
} as const satisfies Record<SignetMethod, z.ZodType>;

export const PRELOAD_SCHEMAS = {
  'files.dropped': z.strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(500) }),
} as const satisfies Record<PreloadMethod, z.ZodType>;

/** A short, human summary of what was wrong with an input (never echoes the values: a PIN may be one). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`)
    .join('; ');
}
