/**
 * KeySigner: sign a digest with a key on a token, asking for PINs through a PinPrompt only when
 * the token needs them. Everything that signs (documents, web pages, `signet sign-hash`) goes
 * through here, so a batch needs one login.
 *
 *  1. The mechanism is chosen from what the token advertises (native/mechanisms.ts).
 *  2. The signature is attempted; the host answers 'login-required' without side effects when
 *     the token is not logged in. Then the user PIN is asked (PinRequest kind 'login'), or on a
 *     PIN pad the reader is used (showPinPad, 120 s), and the signature is tried again.
 *  3. CKA_ALWAYS_AUTHENTICATE keys answer 'context-login-required': a per-signature PIN is asked
 *     (kind 'signature') and sent with the signature request, where the host does
 *     C_Login(CKU_CONTEXT_SPECIFIC) between C_SignInit and C_Sign (PKCS#11 v2.40 §5.7).
 *
 * PIN policy (design "Consent and PIN policy"; issue 8): a PIN unlocks exactly one user action.
 * `runAction(keyUri, action, fn)` brackets one action — one confirmed batch, one approved web
 * request, one login — under a per-token lock, so two actions never share a login: it starts from
 * a logged-out token (C_Logout of whatever login is there, which was made for something else)
 * and logs out again when the action ends, whether it succeeded, failed or was cancelled. A
 * signDigest outside any action is an action of its own. The only exception is the optional,
 * visible, time-limited cache (`pinCacheMinutes`, user setting or admin policy
 * `signing.pinCache`), and only for signing actions: an authentication action always logs out
 * before and after, so a login PIN never authorises a document signature and a document PIN never
 * a login. `lock()` ends a cached login at once (Lock now, screen lock, suspend, quit);
 * `tokenRemoved()` forgets it. CKA_ALWAYS_AUTHENTICATE keys still ask a PIN per signature.
 *
 * PIN discipline: the bytes from askPin go straight to TokenClient, which posts them once and
 * zeroes them. After PIN_INCORRECT (or PIN_LEN_RANGE) the user is asked again with
 * `previousError` — that is the user retrying, never a silent resend; PIN_LOCKED ends it; a null
 * answer is USER_CANCELLED.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SignetError, type ErrorInfo } from '../../native/errors';
import type { KeyDescription, TokenClient } from '../../native/client';
import { checkDigest, chooseMechanism, finishSignature, type SchemeKind } from '../../native/mechanisms';
import { KeyedMutex } from '../../native/mutex';
import type { ContextLogin } from '../../native/protocol';
import type { HashAlg, KeyType, SignScheme, TokenInfo } from '../../native/types';
import { actionClass, type PinPrompt, type PinRequest, type UserAction } from './pin-prompt';
import { assertPurpose, type AuthenticationRules } from './pki/purposes';
import { commonName, parseCertificate, publicKeyFacts } from './pki/summary';
import type { CertPurpose } from './types';

export interface SignDigestRequest {
  /** RFC 7512 URI of the private key. */
  keyUri: string;
  digest: Uint8Array;
  hash: HashAlg;
  /** Signature scheme; when given it is required (MECHANISM_UNSUPPORTED if the token lacks it).
   *  Default: PKCS#1 v1.5 for RSA (PSS if the token has only that), ECDSA for EC. */
  scheme?: SchemeKind;
  /** ECDSA output: DER Ecdsa-Sig-Value (default) or raw r||s. */
  ecdsaFormat?: 'der' | 'raw';
  pinPrompt: PinPrompt;
  signal?: AbortSignal;
  /** Refuse (KEY_PURPOSE_MISMATCH) unless the key's certificate has this purpose. An
   *  authentication action always requires 'authentication'. */
  requirePurpose?: CertPurpose;
  /** A Web eID token is signed: the certificate must carry the clientAuth EKU (purposes.ts). */
  webEid?: boolean;
  /** The action, when this signature is an action of its own (no runAction around it).
   *  Default: 'authenticate' when requirePurpose is 'authentication', else 'sign-data'. */
  action?: UserAction;
}

/** A token whose login is kept by the signing cache, and until when (ms since the epoch). */
export interface UnlockedToken {
  tokenUri: string;
  expiresAt: number;
}

