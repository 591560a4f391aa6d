/**
 * TokenClient: the one way the rest of Signet reaches PKCS#11 tokens.
 *
 * It starts one token-host process per module (native/module-host.ts; a crashing or hanging
 * vendor module only restarts its own host, other modules' logins survive), resolves RFC 7512
 * URIs to the module that holds the token, applies per-call timeouts (30 s; PIN-pad logins
 * 120 s) and pushes slot events to subscribers. Calls to one token run one at a time, in order,
 * in a queue in its host (host/queue.ts): they are posted at once, so concurrent callers and
 * batches overlap their round trips with the token's work; different tokens and modules run
 * concurrently. A cancelled call still queued never reaches the token (module-host.ts).
 *
 * PINs: `login()` and `sign()` take the PIN as a Uint8Array, post it once in the request and
 * zero the caller's buffer right after posting. Nothing here keeps or logs a PIN, and nothing
 * retries a login: after PIN_INCORRECT it is the caller's move (ask the user again, or stop).
 */
import { realpathSync } from 'node:fs';
import { isCritical, isProxyModule } from './discovery';
import { SignetError } from './errors';
import type { HostLauncher } from './launcher';
import { nullLogger, type Logger } from './log';
import { ModuleHost, type CallOptions } from './module-host';
import { NodeHostLauncher } from './node-launcher';
import type {
  ContextLogin,
  GeneratedKeyPair,
  HostMethod,
  HostParams,
  HostResult,
  KeyDescription,
  SignMechanism,
  SignOutcome,
  TokenObjects,
} from './protocol';
import type { KeyType, ModuleSpec, ModuleStatus, SlotEvent, TokenCertificate, TokenInfo } from './types';
import { formatPkcs11Uri, namesToken, parsePkcs11UriCached, tokenIdentityKey, uriMatchesToken, type Pkcs11Uri } from './uri';

export type { HostLauncher, HostProcess, HostExit } from './launcher';
export type { KeyDescription, SignMechanism, SignOutcome, ContextLogin, GeneratedKeyPair, TokenObjects } from './protocol';
export { NodeHostLauncher } from './node-launcher';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_PIN_PAD_TIMEOUT_MS = 120_000;
export const DEFAULT_SLOT_POLL_MS = 200;

export interface TokenClientOptions {
  /** Modules to use (discovery: native/discovery.ts). Deduplicated by path. */
  modules: readonly ModuleSpec[];
  /** How host processes are started (default: Node fork of dist/host.js). */
  launcher?: HostLauncher;
  /** Per-call timeout (default 30 s). */
  callTimeoutMs?: number;
  /** Protected-authentication-path logins (PIN pad), default 120 s. */
  pinPadTimeoutMs?: number;
  /** Loading a module (C_Initialize), default = callTimeoutMs. */
  initTimeoutMs?: number;
  /** Slot polling interval while someone listens to slot events (default 200 ms; events ≤ 0.5 s). */
  slotPollIntervalMs?: number;
  logger?: Logger;
}

export interface CallerOptions {
  signal?: AbortSignal;
}

interface Located {
  host: ModuleHost;
  token: TokenInfo;
  /**
   * The URI chose the module (`module-path` / `module-name`): token URIs handed back carry
   * `?module-path=` so every later step (login, sign, logout) reaches the token the same way.
   */
  pinned: boolean;
}

