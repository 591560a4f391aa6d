/** Loaders for every command in meta.ts (a missing one does not compile). */
import type { CliCommand } from '../command';
import type { CommandName } from './meta';

export const LOADERS = {
  modules: async () => (await import('./modules')).command,
  tokens: async () => (await import('./tokens')).command,
  certs: async () => (await import('./certs')).command,
  'sign-hash': async () => (await import('./sign-hash')).command,
  sign: async () => (await import('./sign')).command,
  'auth-token': async () => (await import('./auth-token')).command,
  verify: async () => (await import('./verify')).command,
  extend: async () => (await import('./extend')).command,
  inspect: async () => (await import('./inspect')).command,
  'demo init': async () => (await import('./demo-init')).command,
} satisfies Record<CommandName, () => Promise<CliCommand>>;

export function loadCommand(name: string): Promise<CliCommand> {
  const loader = (LOADERS as Record<string, () => Promise<CliCommand>>)[name];
  if (!loader) return Promise.reject(new Error(`no loader for command ${name}`));
  return loader();
}
