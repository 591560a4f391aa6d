/**
 * Signet's configuration: per-OS paths, the user's config file and the admin policy.
 * `loadConfig()` is what the CLI, the app and the web API start from.
 */
import type { ModuleSpec } from '../../../native/types';
import { readPolicy, readUserConfig } from './files';
import type { Policy, UserConfig } from './schema';
import { signetPaths, type SignetPaths } from './paths';

export { signetPaths, type SignetPaths } from './paths';
export { readPolicy, readUserConfig, updateUserConfig, writeJsonAtomic } from './files';
export * from './schema';

export interface SignetConfig {
  paths: SignetPaths;
  user: UserConfig;
  policy: Policy;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): SignetConfig {
  const paths = signetPaths(env, platform);
  return { paths, user: readUserConfig(paths.userConfigFile), policy: readPolicy(paths.policyFile) };
}

/** Modules from the config files (policy, user, demo), with their sources. */
export function configuredModules(c: SignetConfig): ModuleSpec[] {
  const spec = (m: { path: string; env?: Record<string, string> | undefined }, source: ModuleSpec['source']): ModuleSpec =>
    m.env ? { path: m.path, source, env: m.env } : { path: m.path, source };
  const out = c.policy.modules.map((m) => spec(m, 'policy'));
  if (c.policy.disableDiscovery) return out;
  out.push(...c.user.modules.map((m) => spec(m, 'config')));
  if (c.user.demo) out.push({ path: c.user.demo.module, source: 'demo', env: c.user.demo.env });
  return out;
}

/** Token-call timeouts: policy over user config over defaults. */
export function timeoutsOf(c: SignetConfig): { callMs: number; pinPadMs: number } {
  return {
    callMs: c.policy.timeouts?.callMs ?? c.user.timeouts?.callMs ?? 30_000,
    pinPadMs: c.policy.timeouts?.pinPadMs ?? c.user.timeouts?.pinPadMs ?? 120_000,
  };
}
