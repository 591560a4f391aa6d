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
 * PIN discipline: the bytes from askPin go straight to TokenClient, which posts them once and
 * zeroes them. After PIN_INCORRECT (or PIN_LEN_RANGE) the user is asked again with
 * `previousError` — that is the user retrying, never a silent resend; PIN_LOCKED ends it; a null
 * answer is USER_CANCELLED.
 */
import { SignetError, type ErrorInfo } from '../../native/errors';
import type { KeyDescription, TokenClient } from '../../native/client';
import { checkDigest, chooseMechanism, finishSignature, type SchemeKind } from '../../native/mechanisms';
import { KeyedMutex } from '../../native/mutex';
import type { ContextLogin } from '../../native/protocol';
import type { HashAlg, KeyType, SignScheme, TokenInfo } from '../../native/types';
import type { PinPrompt, PinRequest } from './pin-prompt';
import { certificatePurposes } from './pki/purposes';
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
  /** Refuse (KEY_PURPOSE_MISMATCH) unless the key's certificate has this purpose. */
  requirePurpose?: CertPurpose;
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
}

interface KnownKey {
  description: KeyDescription;
  keyType: KeyType | 'other';
}

const cancelled = (): SignetError => new SignetError('USER_CANCELLED', 'Cancelled: no PIN was entered.');

export class KeySigner {
  private readonly keys = new Map<string, KnownKey>();
  /** One login dialog per token at a time (a batch of parallel signatures asks once). */
  private readonly loginLocks = new KeyedMutex();
  private readonly callTimeoutMs: number;
  private readonly pinPadTimeoutMs: number;

  constructor(
    private readonly client: TokenClient,
    options: KeySignerOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.pinPadTimeoutMs = options.pinPadTimeoutMs ?? 120_000;
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
    const { signal } = req;
    let known: KnownKey;
    try {
      known = await this.describe(req.keyUri, signal);
    } catch (e) {
      this.keys.delete(req.keyUri);
      throw e;
    }
    const cert = known.description.certificate ?? null;
    if (req.requirePurpose) {
      const purposes = cert ? certificatePurposes(cert) : [];
      if (!purposes.includes(req.requirePurpose)) {
        throw new SignetError(
          'KEY_PURPOSE_MISMATCH',
          cert
            ? `This certificate is not for ${req.requirePurpose} (it is for: ${purposes.join(', ') || 'nothing Signet signs'}).`
            : `The key has no certificate on the token, so it cannot be used for ${req.requirePurpose}.`,
          { retriable: false, details: { purpose: req.requirePurpose } },
        );
      }
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
          context = await this.askContextLogin(known.description, cert, req.pinPrompt, signal, previousContextError);
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
          await this.ensureLoggedIn(known.description.token.uri, req.pinPrompt, signal, cert ? { uri: known.description.certificateUri ?? req.keyUri, der: cert } : undefined);
          continue;
        case 'context-login-required':
          context = await this.askContextLogin(known.description, cert, req.pinPrompt, signal, previousContextError);
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
   * Log in to a token unless it already is (C_GetSessionInfo in the host). Asks the PIN through
   * `prompt` (or uses the PIN pad); after a wrong PIN asks the user again with previousError.
   */
  async ensureLoggedIn(tokenUri: string, prompt: PinPrompt, signal?: AbortSignal, certificate?: { uri: string; der: Uint8Array }): Promise<void> {
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
        const request = this.pinRequest(t, 'login', certificate, previousError);
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

  private pinRequest(t: TokenInfo, kind: PinRequest['kind'], certificate: { uri: string; der: Uint8Array } | undefined, previousError?: ErrorInfo): PinRequest {
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
    previousError: ErrorInfo | undefined,
  ): Promise<{ login: ContextLogin; request: PinRequest }> {
    const status = await this.client.tokenStatus(d.token.uri, signal ? { signal } : {});
    const t = status.token;
    if (t.flags.pinLocked) throw new SignetError('PIN_LOCKED', 'The PIN is locked (too many wrong attempts). Unblock it with the PUK / SO PIN.', { retriable: false });
    const request = this.pinRequest(t, 'signature', cert ? { uri: d.certificateUri ?? d.uri, der: cert } : undefined, previousError);
    // PIN pad: the reader asks during the sign call itself (signOnce shows the notice).
    if (t.flags.protectedAuthPath) return { login: { protectedAuthPath: true }, request };
    const pin = await prompt.askPin(request, signal ?? new AbortController().signal);
    if (!pin) throw cancelled();
    return { login: { pin, protectedAuthPath: false }, request };
  }
}
