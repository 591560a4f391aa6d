/**
 * The user's app settings (language, output location, TSA, remembered web origins), one JSON file
 * in the per-OS config dir, written atomically (temp file + rename). Origins from the admin policy
 * file are read-only here: they come from the policy loader, are shown, and cannot be revoked.
 * A damaged file falls back to the defaults instead of keeping the app from starting.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Settings } from '../../api';

export const DEFAULT_API_PORT = 47_123;

export type StoredSettings = Omit<Settings, 'policyOrigins'>;

export const DEFAULT_SETTINGS: StoredSettings = {
  language: 'system',
  output: 'next-to-input',
  timestampByDefault: false,
  tsaUrl: '',
  allowedOrigins: [],
  apiPort: DEFAULT_API_PORT,
  allowHttpLocalhost: false,
};

const originSchema = z.string().max(300).refine((s) => {
  try {
    const u = new URL(s);
    return u.origin === s && (u.protocol === 'https:' || u.protocol === 'http:');
  } catch {
    return false;
  }
}, 'must be a serialized origin such as https://portal.example');

export const settingsPatchSchema = z
  .object({
    language: z.enum(['system', 'en', 'fr']),
    output: z.enum(['next-to-input', 'ask']),
    timestampByDefault: z.boolean(),
    tsaUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2000)]),
    allowedOrigins: z.array(z.strictObject({ origin: originSchema, addedAt: z.iso.datetime() })).max(500),
    apiPort: z.number().int().min(1024).max(65535),
    allowHttpLocalhost: z.boolean(),
  })
  .partial()
  .strict();

export class SettingsStore {
  private current: StoredSettings;
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(
    private readonly file: string,
    private readonly policyOrigins: () => string[] = () => [],
  ) {
    this.current = this.load();
  }

  get(): Settings {
    return { ...structuredClone(this.current), policyOrigins: this.policyOrigins() };
  }

  update(patch: z.infer<typeof settingsPatchSchema>): Settings {
    const parsed = settingsPatchSchema.parse(patch);
    this.current = { ...this.current, ...parsed };
    this.save();
    return this.notify();
  }

  rememberOrigin(origin: string): Settings {
    if (!this.current.allowedOrigins.some((o) => o.origin === origin)) {
      this.current.allowedOrigins = [...this.current.allowedOrigins, { origin: originSchema.parse(origin), addedAt: new Date().toISOString() }];
      this.save();
    }
    return this.notify();
  }

  revokeOrigin(origin: string): Settings {
    this.current.allowedOrigins = this.current.allowedOrigins.filter((o) => o.origin !== origin);
    this.save();
    return this.notify();
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): Settings {
    const s = this.get();
    for (const l of this.listeners) l(s);
    return s;
  }

  private load(): StoredSettings {
    if (!existsSync(this.file)) return structuredClone(DEFAULT_SETTINGS);
    try {
      const raw: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      const parsed = settingsPatchSchema.safeParse(raw);
      return parsed.success ? { ...structuredClone(DEFAULT_SETTINGS), ...parsed.data } : structuredClone(DEFAULT_SETTINGS);
    } catch {
      return structuredClone(DEFAULT_SETTINGS);
    }
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.current, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
