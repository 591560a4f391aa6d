/**
 * The two configuration files, validated with zod. Both are open for additions: each area has
 * its own section (signing: documents; ui: desktop app; webApi: web forms), unknown keys are
 * kept (a newer Signet's settings survive an older one rewriting the file), and every field is
 * optional with defaults applied by the code that reads it.
 *
 *  - user config  (paths.ts: configDir/config.json) — written by Signet (demo init, app settings);
 *  - admin policy (paths.ts: policyFile) — written by administrators, read-only for Signet; where
 *    both speak, the policy wins.
 */
import { z } from 'zod';

/** A PKCS#11 module and the environment its host process gets (never a PIN). */
export const ModuleEntrySchema = z.object({
  path: z.string().min(1),
  env: z.record(z.string(), z.string()).optional(),
});

export const TimeoutsSchema = z.object({
  /** Per-call timeout for token operations, ms (default 30 000). */
  callMs: z.number().int().min(100).max(600_000).optional(),
  /** PIN-pad (protected authentication path) logins, ms (default 120 000). */
  pinPadMs: z.number().int().min(1000).max(600_000).optional(),
});

export const DemoSchema = z.object({
  module: z.string(),
  /** The module's environment (the demo token's own SoftHSM2 configuration file). */
  env: z.record(z.string(), z.string()),
  softhsmConf: z.string(),
  tokenLabel: z.string(),
  tokenSerial: z.string(),
  tokenUri: z.string(),
  caCertPath: z.string(),
  createdAt: z.string(),
});

export const UserConfigSchema = z.looseObject({
  version: z.literal(1).default(1),
  /** Extra modules (e.g. a vendor's library in an unusual place). */
  modules: z.array(ModuleEntrySchema).default([]),
  /** Turn off automatic module discovery sources. */
  discovery: z
    .object({
      p11kit: z.boolean().optional(),
      wellKnown: z.boolean().optional(),
    })
    .optional(),
  timeouts: TimeoutsSchema.optional(),
  /** Written by `signet demo init`. */
  demo: DemoSchema.optional(),
  /** Document signing (engineer B's area). */
  signing: z
    .looseObject({
      tsaUrl: z.string().url().optional(),
      timestampByDefault: z.boolean().optional(),
      /** Extra trust anchors (PEM/DER files) for chains and verification. */
      trustAnchors: z.array(z.string()).optional(),
      defaultFormat: z.enum(['auto', 'pades', 'cades']).optional(),
      /** Check revocation (OCSP / CRL) before signing; unreachable → warning (engineer B). */
      checkRevocation: z.boolean().optional(),
    })
    .optional(),
  /** Desktop app (engineer C's area). */
  ui: z
    .looseObject({
      language: z.string().optional(),
      output: z.enum(['next-to-input', 'ask']).optional(),
    })
    .optional(),
  /** Loopback web API (engineer D's area). */
  webApi: z
    .looseObject({
      port: z.number().int().min(1024).max(65535).optional(),
      allowedOrigins: z.array(z.object({ origin: z.string(), addedAt: z.string() })).optional(),
      allowHttpLocalhost: z.boolean().optional(),
      /** Largest document /v1/sign-document accepts, in bytes (default 25 MB). */
      maxDocumentBytes: z.number().int().min(1024).max(512 * 1024 * 1024).optional(),
    })
    .optional(),
});

export const PolicySchema = z.looseObject({
  version: z.literal(1).default(1),
  /** Modules every user gets. */
  modules: z.array(ModuleEntrySchema).default([]),
  /** Only these module paths may be loaded (any source, arguments included), when set. */
  allowedModules: z.array(z.string()).optional(),
  /** Use only policy (and --module) modules: no p11-kit / well-known discovery, no user modules. */
  disableDiscovery: z.boolean().optional(),
  timeouts: TimeoutsSchema.optional(),
  signing: z
    .looseObject({
      tsaUrl: z.string().url().optional(),
      requireTimestamp: z.boolean().optional(),
      trustAnchors: z.array(z.string()).optional(),
      /** Allow signing with an expired / not yet valid certificate (default false). */
      allowExpired: z.boolean().optional(),
      /** Allow document signatures with authentication-only certificates (default false). */
      allowPurposeMismatch: z.boolean().optional(),
      /** Always check revocation (OCSP / CRL) before signing (engineer B). */
      checkRevocation: z.boolean().optional(),
    })
    .optional(),
  webApi: z
    .looseObject({
      disabled: z.boolean().optional(),
      port: z.number().int().min(1024).max(65535).optional(),
      /** Origins allowed without asking (the user still consents to each signature). */
      allowedOrigins: z.array(z.string()).optional(),
      /** Largest document /v1/sign-document accepts, in bytes; wins over the user's setting. */
      maxDocumentBytes: z.number().int().min(1024).max(512 * 1024 * 1024).optional(),
    })
    .optional(),
});

export type ModuleEntry = z.infer<typeof ModuleEntrySchema>;
export type UserConfig = z.infer<typeof UserConfigSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type DemoConfig = z.infer<typeof DemoSchema>;
