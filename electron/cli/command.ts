/**
 * The shape of a `signet` command: one file per command in commands/, with its name,
 * description, options and `run(args, ctx)` returning an exit code (style.md, pattern 12;
 * npm CLI's lib/commands/*.js). Every command also gets `--json`, `--module PATH` (repeatable)
 * and `--help`; commands that may ask for a PIN declare `usesPin` and get `--pin-stdin`.
 */
import type { Readable, Writable } from 'node:stream';
import type { HostLauncher, TokenClient } from '../../native/client';
import type { Logger } from '../../native/log';
import type { SignetConfig } from '../core/config';
import type { KeySigner } from '../core/key-signer';
import type { PinPrompt } from '../core/pin-prompt';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Repeatable (string[]). */
  multiple?: boolean;
  short?: string;
  description: string;
  /** For help: the value's placeholder, e.g. "URI". */
  valueName?: string;
  /** Allowed values (checked before run). */
  choices?: readonly string[];
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

export interface CliContext {
  /** --json: machine output on stdout. */
  readonly json: boolean;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Configuration (paths, user config, admin policy), loaded on first use. */
  config(): SignetConfig;
  /** The token client for --module / discovered modules (hosts already booting). */
  tokenClient(): TokenClient;
  /** A KeySigner over tokenClient() with the configured timeouts (one per command run). */
  keySigner(): KeySigner;
  /** Token-call timeouts from policy / user config (for KeySigner's PIN requests). */
  timeouts(): { callTimeoutMs: number; pinPadTimeoutMs: number };
  /** How token hosts are started (already warming up); for commands that build their own client. */
  hostLauncher(): HostLauncher;
  /** --pin-stdin or a no-echo terminal prompt. */
  pinPrompt(): PinPrompt;
  /** Print `value` as JSON (--json) or `human()` as text, on stdout. */
  print(value: unknown, human: () => string): void;
  /** A line on stderr (notices, warnings): never machine output. */
  note(line: string): void;
}

export interface CliCommand {
  /** One or two words: "tokens", "demo init". */
  name: string;
  description: string;
  /** Positional arguments for help, e.g. "FILE...". */
  positionals?: string;
  options: Record<string, OptionSpec>;
  /** May ask for a PIN: adds --pin-stdin. */
  usesPin?: boolean;
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}