/** The same URI with `?module-path=<path>` (other attributes unchanged). */
function withModulePath(uri: string, modulePath: string): string {
  const u = { ...parsePkcs11UriCached(uri) };
  delete u.moduleName;
  u.modulePath = modulePath;
  return formatPkcs11Uri(u);
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Stop waiting when `signal` aborts (the underlying call may go on; see withToken). */
function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new SignetError('USER_CANCELLED', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export class TokenClient {
  readonly modules: readonly ModuleSpec[];
  private readonly hosts: ModuleHost[];
  private readonly launcher: HostLauncher;
  private readonly tokenCache = new Map<ModuleHost, TokenInfo[]>();
  private readonly slotListeners = new Set<(e: SlotEvent) => void>();
  private readonly logger: Logger;
  private readonly callTimeoutMs: number;
  private readonly pinPadTimeoutMs: number;
  private readonly slotPollIntervalMs: number;
  private closed = false;

  constructor(options: TokenClientOptions) {
    const seen = new Set<string>();
    this.modules = options.modules.filter((m) => !seen.has(m.path) && seen.add(m.path));
    this.launcher = options.launcher ?? new NodeHostLauncher();
    this.logger = options.logger ?? nullLogger;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.pinPadTimeoutMs = options.pinPadTimeoutMs ?? DEFAULT_PIN_PAD_TIMEOUT_MS;
    this.slotPollIntervalMs = options.slotPollIntervalMs ?? DEFAULT_SLOT_POLL_MS;
    const defaults = { callTimeoutMs: this.callTimeoutMs, initTimeoutMs: options.initTimeoutMs ?? this.callTimeoutMs };
    this.hosts = this.modules.map((spec) => {
      const host = new ModuleHost(spec, this.launcher, defaults, this.logger);
      host.onSlotEvent((e) => {
        this.tokenCache.delete(host);
        for (const l of this.slotListeners) l(e);
      });
      return host;
    });
  }

  /** Start every module's host now (the CLI does this first thing, so hosts boot while it loads). */
  start(): void {
    for (const h of this.hosts) void h.ensure().catch(() => undefined);
  }

  // --------------------------------------------------------------------------------- modules

  /** `signet modules`: each module, loaded or with its error. */
  async moduleStatus(): Promise<ModuleStatus[]> {
    const statuses = await Promise.all(
      this.hosts.map(async (h): Promise<ModuleStatus> => {
        const base = { path: h.path, source: h.spec.source, critical: isCritical(h.spec) };
        try {
          const info = await h.ensure();
          return { ...base, loaded: true, info, proxy: isProxyModule(h.path, info) };
        } catch (e) {
          const err = e instanceof SignetError ? e : new SignetError('MODULE_LOAD_FAILED', String(e));
          return { ...base, loaded: false, error: { code: err.code, message: err.message }, proxy: isProxyModule(h.path) };
        }
      }),
    );
    // Say which of a proxy's tokens are used through a direct module instead (listTokens' choice).
    if (statuses.some((m) => m.proxy && m.loaded)) {
      const chosen = new Map<string, string>();
      for (const t of await this.listTokens()) chosen.set(tokenIdentityKey(t), t.module);
      for (const [i, h] of this.hosts.entries()) {
        const st = statuses[i]!;
        if (!st.proxy || !st.loaded) continue;
        const shadowed = (this.tokenCache.get(h) ?? [])
          .filter((t) => t.flags.tokenInitialized && chosen.has(tokenIdentityKey(t)) && chosen.get(tokenIdentityKey(t)) !== h.path)
          .map((t) => ({ token: t.uri, usedThrough: chosen.get(tokenIdentityKey(t))! }));
        if (shadowed.length > 0) st.shadowed = shadowed;
      }
    }
    return statuses;
  }

  // ---------------------------------------------------------------------------------- tokens

  /**
   * Tokens in all slots of all modules, uninitialised ones included (flags.tokenInitialized).
   * A module that fails is skipped and reported to `onModuleError`; it does not stop the others.
   */
  async listTokens(opts: { onModuleError?: (module: string, error: SignetError) => void } = {}): Promise<TokenInfo[]> {
    const lists = await Promise.all(
      this.hosts.map(async (h) => {
        try {
          return (await this.refreshTokens(h)).map((token) => ({ host: h, token }));
        } catch (e) {
          const err = e instanceof SignetError ? e : new SignetError('INTERNAL', String(e));
          // p11-kit's `critical: no`: a discovered module that cannot load (tpm2-pkcs11 without a
          // TPM, ykcs11 without pcscd) is shown by `signet modules`, not warned about on every listing.
          const quiet = err.code === 'MODULE_LOAD_FAILED' && !isCritical(h.spec);
          if (!quiet) opts.onModuleError?.(h.path, err);
          this.logger.log(quiet ? 'debug' : 'warn', 'module failed while listing tokens', { module: h.path, code: err.code, message: err.message });
          return [];
        }
      }),
    );
    return this.preferDirect(lists.flat()).map((l) => l.token);
  }

  /** The token a URI names (NO_TOKEN when none; INVALID_INPUT when the URI matches several). */
  async getToken(uri: string): Promise<TokenInfo> {
    const l = await this.locate(uri);
    return this.scopedToken(l, l.token);
  }

  async tokenStatus(uri: string, opts: CallerOptions = {}): Promise<{ token: TokenInfo; loggedIn: boolean }> {
    const l = await this.locate(uri);
    const r = await this.withLocated(l, opts.signal, (host, token, sig) => host.call('token.status', { token: token.uri }, sig));
    return { ...r, token: this.scopedToken(l, r.token) };
  }

  /** Certificates with their key pairing (native/pairing.ts), for one token or all of them. */
  async listCertificates(tokenUri?: string, opts: CallerOptions = {}): Promise<TokenCertificate[]> {
    if (tokenUri !== undefined) {
      const objects = await this.tokenObjects(tokenUri, opts);
      // Loaded on first use: the ASN.1 code stays out of start-up paths that do not need it.
      const { pairCertificates } = await import('./pairing');
      return pairCertificates(objects);
    }
    // Every token once, reached through the module locate() would choose for its URI (a token
    // seen through a proxy and directly is read through the direct module).
    const located = this.preferDirect(
      (
        await Promise.all(
          this.hosts.map(async (host) => {
            try {
              return (await this.refreshTokens(host)).filter((t) => t.flags.tokenInitialized).map((token) => ({ host, token, pinned: false }));
            } catch {
              return [];
            }
          }),
        )
      ).flat(),
    );
    const { pairCertificates } = await import('./pairing');
    const lists = await Promise.all(
      located.map(async (l) => {
        try {
          return pairCertificates(await this.withLocated(l, opts.signal, (host, token, sig) => host.call('token.objects', { token: token.uri }, sig)));
        } catch (e) {
          this.logger.log('warn', 'could not list certificates of a token', { token: l.token.uri, module: l.host.path, error: e });
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** Raw objects on a token (certificates and keys), for callers that pair differently. */
  async tokenObjects(tokenUri: string, opts: CallerOptions = {}): Promise<TokenObjects> {
    const l = await this.locate(tokenUri);
    const r = await this.withLocated(l, opts.signal, (host, token, sig) => host.call('token.objects', { token: token.uri }, sig));
    return { ...r, token: this.scopedToken(l, r.token) };
  }

  // ------------------------------------------------------------------------------ login/sign

  /** What signing with this key needs: type, always-authenticate, its certificate, login state. */
  async describeKey(keyUri: string, opts: CallerOptions = {}): Promise<KeyDescription> {
    const l = await this.locate(keyUri);
    const d = await this.withLocated(l, opts.signal, (host, token, sig) => host.call('key.describe', { token: token.uri, key: keyUri }, sig));
    if (!l.pinned) return d;
    const out: KeyDescription = { ...d, token: this.scopedToken(l, d.token) };
    if (d.certificateUri !== undefined) out.certificateUri = withModulePath(d.certificateUri, l.host.path);
    return out;
  }

  /**
   * C_Login(CKU_USER). `pin` null = protected authentication path (PIN pad; 120 s, and an abort
   * restarts the host because C_Login cannot be interrupted). The caller's `pin` buffer is zeroed
   * right after it is posted, whatever the outcome.
   */
  async login(tokenUri: string, pin: Uint8Array | null, opts: CallerOptions = {}): Promise<void> {
    const pinPad = pin === null;
    const callOpts: Partial<CallOptions> = { timeoutMs: pinPad ? this.pinPadTimeoutMs : this.callTimeoutMs, killOnAbort: pinPad };
    if (opts.signal) callOpts.signal = opts.signal;
    await this.withSecrets(tokenUri, [pin ?? undefined], opts.signal, (host, token, wipe) => {
      const params: HostParams<'token.login'> = { token: token.uri, protectedAuthPath: pinPad };
      if (pin) params.pin = pin;
      return host.callWithSecret('token.login', params, wipe, callOpts);
    });
  }

  async logout(tokenUri: string, opts: CallerOptions = {}): Promise<void> {
    await this.withToken(tokenUri, opts.signal, (host, token, sig) => host.call('token.logout', { token: token.uri }, sig));
  }

  /**
   * C_SignInit + C_Sign with `mechanism` over `data` (already the mechanism's input: DigestInfo
   * for CKM_RSA_PKCS, the digest for PSS/ECDSA — see native/mechanisms.ts). For
   * CKA_ALWAYS_AUTHENTICATE keys pass `contextLogin` (its PIN is zeroed after posting). Answers
   * 'login-required' / 'context-login-required' instead of failing when a login is missing.
   */
  async sign(keyUri: string, mechanism: SignMechanism, data: Uint8Array, opts: CallerOptions & { contextLogin?: ContextLogin } = {}): Promise<SignOutcome> {
    const ctx = opts.contextLogin;
    const pinPad = ctx?.protectedAuthPath === true;
    const callOpts: Partial<CallOptions> = { timeoutMs: pinPad ? this.pinPadTimeoutMs : this.callTimeoutMs, killOnAbort: pinPad };
    if (opts.signal) callOpts.signal = opts.signal;
    return this.withSecrets(keyUri, [ctx?.pin], opts.signal, (host, token, wipe) => {
      const params: HostParams<'key.sign'> = { token: token.uri, key: keyUri, mechanism, data };
      if (ctx) params.contextLogin = ctx;
      return ctx?.pin ? host.callWithSecret('key.sign', params, wipe, callOpts) : host.call('key.sign', params, callOpts);
    });
  }

  // ------------------------------------------------------------------------------ slot events

  /** Insert/remove events from every module, within ~0.5 s (polling starts with the first listener). */
  onSlotEvent(listener: (e: SlotEvent) => void): () => void {
    const first = this.slotListeners.size === 0;
    this.slotListeners.add(listener);
    if (first) {
      for (const h of this.hosts) {
        void h.watch(this.slotPollIntervalMs).catch((e: unknown) => this.logger.log('warn', 'slot watch failed', { module: h.path, error: e }));
      }
    }
    return () => {
      if (!this.slotListeners.delete(listener) || this.slotListeners.size > 0 || this.closed) return;
      for (const h of this.hosts) void h.watch(0).catch(() => undefined);
    };
  }

  // ---------------------------------------------------------------------------- administration

  /** C_SetPIN (the app's "Change PIN"). Both buffers are zeroed after posting. */
  async setPin(tokenUri: string, oldPin: Uint8Array, newPin: Uint8Array): Promise<void> {
    await this.withSecrets(tokenUri, [oldPin, newPin], undefined, (host, token, wipe) =>
      host.callWithSecret('token.setPin', { token: token.uri, oldPin, newPin }, wipe),
    );
  }

  /** Token administration through PKCS#11 (used by `signet demo init`). */
  readonly admin = {
    /** C_InitToken on an uninitialised slot of `modulePath`. `soPin` is zeroed after posting. */
    initToken: async (modulePath: string, args: { soPin: Uint8Array; label: string; slotId?: string }): Promise<TokenInfo> => {
      const host = this.hostFor(modulePath);
      const params: HostParams<'admin.initToken'> = { soPin: args.soPin, label: args.label };
      if (args.slotId !== undefined) params.slotId = args.slotId;
      const t = await host.callWithSecret('admin.initToken', params, () => args.soPin.fill(0));
      this.tokenCache.delete(host);
      return t;
    },
    /** SO login + C_InitPIN. Both PIN buffers are zeroed after posting. */
    initPin: (tokenUri: string, soPin: Uint8Array, userPin: Uint8Array): Promise<TokenInfo> =>
      this.withSecrets(tokenUri, [soPin, userPin], undefined, (host, token, wipe) =>
        host.callWithSecret('admin.initPin', { token: token.uri, soPin, userPin }, wipe),
      ),
    generateKeyPair: (
      tokenUri: string,
      args: { keyType: KeyType; bits?: number; ecParams?: Uint8Array; idHex: string; label: string; alwaysAuthenticate?: boolean },
    ): Promise<GeneratedKeyPair> => this.withToken(tokenUri, undefined, (host, token) => host.call('admin.generateKeyPair', { token: token.uri, ...args })),
    createCertificate: (
      tokenUri: string,
      args: { der: Uint8Array; subject: Uint8Array; issuer: Uint8Array; serialNumber: Uint8Array; idHex: string; label: string },
    ): Promise<{ uri: string }> => this.withToken(tokenUri, undefined, (host, token) => host.call('admin.createCertificate', { token: token.uri, ...args })),
  };

  // ----------------------------------------------------------------------------------- generic

  /** Typed escape hatch: any host method on one module (no token lock). */
  call<M extends HostMethod>(modulePath: string, method: M, params: HostParams<M>, opts?: Partial<CallOptions>): Promise<HostResult<M>> {
    return this.hostFor(modulePath).call(method, params, opts);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.slotListeners.clear();
    for (const h of this.hosts) h.close();
    this.launcher.dispose?.();
  }

  // ---------------------------------------------------------------------------------- private

  private hostFor(modulePath: string): ModuleHost {
    const h = this.hosts.find((x) => x.path === modulePath);
    if (!h) throw new SignetError('INVALID_INPUT', `Module ${modulePath} is not among the configured modules.`, { details: { module: modulePath } });
    return h;
  }

  private async refreshTokens(h: ModuleHost): Promise<TokenInfo[]> {
    const list = await h.call('tokens.list', {});
    this.tokenCache.set(h, list);
    return list;
  }

  /** Hosts a URI's `module-path` (compared by real path: p11-kit-proxy.so is a link) or `module-name` allows. */
  private candidateHosts(u: Readonly<Pkcs11Uri>): ModuleHost[] {
    if (u.modulePath !== undefined) {
      const wanted = realPath(u.modulePath);
      return this.hosts.filter((h) => h.path === u.modulePath || realPath(h.path) === wanted);
    }
    if (u.moduleName !== undefined) {
      const name = u.moduleName.toLowerCase();
      return this.hosts.filter((h) => {
        const base = (h.path.split(/[\\/]/).pop() ?? '').toLowerCase();
        return base === name || base.replace(/^lib/, '').replace(/\.(so(\.\d+)*|dylib|dll)$/, '') === name;
      });
    }
    return this.hosts;
  }

  /**
   * One entry per token identity (native/uri.ts tokenIdentityKey): the same token reached through
   * a proxy and a direct module is used through the direct one; otherwise the first module in
   * discovery order wins. Order of first appearance is kept.
   */
  private preferDirect<L extends { host: ModuleHost; token: TokenInfo }>(all: readonly L[]): L[] {
    const best = new Map<string, L>();
    const order: string[] = [];
    const isProxy = (h: ModuleHost): boolean => isProxyModule(h.path, h.moduleInfo);
    const blanks = new Map<ModuleHost, number>();
    for (const l of all) {
      // Uninitialised slots often look alike (SoftHSM2's free slot: no label, no serial): the n-th
      // of a module pairs with the n-th of another, so a proxy's copy of it is not listed too.
      let key = tokenIdentityKey(l.token);
      if (!l.token.flags.tokenInitialized) {
        const n = (blanks.get(l.host) ?? 0) + 1;
        blanks.set(l.host, n);
        key += `\u0000uninitialised#${n}`;
      }
      const seen = best.get(key);
      if (!seen) {
        best.set(key, l);
        order.push(key);
      } else if (isProxy(seen.host) && !isProxy(l.host)) {
        best.set(key, l);
      }
    }
    return order.map((k) => best.get(k)!);
  }

  /** A token as handed back to the caller: with `?module-path=` when the URI chose the module. */
  private scopedToken(l: Located, token: TokenInfo): TokenInfo {
    return l.pinned ? { ...token, uri: withModulePath(token.uri, l.host.path) } : token;
  }

  /** Find the one initialised token a URI names, from cached token lists, refreshing on a miss. */
  private async locate(uri: string): Promise<Located> {
    const u = parsePkcs11UriCached(uri);
    const hosts = this.candidateHosts(u);
    if (hosts.length === 0) throw new SignetError('NO_TOKEN', 'No configured module matches the URI.', { details: { uri } });
    const pinned = u.modulePath !== undefined || u.moduleName !== undefined;
    const find = (): Located[] =>
      this.preferDirect(
        hosts.flatMap((h) =>
          (this.tokenCache.get(h) ?? []).filter((t) => t.flags.tokenInitialized && uriMatchesToken(u, t)).map((token) => ({ host: h, token, pinned })),
        ),
      );
    let matches = hosts.every((h) => this.tokenCache.has(h)) ? find() : [];
    if (matches.length !== 1) {
      await Promise.all(hosts.map((h) => this.refreshTokens(h).catch(() => this.tokenCache.delete(h))));
      matches = find();
    }
    if (matches.length === 0) {
      throw new SignetError('NO_TOKEN', 'No token matching the URI is present.', { details: { uri } });
    }
    if (matches.length > 1 && !namesToken(u)) {
      throw new SignetError('INVALID_INPUT', `The URI matches ${matches.length} tokens; name the token (token=…;serial=…).`, { details: { uri } });
    }
    if (matches.length > 1) {
      // Different tokens with the attributes the URI gives (same label and serial, e.g. two TPM tokens share serial 0…0).
      throw new SignetError('INVALID_INPUT', `The URI matches ${matches.length} different tokens; add the attributes that tell them apart (token=, serial=, model=, manufacturer=).`, {
        details: { uri },
      });
    }
    return matches[0]!;
  }

  /**
   * `withLocated` for a call that carries secrets (PINs): they are zeroed whatever happens — right
   * after posting (callWithSecret calls `wipe`), when the token cannot be found, and when the
   * call fails or is cancelled.
   */
  private async withSecrets<T>(
    uri: string,
    secrets: readonly (Uint8Array | undefined)[],
    signal: AbortSignal | undefined,
    fn: (host: ModuleHost, token: TokenInfo, wipe: () => void) => Promise<T>,
  ): Promise<T> {
    const wipe = (): void => {
      for (const secret of secrets) secret?.fill(0);
    };
    let located: Located;
    try {
      located = await this.locate(uri);
    } catch (e) {
      wipe();
      throw e;
    }
    return this.withLocated(located, signal, (host, token) => fn(host, token, wipe)).finally(wipe);
  }

  private async withToken<T>(uri: string, signal: AbortSignal | undefined, fn: (host: ModuleHost, token: TokenInfo, opts: { signal?: AbortSignal }) => Promise<T>): Promise<T> {
    return this.withLocated(await this.locate(uri), signal, fn);
  }

  /**
   * Run `fn` (one host call) on the located token. The host queues calls per token; `signal`
   * goes with the call, so aborting withdraws it while it is still queued there, and the caller
   * stops waiting at once either way (the token stays busy until the host has really finished).
   */
  private async withLocated<T>(
    located: Located,
    signal: AbortSignal | undefined,
    fn: (host: ModuleHost, token: TokenInfo, opts: { signal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const { host, token } = located;
    if (signal?.aborted) throw new SignetError('USER_CANCELLED', 'Cancelled while waiting for the token.');
    const work = fn(host, token, signal ? { signal } : {});
    work.catch((e: unknown) => {
      if (e instanceof SignetError && (e.code === 'TOKEN_REMOVED' || e.code === 'NO_TOKEN' || e.code === 'MODULE_CRASHED' || e.code === 'TIMEOUT')) {
        this.tokenCache.delete(host);
      }
    });
    return raceAbort(work, signal);
  }
}