export interface DigestSignature {
  /** PKCS#1 v1.5 / PSS signature, or ECDSA in the requested format. */
  signature: Uint8Array;
  scheme: SignScheme;
  /** The key's certificate (same CKA_ID), DER; null when the token has none. */
  certificate: Uint8Array | null;
  keyUri: string;
  tokenUri: string;
}

export interface KeySignerOptions {
  /** For PinRequest.timeoutMs (default 30 s / PIN pad 120 s: use the TokenClient's values). */
  callTimeoutMs?: number;
  pinPadTimeoutMs?: number;
  /** Minutes a signing login may be kept after its action (0 = per-action, the default). Read at
   *  the end of every action, so a settings or policy change applies to the next one. */
  pinCacheMinutes?: () => number;
  /** The admin policy's relaxations of the authentication purpose rules (default: none). */
  authenticationRules?: () => AuthenticationRules;
  /** Told about failures to log out at the end of an action (the token was pulled, ...). */
  onLogoutError?: (tokenUri: string, error: unknown) => void;
  now?: () => number;
}

interface ActionScope {
  action: UserAction;
  tokenUri: string;
}

interface CachedLogin {
  expiresAt: number;
  timer: ReturnType<typeof setTimeout>;
}

interface KnownKey {
  description: KeyDescription;
  keyType: KeyType | 'other';
}

const cancelled = (): SignetError => new SignetError('USER_CANCELLED', 'Cancelled: no PIN was entered.');

const defaultAction = (req: SignDigestRequest): UserAction => req.action ?? { purpose: req.requirePurpose === 'authentication' ? 'authenticate' : 'sign-data' };

export class KeySigner {
  private readonly keys = new Map<string, KnownKey>();
  /** One login dialog per token at a time (a batch of parallel signatures asks once). */
  private readonly loginLocks = new KeyedMutex();
  /** One action per token at a time: two actions never share a login. */
  private readonly actionLocks = new KeyedMutex();
  private readonly scope = new AsyncLocalStorage<ActionScope>();
  private readonly cached = new Map<string, CachedLogin>();
  private readonly listeners = new Set<(unlocked: UnlockedToken[]) => void>();
  private readonly callTimeoutMs: number;
  private readonly pinPadTimeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: TokenClient,
    private readonly options: KeySignerOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.pinPadTimeoutMs = options.pinPadTimeoutMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Run one user action with the key `keyUri`: every signDigest inside `fn` (same token) shares
   * its login, and nothing else does. Starts logged out unless a signing action finds a cached
   * signing login; ends logged out unless the signing cache keeps the login (see the header).
   */
  async runAction<T>(keyUri: string, action: UserAction, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const outer = this.scope.getStore();
    if (outer) {
      // Nested (a document signer inside a batch): part of the outer action, never a new login.
      if (actionClass(outer.action.purpose) !== actionClass(action.purpose)) {
        throw new SignetError('INTERNAL', `A ${action.purpose} step inside a ${outer.action.purpose} action.`);
      }
      return fn();
    }
    let known: KnownKey;
    try {
      known = await this.describe(keyUri, signal);
    } catch (e) {
      this.keys.delete(keyUri);
      throw e;
    }
    const tokenUri = known.description.token.uri;
    const release = await this.actionLocks
      .get(tokenUri)
      .acquire(signal)
      .catch(() => {
        throw new SignetError('USER_CANCELLED', 'Cancelled.');
      });
    try {
      const signing = actionClass(action.purpose) === 'signing';
      const cache = this.cached.get(tokenUri);
      if (!(signing && cache && cache.expiresAt > this.now() && this.cacheMinutes() > 0)) {
        // Whatever login the token has was made for something else: start from a logged-out
        // token. A failure here fails the action (fail closed), unless the token is gone anyway.
        await this.logout(tokenUri, { strict: true, signal });
      }
      try {
        return await this.scope.run({ action, tokenUri }, fn);
      } finally {
        const minutes = signing ? this.cacheMinutes() : 0;
        if (minutes > 0) await this.keepLogin(tokenUri, minutes);
        else await this.logout(tokenUri, { strict: false });
      }
    } finally {
      release();
    }
  }

  /** Tokens whose signing login the cache keeps, with their expiry. */
  unlockedTokens(): UnlockedToken[] {
    return [...this.cached.entries()].map(([tokenUri, c]) => ({ tokenUri, expiresAt: c.expiresAt }));
  }

