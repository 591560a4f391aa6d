// Types for scripts/linux-sandbox.mjs (plain JavaScript: it runs before anything is built).
export interface SandboxFacts {
  platform: NodeJS.Platform;
  isRoot: boolean;
  apparmorRestrictsUserns: boolean;
  usernsDisabled: boolean;
  binary: string;
  helper: string;
  helperStat: { uid: number; mode: number } | null;
  profileFor: string | null;
}
export function sandboxFacts(distDir: string): SandboxFacts;
export function sandboxVerdict(f: SandboxFacts): { ok: true } | { ok: false; message: string };
