/**
 * The environment a token host process starts with: the parent's (vendor modules read their own
 * variables, e.g. OPENSC_CONF or PC/SC settings), minus the Node runtime settings that are meant
 * for the parent only:
 * - NODE_EXTRA_CA_CERTS: the host makes no TLS connections, and loading a CA bundle at start-up
 *   costs a fresh Node process 40–100 ms here (measured: `node -e 0` 70 ms with it, 30 ms without).
 * - NODE_OPTIONS: a process that briefly holds a PIN gets no --require hook or --inspect flag it
 *   did not ask for.
 * Module-specific variables (ModuleSpec.env) are applied by the host itself at `module.init`.
 */
const PARENT_ONLY = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'] as const;

export function hostEnvironment(parent: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v !== undefined && !(PARENT_ONLY as readonly string[]).includes(k)) env[k] = v;
  }
  return { ...env, ...extra };
}