  /** Told whenever the set of cached logins changes (for the token panel's countdown). */
  onUnlockedChange(listener: (unlocked: UnlockedToken[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * End cached logins now (Lock now, screen lock, suspend, quit, cache turned off): C_Logout of
   * one token or of every cached one. Waits for a running action on that token to end first.
   */
  async lock(tokenUri?: string): Promise<void> {
    const uris = tokenUri === undefined ? [...this.cached.keys()] : [tokenUri];
    await Promise.all(
      uris.map(async (uri) => {
        const release = await this.actionLocks.get(uri).acquire();
        try {
          await this.logout(uri, { strict: false });
        } finally {
          release();
        }
      }),
    );
  }

  /** The token went away (card pulled): its login went with it; forget the cache entry. */
  tokenRemoved(tokenUri: string): void {
    this.dropCache(tokenUri);
    for (const [uri, k] of this.keys) if (k.description.token.uri === tokenUri) this.keys.delete(uri);
  }

  private cacheMinutes(): number {
    const m = this.options.pinCacheMinutes?.() ?? 0;
    return Number.isFinite(m) && m > 0 ? m : 0;
  }

  private dropCache(tokenUri: string): void {
    const c = this.cached.get(tokenUri);
    if (!c) return;
    clearTimeout(c.timer);
    this.cached.delete(tokenUri);
    this.emit();
  }

  private emit(): void {
    const list = this.unlockedTokens();
    for (const l of this.listeners) l(list);
  }

  /** C_Logout (not logged in counts as done). strict: rethrow, except when the token is gone. */
  private async logout(tokenUri: string, o: { strict: boolean; signal?: AbortSignal | undefined }): Promise<void> {
    this.dropCache(tokenUri);
    try {
      await this.client.logout(tokenUri, o.signal ? { signal: o.signal } : {});
    } catch (e) {
      const gone = e instanceof SignetError && (e.code === 'TOKEN_REMOVED' || e.code === 'NO_TOKEN');
      if (o.strict && !gone) throw e;
      this.options.onLogoutError?.(tokenUri, e);
    }
  }

  /** Signing cache: keep the login (if there is one) until its expiry; the expiry never moves. */
  private async keepLogin(tokenUri: string, minutes: number): Promise<void> {
    const existing = this.cached.get(tokenUri);
    if (existing && existing.expiresAt > this.now()) return;
    let loggedIn = false;
    try {
      loggedIn = (await this.client.tokenStatus(tokenUri)).loggedIn;
    } catch {
      // token gone: nothing to keep
    }
    if (!loggedIn) {
      this.dropCache(tokenUri);
      return;
    }
    const ms = minutes * 60_000;
    const timer = setTimeout(() => void this.lock(tokenUri), ms);
    timer.unref?.();
    this.cached.set(tokenUri, { expiresAt: this.now() + ms, timer });
    this.emit();
  }

  /** What the token says about a key (cached; dropped when the key or token goes away). */
  async describe(keyUri: string, signal?: AbortSignal): Promise<KnownKey> {
    const cached = this.keys.get(keyUri);
    if (cached) return cached;
    const description = await this.client.describeKey(keyUri, signal ? { signal } : {});
    let keyType: KeyType | 'other' = description.keyType;
    if (keyType === 'other' && description.certificate) {
      try {
        keyType = publicKeyFacts(parseCertificate(description.certificate)).keyType;
      } catch {
        // stays 'other': chooseMechanism reports MECHANISM_UNSUPPORTED
      }
    }
    const known = { description, keyType };
    this.keys.set(keyUri, known);
    return known;
  }

  async signDigest(req: SignDigestRequest): Promise<DigestSignature> {
    checkDigest(req.digest, req.hash);
    const scope = this.scope.getStore();
    if (!scope) return this.runAction(req.keyUri, defaultAction(req), () => this.signDigest(req), req.signal);
    const { signal } = req;
    let known: KnownKey;
    try {
      known = await this.describe(req.keyUri, signal);
    } catch (e) {
      this.keys.delete(req.keyUri);
      throw e;
    }
    if (known.description.token.uri !== scope.tokenUri) {
      throw new SignetError('INTERNAL', 'One action signs with keys of one token only.');
    }
    const cert = known.description.certificate ?? null;
    // An authentication action only ever signs with an authentication key (purposes.ts).
    const purpose = actionClass(scope.action.purpose) === 'authentication' ? 'authentication' : req.requirePurpose;
    if (purpose) {
      const rules = this.options.authenticationRules?.() ?? {};
      assertPurpose(cert, purpose, { ...(req.webEid ? { webEid: true } : {}), rules });
    }
    const choice = chooseMechanism({
      keyType: known.keyType,
      hash: req.hash,
      digest: req.digest,
      advertised: known.description.token.mechanisms,
      ...(req.scheme ? { preferred: req.scheme } : {}),
      ...(req.ecdsaFormat ? { ecdsaFormat: req.ecdsaFormat } : {}),
    });

    let logins = 0;
    let context: { login: ContextLogin; request: PinRequest } | undefined;
    let previousContextError: ErrorInfo | undefined;
    for (;;) {
      if (signal?.aborted) throw new SignetError('USER_CANCELLED', 'Cancelled.');
      const ctxNow = context;
      context = undefined;
      let outcome;
      try {
        outcome = await this.signOnce(req.keyUri, choice, req.pinPrompt, signal, ctxNow);
      } catch (e) {
        if (e instanceof SignetError && ['KEY_NOT_FOUND', 'TOKEN_REMOVED', 'NO_TOKEN', 'MODULE_CRASHED', 'TIMEOUT'].includes(e.code)) this.keys.delete(req.keyUri);
        // A wrong per-signature PIN typed by the user: ask the user again (never resent by itself).
        if (ctxNow && !ctxNow.login.protectedAuthPath && e instanceof SignetError && (e.code === 'PIN_INCORRECT' || e.code === 'PIN_LEN_RANGE')) {
          previousContextError = e.toInfo();
          context = await this.askContextLogin(known.description, cert, req.pinPrompt, signal, scope.action, previousContextError);
          continue;
        }
        throw e;
      }
      switch (outcome.kind) {
        case 'signed':
          return {
            signature: finishSignature(choice.scheme, outcome.signature),
            scheme: choice.scheme,
            certificate: cert,
            keyUri: req.keyUri,
            tokenUri: known.description.token.uri,
          };
        case 'login-required':
          if (++logins > 3) throw new SignetError('INTERNAL', 'The token keeps asking for a login after a successful one.');
          await this.ensureLoggedIn(known.description.token.uri, req.pinPrompt, scope.action, signal, cert ? { uri: known.description.certificateUri ?? req.keyUri, der: cert } : undefined);
          continue;
        case 'context-login-required':
          context = await this.askContextLogin(known.description, cert, req.pinPrompt, signal, scope.action, previousContextError);
          continue;
      }
    }
  }

  /** One signature attempt; a PIN-pad context login shows the reader notice while it runs. */
  private async signOnce(
    keyUri: string,
    choice: ReturnType<typeof chooseMechanism>,
    prompt: PinPrompt,
    signal: AbortSignal | undefined,
    context: { login: ContextLogin; request: PinRequest } | undefined,
  ) {
    if (!context?.login.protectedAuthPath) {
      return this.client.sign(keyUri, choice.mechanism, choice.data, { ...(signal ? { signal } : {}), ...(context ? { contextLogin: context.login } : {}) });
    }
    const ac = new AbortController();
    const combined = signal ? AbortSignal.any([signal, ac.signal]) : ac.signal;
    const close = prompt.showPinPad(context.request, () => ac.abort());
    try {
      return await this.client.sign(keyUri, choice.mechanism, choice.data, { signal: combined, contextLogin: context.login });
    } finally {
      close();
    }
  }

  /**
   * Log in to a token unless it already is (C_GetSessionInfo in the host), for `action` (only
   * called inside runAction). Asks the PIN through `prompt` (or uses the PIN pad); after a wrong
   * PIN asks the user again with previousError.
   */
  private async ensureLoggedIn(tokenUri: string, prompt: PinPrompt, action: UserAction, signal?: AbortSignal, certificate?: { uri: string; der: Uint8Array }): Promise<void> {
    const lock = this.loginLocks.get(tokenUri);
    const release = await lock.acquire(signal).catch(() => {
      throw new SignetError('USER_CANCELLED', 'Cancelled.');
    });
    try {
      let status = await this.client.tokenStatus(tokenUri, signal ? { signal } : {});
      if (status.loggedIn || !status.token.flags.loginRequired) return;
      let previousError: ErrorInfo | undefined;
      for (;;) {
        const t = status.token;
        if (t.flags.pinLocked) throw new SignetError('PIN_LOCKED', 'The PIN is locked (too many wrong attempts). Unblock it with the PUK / SO PIN.', { retriable: false });
        const request = this.pinRequest(t, 'login', action, certificate, previousError);
        // What askPin throws (e.g. a script that cannot retype) ends the login as it is.
        const pin = t.flags.protectedAuthPath ? null : await prompt.askPin(request, signal ?? new AbortController().signal);
        if (!t.flags.protectedAuthPath && !pin) throw cancelled();
        try {
          if (pin) await this.client.login(tokenUri, pin, signal ? { signal } : {});
          else await this.pinPadLogin(tokenUri, request, prompt, signal);
          return;
        } catch (e) {
          if (!(e instanceof SignetError) || (e.code !== 'PIN_INCORRECT' && e.code !== 'PIN_LEN_RANGE')) throw e;
          previousError = e.toInfo();
          // Show what the token says now (final try?), then let the user decide.
          // A PIN pad failure is reported: starting the reader again is the user's call.
          if (t.flags.protectedAuthPath) throw e;
          status = await this.client.tokenStatus(tokenUri, signal ? { signal } : {});
          if (status.loggedIn) return;
        }
      }
    } finally {
      release();
    }
  }

  /** Forget cached key facts (e.g. after a token was removed). */
  forget(keyUri?: string): void {
    if (keyUri === undefined) this.keys.clear();
    else this.keys.delete(keyUri);
  }

  // -------------------------------------------------------------------------------------------

  private pinRequest(t: TokenInfo, kind: PinRequest['kind'], action: UserAction, certificate: { uri: string; der: Uint8Array } | undefined, previousError?: ErrorInfo): PinRequest {
    const request: PinRequest = {
      token: {
        uri: t.uri,
        label: t.label,
        manufacturer: t.manufacturer,
        model: t.model,
        serial: t.serial,
        minPinLength: t.minPinLength,
        maxPinLength: t.maxPinLength,
        pinCountLow: t.flags.pinCountLow,
        pinFinalTry: t.flags.pinFinalTry,
      },
      kind,
      action,
      pinPad: t.flags.protectedAuthPath,
      timeoutMs: t.flags.protectedAuthPath ? this.pinPadTimeoutMs : this.callTimeoutMs,
    };
    if (certificate) {
      let displayName = certificate.uri;
      try {
        displayName = commonName(parseCertificate(certificate.der)) ?? displayName;
      } catch {
        // keep the URI
      }
      request.certificate = { uri: certificate.uri, displayName };
    }
    if (previousError) request.previousError = previousError;
    return request;
  }

  private async pinPadLogin(tokenUri: string, request: PinRequest, prompt: PinPrompt, signal?: AbortSignal): Promise<void> {
    const ac = new AbortController();
    const combined = signal ? AbortSignal.any([signal, ac.signal]) : ac.signal;
    const close = prompt.showPinPad(request, () => ac.abort());
    try {
      await this.client.login(tokenUri, null, { signal: combined });
    } finally {
      close();
    }
  }

  private async askContextLogin(
    d: KeyDescription,
    cert: Uint8Array | null,
    prompt: PinPrompt,
    signal: AbortSignal | undefined,
    action: UserAction,
    previousError: ErrorInfo | undefined,
  ): Promise<{ login: ContextLogin; request: PinRequest }> {
    const status = await this.client.tokenStatus(d.token.uri, signal ? { signal } : {});
    const t = status.token;
    if (t.flags.pinLocked) throw new SignetError('PIN_LOCKED', 'The PIN is locked (too many wrong attempts). Unblock it with the PUK / SO PIN.', { retriable: false });
    const request = this.pinRequest(t, 'signature', action, cert ? { uri: d.certificateUri ?? d.uri, der: cert } : undefined, previousError);
    // PIN pad: the reader asks during the sign call itself (signOnce shows the notice).
    if (t.flags.protectedAuthPath) return { login: { protectedAuthPath: true }, request };
    const pin = await prompt.askPin(request, signal ?? new AbortController().signal);
    if (!pin) throw cancelled();
    return { login: { pin, protectedAuthPath: false }, request };
  }
}
