/**
 * The PIN policy from the configuration (design "Consent and PIN policy"; issue 8 §1).
 *
 * Default **per-action**: a PIN unlocks one user action and the token is logged out when it ends
 * (KeySigner.runAction). A user may choose to keep a *signing* login for N minutes
 * (config.json `signing.pinCacheMinutes`, the app's Settings); an administrator decides for
 * everyone with the policy file's `signing.pinCache`: `"per-action"` forbids the cache,
 * `{ "minutes": N }` imposes it. Logins (Web eID, TLS) are never cached, whatever the files say.
 *
 * The policy's `authentication` section relaxes the key-purpose rules for logins
 * (pki/purposes.ts AuthenticationRules); without it they are strict.
 */
import type { Policy, UserConfig } from './config/schema';
import type { AuthenticationRules } from './pki/purposes';

export interface PinCacheSetting {
  /** Minutes a signing login is kept after its action; 0 = per-action. */
  minutes: number;
  /** Who decided: nobody (default), the user, or the admin policy (then the user cannot change it). */
  source: 'default' | 'user' | 'policy';
}

export function pinCacheSetting(user: Pick<UserConfig, 'signing'>, policy: Pick<Policy, 'signing'>): PinCacheSetting {
  const imposed = policy.signing?.pinCache;
  if (imposed === 'per-action') return { minutes: 0, source: 'policy' };
  if (imposed !== undefined) return { minutes: imposed.minutes, source: 'policy' };
  const mine = user.signing?.pinCacheMinutes;
  if (mine !== undefined && mine > 0) return { minutes: mine, source: 'user' };
  return { minutes: 0, source: 'default' };
}

export function authenticationRules(policy: Pick<Policy, 'authentication'>): AuthenticationRules {
  const a = policy.authentication ?? {};
  return {
    ...(a.allowNonRepudiation === true ? { allowNonRepudiation: true } : {}),
    ...(a.webEidWithoutClientAuthEku === true ? { webEidWithoutClientAuthEku: true } : {}),
  };
}
