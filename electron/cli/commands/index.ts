/**
 * Every `signet` command, loaded lazily (the CLI starts its token host first and parses only the
 * command it runs). Add a command: one file in this folder exporting `command: CliCommand`, and
 * one entry here.
 */
import type { CommandEntry } from '../command';

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'modules', description: 'List discovered and configured PKCS#11 modules', needsTokens: true, load: async () => (await import('./modules')).command },
  { name: 'tokens', description: 'List tokens in all slots', needsTokens: true, load: async () => (await import('./tokens')).command },
  { name: 'certs', description: 'List certificates and whether a private key matches', needsTokens: true, load: async () => (await import('./certs')).command },
  { name: 'sign-hash', description: 'Sign a precomputed digest with a key on a token', needsTokens: true, load: async () => (await import('./sign-hash')).command },
  { name: 'demo init', description: "Create or refresh the demo SoftHSM2 token in the user's data dir", needsTokens: true, load: async () => (await import('./demo-init')).command },
];

/** The command named by the first words of argv (longest name first), and the remaining args. */
export function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  // Global options may come before the command; skip their values.
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--module') i++;
    else if (!a.startsWith('-')) words.push(a);
  }
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const entry of sorted) {
    const parts = entry.name.split(' ');
    if (parts.every((p, i) => words[i] === p)) {
      const rest = [...argv];
      for (const p of parts) rest.splice(rest.indexOf(p), 1);
      return { entry, rest };
    }
  }
  return undefined;
}
