/**
 * The `signet` commands by name, with what the start-up needs to know before any command code is
 * loaded (the bootstrap in main.ts boots a token host right away for commands that use tokens).
 * Add a command: an entry here, its loader in commands/index.ts (checked at compile time) and
 * its file in this folder exporting `command: CliCommand`.
 */
export const COMMAND_META = [
  { name: 'modules', description: 'List discovered and configured PKCS#11 modules', needsTokens: true },
  { name: 'tokens', description: 'List tokens in all slots', needsTokens: true },
  { name: 'certs', description: 'List certificates and whether a private key matches', needsTokens: true },
  { name: 'sign-hash', description: 'Sign a precomputed digest with a key on a token', needsTokens: true },
  { name: 'sign', description: 'Sign documents: CAdES .p7s for any file, PAdES for PDFs', needsTokens: true },
  { name: 'auth-token', description: 'Make a Web eID authentication token for an origin and a nonce', needsTokens: true },
  { name: 'extend', description: 'Add long-term validation material (LT) or an archive time-stamp (LTA) to a signed PDF or .p7s', needsTokens: false },
  { name: 'verify', description: 'Verify PAdES signatures in a PDF or a detached CAdES signature', needsTokens: false },
  { name: 'inspect', description: 'Show pages, signatures, certification, PDF/A and empty signature fields of a PDF', needsTokens: false },
  { name: 'demo init', description: "Create or refresh the demo SoftHSM2 token in the user's data dir", needsTokens: true },
] as const;

export type CommandName = (typeof COMMAND_META)[number]['name'];

export interface CommandMeta {
  name: string;
  description: string;
  needsTokens: boolean;
}

/** The command named by the first words of argv (longest name first), and the remaining args. */
export function findCommand(argv: readonly string[]): { meta: CommandMeta; rest: string[] } | undefined {
  // Global options may come before the command; skip their values.
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--module') i++;
    else if (!a.startsWith('-')) words.push(a);
  }
  const sorted = [...COMMAND_META].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const meta of sorted) {
    const parts = meta.name.split(' ');
    if (parts.every((p, i) => words[i] === p)) {
      const rest = [...argv];
      for (const p of parts) rest.splice(rest.indexOf(p), 1);
      return { meta, rest };
    }
  }
  return undefined;
}
