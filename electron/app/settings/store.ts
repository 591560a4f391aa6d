/**
 * The app's settings as the Settings screen sees them, stored in the user's Signet config file
 * (electron/core/config: config.json in the per-OS config dir, written atomically), in the
 * sections the CLI and the web API read too: ui.{language, output}, signing.{tsaUrl,
 * timestampByDefault}, webApi.{port, allowedOrigins, allowHttpLocalhost}. Origins from the admin
 * policy are read-only here: shown, never revocable. A damaged config file shows the defaults and
 * is not overwritten (saving reports the problem instead).
 */
import { z } from 'zod';
import { readUserConfig, updateUserConfig, type UserConfig } from '../../core/config';
import type { Settings } from '../../api';
import { DEFAULT_API_PORT } from '../../web-api/protocol';

export { DEFAULT_API_PORT };

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

  /** @param file the user config file (signetPaths().userConfigFile). */
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
    const next = { ...this.current, ...parsed };
    const previous = this.current;
    this.current = next;
    try {
      this.save();
    } catch (e) {
      this.current = previous;
      throw e;
    }
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
    let c: UserConfig;
    try {
      c = readUserConfig(this.file);
    } catch {
      return structuredClone(DEFAULT_SETTINGS);
    }
    const d = DEFAULT_SETTINGS;
    const stored: StoredSettings = {
      language: c.ui?.language ?? d.language,
      output: c.ui?.output ?? d.output,
      timestampByDefault: c.signing?.timestampByDefault ?? d.timestampByDefault,
      tsaUrl: c.signing?.tsaUrl ?? d.tsaUrl,
      allowedOrigins: c.webApi?.allowedOrigins ?? [],
      apiPort: c.webApi?.port ?? d.apiPort,
      allowHttpLocalhost: c.webApi?.allowHttpLocalhost ?? d.allowHttpLocalhost,
    };
    const parsed = settingsPatchSchema.safeParse(stored);
    return parsed.success ? { ...structuredClone(d), ...parsed.data } : structuredClone(d);
  }

  private save(): void {
    const s = this.current;
    updateUserConfig(this.file, (c) => ({
      ...c,
      ui: { ...c.ui, language: s.language, output: s.output },
      signing: { ...c.signing, timestampByDefault: s.timestampByDefault, ...(s.tsaUrl ? { tsaUrl: s.tsaUrl } : { tsaUrl: undefined }) },
      webApi: { ...c.webApi, port: s.apiPort, allowedOrigins: s.allowedOrigins, allowHttpLocalhost: s.allowHttpLocalhost },
    }));
  }
}
