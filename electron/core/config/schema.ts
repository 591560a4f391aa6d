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
// zod/mini: the same validation with a tree-shakable API (28 KB instead of 750 KB in the CLI
// bundle; the CLI's start-up time is measured, issue 2 §9).
import * as z from 'zod/mini';

const opt = z.optional;
const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const port = () => int(1024, 65535);
/** Longest signing PIN cache, minutes (a working day). */
export const PIN_CACHE_MAX_MINUTES = 480;

/** A PKCS#11 module and the environment its host process gets (never a PIN). */
export const ModuleEntrySchema = z.object({
  path: z.string().check(z.minLength(1)),
  env: opt(z.record(z.string(), z.string())),
});

export const TimeoutsSchema = z.object({
  /** Per-call timeout for token operations, ms (default 30 000). */
  callMs: opt(int(100, 600_000)),
  /** PIN-pad (protected authentication path) logins, ms (default 120 000). */
  pinPadMs: opt(int(1000, 600_000)),
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
  version: z._default(z.literal(1), 1),
  /** Extra modules (e.g. a vendor's library in an unusual place). */
  modules: z._default(z.array(ModuleEntrySchema), []),
  /** Turn off automatic module discovery sources. */
  discovery: opt(z.object({ p11kit: opt(z.boolean()), wellKnown: opt(z.boolean()) })),
  timeouts: opt(TimeoutsSchema),
  /** Written by `signet demo init`. */
  demo: opt(DemoSchema),
  /** Document signing (engineer B's area). */
  signing: opt(
    z.looseObject({
      tsaUrl: opt(z.url()),
      timestampByDefault: opt(z.boolean()),
      /** Extra trust anchors (PEM/DER files) for chains and verification. */
      trustAnchors: opt(z.array(z.string())),
      defaultFormat: opt(z.enum(['auto', 'pades', 'cades'])),
      /** Default baseline level (B, T, LT, LTA; ETSI EN 319 142-1 / 319 122-1); T and above need tsaUrl. */
      level: opt(z.enum(['B', 'T', 'LT', 'LTA'])),
      /** Check revocation (OCSP / CRL) before signing; unreachable → warning. (B) */
      checkRevocation: opt(z.boolean()),
      /** Keep a signing login this many minutes after its action (0 or absent: a PIN per
       *  action). Never for logins (core/pin-policy.ts); the admin policy's signing.pinCache wins. */
      pinCacheMinutes: opt(int(0, PIN_CACHE_MAX_MINUTES)),
    }),
  ),
  /** Desktop app (engineer C's area). */
  ui: opt(
    z.looseObject({
      language: opt(z.string()),
      output: opt(z.enum(['next-to-input', 'ask'])),
    }),
  ),
  /** Loopback web API (engineer D's area). */
  webApi: opt(
    z.looseObject({
      port: opt(port()),
      allowedOrigins: opt(z.array(z.object({ origin: z.string(), addedAt: z.string() }))),
      allowHttpLocalhost: opt(z.boolean()),
      /** Largest document /v1/sign-document accepts, in bytes (default 25 MB). (D) */
      maxDocumentBytes: opt(int(1024, 512 * 1024 * 1024)),
    }),
  ),
});

export const PolicySchema = z.looseObject({
  version: z._default(z.literal(1), 1),
  /** Modules every user gets. */
  modules: z._default(z.array(ModuleEntrySchema), []),
  /** Only these module paths may be loaded (any source, arguments included), when set. */
  allowedModules: opt(z.array(z.string())),
  /** Use only policy (and --module) modules: no p11-kit / well-known discovery, no user modules. */
  disableDiscovery: opt(z.boolean()),
  timeouts: opt(TimeoutsSchema),
  signing: opt(
    z.looseObject({
      tsaUrl: opt(z.url()),
      requireTimestamp: opt(z.boolean()),
      trustAnchors: opt(z.array(z.string())),
      /** Allow signing with an expired / not yet valid certificate (default false). */
      allowExpired: opt(z.boolean()),
      /** Allow document signatures with authentication-only certificates (default false). */
      allowPurposeMismatch: opt(z.boolean()),
      /** Default baseline level for every user (wins over the user's). */
      level: opt(z.enum(['B', 'T', 'LT', 'LTA'])),
      /** Always check revocation (OCSP / CRL) before signing. (B) */
      checkRevocation: opt(z.boolean()),
      /**
       * PIN cache for signing actions (core/pin-policy.ts). "per-action": forbidden, every action
       * asks its PIN (the default when neither file speaks); { "minutes": N }: imposed, users
       * cannot change it. Logins (authentication) are never cached.
       */
      pinCache: opt(z.union([z.literal('per-action'), z.object({ minutes: int(1, PIN_CACHE_MAX_MINUTES) })])),
    }),
  ),
  /** Explicit relaxations of the key-purpose rules for logins (core/pki/purposes.ts). */
  authentication: opt(
    z.looseObject({
      /** Let certificates with nonRepudiation authenticate (default false). */
      allowNonRepudiation: opt(z.boolean()),
      /** Let Web eID tokens carry a certificate without the clientAuth EKU (default false). */
      webEidWithoutClientAuthEku: opt(z.boolean()),
    }),
  ),
  webApi: opt(
    z.looseObject({
      disabled: opt(z.boolean()),
      port: opt(port()),
      /** Origins allowed without asking (the user still consents to each signature). */
      allowedOrigins: opt(z.array(z.string())),
      /** Largest document /v1/sign-document accepts, in bytes; wins over the user's setting. (D) */
      maxDocumentBytes: opt(int(1024, 512 * 1024 * 1024)),
    }),
  ),
});

export type ModuleEntry = z.infer<typeof ModuleEntrySchema>;
export type UserConfig = z.infer<typeof UserConfigSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type DemoConfig = z.infer<typeof DemoSchema>;
