/**
 * Building the TokenClient from configuration: which modules (arguments, policy, user config,
 * demo token, p11-kit registry, well-known paths; native/discovery.ts), which timeouts, which
 * launcher (Node fork by default; the app passes its utilityProcess launcher).
 */
import { TokenClient, type HostLauncher } from '../../native/client';
import { discoverModules } from '../../native/discovery';
import type { Logger } from '../../native/log';
import type { ModuleSpec } from '../../native/types';
import { configuredModules, timeoutsOf, type SignetConfig } from './config';

export function moduleSpecs(config: SignetConfig, argumentModules: readonly string[] = []): ModuleSpec[] {
  const policyOnly = config.policy.disableDiscovery === true;
  return discoverModules({
    argumentModules,
    configured: configuredModules(config),
    p11kit: !policyOnly && config.user.discovery?.p11kit !== false,
    wellKnown: !policyOnly && config.user.discovery?.wellKnown !== false,
    ...(config.policy.allowedModules ? { allowed: config.policy.allowedModules } : {}),
  });
}

export interface TokenClientFactoryOptions {
  config: SignetConfig;
  argumentModules?: readonly string[];
  launcher?: HostLauncher;
  logger?: Logger;
  slotPollIntervalMs?: number;
}

export function createTokenClient(o: TokenClientFactoryOptions): TokenClient {
  const t = timeoutsOf(o.config);
  return new TokenClient({
    modules: moduleSpecs(o.config, o.argumentModules),
    callTimeoutMs: t.callMs,
    pinPadTimeoutMs: t.pinPadMs,
    ...(o.launcher ? { launcher: o.launcher } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.slotPollIntervalMs ? { slotPollIntervalMs: o.slotPollIntervalMs } : {}),
  });
}
