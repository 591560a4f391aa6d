/**
 * Running one command: parse its options, build its context (config, token client, PIN prompt,
 * logger — each on first use), run it, and turn any error into the contract's output
 * (`{"error":{code,message,...}}` with --json, a line on stderr otherwise) and exit code.
 */
import type { TokenClient, HostLauncher } from '../../native/client';
import { SignetError, toErrorInfo } from '../../native/errors';
import { loadConfig, timeoutsOf, type SignetConfig } from '../core/config';
import type { KeySigner } from '../core/key-signer';
import type * as KeySignerModule from '../core/key-signer';
import type { PinPrompt } from '../core/pin-prompt';
import { authenticationRules } from '../core/pin-policy';
import { createTokenClient } from '../core/tokens';
import { parseCommandArgs } from './args';
import type { CliCommand, CliContext, ParsedArgs } from './command';
import { EXIT, exitCodeFor } from './exit-codes';
import { commandHelp } from './help';
import { CliLogger } from './logger';
import { errorJson, errorText } from './output';
import { StdinPinPrompt, StdinPinSource, TerminalPinPrompt } from './pin-prompt';

export function printUsageError(argv: readonly string[], message: string): number {
  const e = new SignetError('INVALID_INPUT', message);
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(errorJson(e))}\n`);
  else process.stderr.write(`${errorText(e)}\n`);
  return EXIT.USAGE;
}

class Context implements CliContext {
  readonly stdout = process.stdout;
  readonly stderr = process.stderr;
  readonly stdin = process.stdin;
  readonly env = process.env;
  readonly logger: CliLogger;
  private readonly abort = new AbortController();
  private cfg: SignetConfig | undefined;
  private client: TokenClient | undefined;
  private prompt: PinPrompt | undefined;
  private signer: KeySigner | undefined;
  private stdinSource: StdinPinSource | undefined;
  private stdinPrompt: StdinPinPrompt | undefined;

  constructor(
    readonly json: boolean,
    private readonly args: ParsedArgs,
    private readonly launcher: HostLauncher,
  ) {
    this.logger = new CliLogger(() => this.config().paths.logDir, args.values.verbose ? process.stderr : null);
    const stop = (): void => this.abort.abort(new SignetError('USER_CANCELLED', 'Interrupted.'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  config(): SignetConfig {
    this.cfg ??= loadConfig(this.env);
    return this.cfg;
  }

  tokenClient(): TokenClient {
    if (!this.client) {
      const modules = (this.args.values.module as string[] | undefined) ?? [];
      this.client = createTokenClient({ config: this.config(), argumentModules: modules, launcher: this.launcher, logger: this.logger });
      this.client.start();
    }
    return this.client;
  }

  keySigner(): KeySigner {
    if (!this.signer) {
      // Loaded on first use: the ASN.1 code behind it stays out of `signet tokens`' start-up.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { KeySigner: Signer } = require('../core/key-signer') as typeof KeySignerModule;
      // Per-action PINs (a command is one action; the process ends with it, so no cache), and
      // the admin policy's relaxations of the login purpose rules.
      this.signer = new Signer(this.tokenClient(), { ...this.timeouts(), authenticationRules: () => authenticationRules(this.config().policy) });
    }
    return this.signer;
  }

  timeouts(): { callTimeoutMs: number; pinPadTimeoutMs: number } {
    const t = timeoutsOf(this.config());
    return { callTimeoutMs: t.callMs, pinPadTimeoutMs: t.pinPadMs };
  }

  hostLauncher(): HostLauncher {
    return this.launcher;
  }

  pinPrompt(): PinPrompt {
    if (!this.prompt) {
      if (this.args.values['pin-stdin']) {
        this.stdinSource = new StdinPinSource(this.stdin);
        this.stdinPrompt = new StdinPinPrompt(this.stdinSource, this.stderr);
        this.prompt = this.stdinPrompt;
      } else {
        this.prompt = new TerminalPinPrompt(this.stdin, this.stderr);
      }
    }
    return this.prompt;
  }

  print(value: unknown, human: () => string): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else {
      const text = human();
      if (text) this.stdout.write(`${text}\n`);
    }
  }

  note(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  async dispose(): Promise<void> {
    this.stdinSource?.wipe();
    this.stdinPrompt?.wipe();
    await this.client?.close();
  }
}

export async function runCommand(cmd: CliCommand, argv: string[], launcher: HostLauncher): Promise<number> {
  const json = argv.includes('--json');
  let args: ParsedArgs;
  try {
    args = parseCommandArgs(cmd, argv);
  } catch (e) {
    return fail(e, json);
  }
  if (args.values.help) {
    process.stdout.write(`${commandHelp(cmd)}\n`);
    return EXIT.OK;
  }
  const ctx = new Context(json, args, launcher);
  try {
    const code = await cmd.run(args, ctx);
    return code;
  } catch (e) {
    const info = toErrorInfo(e);
    ctx.logger.log(info.code === 'INTERNAL' ? 'error' : 'info', `${cmd.name} failed`, { code: info.code, message: info.message });
    return fail(e, json);
  } finally {
    await ctx.dispose();
    launcher.dispose?.();
  }
}

function fail(e: unknown, json: boolean): number {
  const info = toErrorInfo(e);
  if (json) process.stdout.write(`${JSON.stringify({ error: info })}\n`);
  else process.stderr.write(`${errorText(e)}\n`);
  return exitCodeFor(info.code);
}
