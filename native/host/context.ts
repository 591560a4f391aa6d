/**
 * State of one token host: the loaded module, and per slot the session and cached key handles.
 *
 * Sessions (PKCS#11 v2.40 §5.6): one per token, read-only unless an administration call needs
 * read/write. The login state belongs to the token (shared by all of the application's
 * sessions) and ends when the last session closes, so a session is only ever replaced by
 * opening the new one before closing the old. A dead session (card pulled: CKR_DEVICE_REMOVED,
 * CKR_SESSION_HANDLE_INVALID, ...) is dropped; the caller gets TOKEN_REMOVED and the next call
 * opens a new session. No PIN is kept, so nothing is ever logged in again behind the user's back.
 */
import { SignetError } from '../errors';
import { redact, type Level, type LogFields } from '../log';
import type { HostMessage } from '../protocol';
import type { ModuleInfo, TokenInfo } from '../types';
import { parsePkcs11UriCached, tokenIdentityKey, tokenUri, unpadded, uriMatchesToken } from '../uri';
import { CKS, mechanismName, pkcs11js, sessionGone, toSignetError, ulongString, type Handle } from './pkcs11';

export interface KeyHandle {
  handle: Handle;
  alwaysAuthenticate: boolean;
  /** How long the last C_Sign with this key took (ms). */
  lastSignMs?: number;
}

export interface SlotState {
  slot: Handle;
  slotId: string;
  token: TokenInfo;
  session: Handle | null;
  rw: boolean;
  /** Private-key handles by key URI (valid for the current session's lifetime). */
  keys: Map<string, KeyHandle>;
}

export interface ResolvedToken {
  state: SlotState;
}

const flag = (flags: number, bit: number): boolean => (flags & bit) !== 0;

export class HostContext {
  lib: pkcs11js.PKCS11 | null = null;
  modulePath = '';
  info: ModuleInfo | undefined;
  loadError: SignetError | undefined;
  /** Slot states by slot ID. */
  readonly slots = new Map<string, SlotState>();
  /**
   * Slots the module lists as holding a token (C_GetSlotList(CK_TRUE)) but cannot describe
   * (C_GetTokenInfo fails with something other than "not present"): the module's view is stale.
   */
  readonly unreadable = new Set<string>();
  /**
   * Tokens that turned unreadable without the module reporting a removal, by identity
   * (tokenIdentityKey): the module may never report them again by itself (host/recover.ts).
   */
  readonly missing = new Map<string, { token: TokenInfo; since: number }>();
  /** Requests being handled now (host/main.ts); the module is only re-initialised when idle. */
  busy = 0;
  /** host/recover.ts: when the module was last re-initialised, and the polling back-off. */
  readonly recovery = { lastAttempt: 0, backoffMs: 0 };

  constructor(private readonly post: (m: HostMessage) => void) {}

  send(m: HostMessage): void {
    this.post(m);
  }

  log(level: Level, message: string, fields?: LogFields): void {
    this.post({ kind: 'log', level, message, fields: redact(fields) });
  }

  /** The loaded module, or the reason it is not. */
  p11(): pkcs11js.PKCS11 {
    if (this.lib) return this.lib;
    throw this.loadError ?? new SignetError('MODULE_LOAD_FAILED', 'No PKCS#11 module is loaded in this host.');
  }

  // ------------------------------------------------------------------------------ tokens

  /** CK_TOKEN_INFO as TokenInfo; `knownMechanisms` skips C_GetMechanismList for a token already read. */
  readToken(slot: Handle, knownMechanisms?: string[]): TokenInfo {
    const p = this.p11();
    const t = p.C_GetTokenInfo(slot);
    let mechanisms: string[] = knownMechanisms ?? [];
    if (!knownMechanisms) {
      try {
        mechanisms = p.C_GetMechanismList(slot).map(mechanismName);
      } catch {
        // Uninitialised or odd tokens may refuse; the list stays empty rather than failing.
      }
    }
    // The URI keeps the fields in p11-kit's form (NUL padding kept), the shown values drop all padding (native/uri.ts).
    const raw = { label: t.label, manufacturer: t.manufacturerID, model: t.model, serial: t.serialNumber };
    const identity = { label: unpadded(raw.label), manufacturer: unpadded(raw.manufacturer), model: unpadded(raw.model), serial: unpadded(raw.serial) };
    const f = t.flags;
    return {
      uri: tokenUri(raw),
      module: this.modulePath,
      slotId: ulongString(slot),
      ...identity,
      flags: {
        loginRequired: flag(f, pkcs11js.CKF_LOGIN_REQUIRED),
        protectedAuthPath: flag(f, pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH),
        pinCountLow: flag(f, pkcs11js.CKF_USER_PIN_COUNT_LOW),
        pinFinalTry: flag(f, pkcs11js.CKF_USER_PIN_FINAL_TRY),
        pinLocked: flag(f, pkcs11js.CKF_USER_PIN_LOCKED),
        pinToBeChanged: flag(f, pkcs11js.CKF_USER_PIN_TO_BE_CHANGED),
        tokenInitialized: flag(f, pkcs11js.CKF_TOKEN_INITIALIZED),
      },
      minPinLength: t.minPinLen,
      maxPinLength: t.maxPinLen,
      mechanisms,
    };
  }

  /** Every slot with a token now; refreshes slot states (dropping those whose token changed). */
  scan(): SlotState[] {
    const p = this.p11();
    const present = p.C_GetSlotList(true);
    const seen = new Set<string>();
    const out: SlotState[] = [];
    this.unreadable.clear();
    for (const slot of present) {
      const slotId = ulongString(slot);
      const known = this.slots.get(slotId);
      let token: TokenInfo;
      try {
        token = this.readToken(slot, known?.token.mechanisms);
        if (known && !sameToken(known.token, token)) token = this.readToken(slot);
      } catch (e) {
        // Card pulled between the two calls, or a reader in trouble: not present for us.
        const err = toSignetError(e, 'C_GetTokenInfo');
        this.log('debug', 'C_GetTokenInfo failed during scan', { slotId, error: err.message });
        if (err.code !== 'TOKEN_REMOVED' && err.code !== 'NO_TOKEN') {
          this.unreadable.add(slotId);
          // SoftHSM2 answers CKR_GENERAL_ERROR for good once a token's directory vanished, even
          // after it is back (OSToken::index never re-validates): remember the token.
          if (known?.token.flags.tokenInitialized) this.missing.set(tokenIdentityKey(known.token), { token: known.token, since: Date.now() });
        }
        continue;
      }
      seen.add(slotId);
      if (token.flags.tokenInitialized) this.missing.delete(tokenIdentityKey(token));
      const old = this.slots.get(slotId);
      if (old && sameToken(old.token, token)) {
        old.token = token;
        out.push(old);
      } else {
        if (old) this.dropSlot(slotId);
        const st: SlotState = { slot, slotId, token, session: null, rw: false, keys: new Map() };
        this.slots.set(slotId, st);
        out.push(st);
      }
    }
    for (const id of [...this.slots.keys()]) if (!seen.has(id)) this.dropSlot(id);
    return out;
  }

  /**
   * The slot holding the (initialised) token `uri` names. `verify` re-reads the token info of a
   * known slot (cheap) so a swapped card is noticed before its old state is used.
   */
  resolve(uri: string, verify = true): SlotState {
    const u = parsePkcs11UriCached(uri);
    const matches = (st: SlotState): boolean => st.token.flags.tokenInitialized && uriMatchesToken(u, st.token);
    for (const st of this.slots.values()) {
      if (!matches(st)) continue;
      if (!verify) return st;
      try {
        const fresh = this.readToken(st.slot, st.token.mechanisms);
        if (sameToken(fresh, st.token)) {
          st.token = fresh;
          return st;
        }
      } catch {
        // fall through to a full scan
      }
      break;
    }
    const found = this.scan().filter(matches);
    if (found.length === 0) throw new SignetError('NO_TOKEN', 'The token is not present.', { details: { token: uri } });
    return found[0]!;
  }

  dropSlot(slotId: string): void {
    const st = this.slots.get(slotId);
    if (!st) return;
    this.slots.delete(slotId);
    if (st.session && this.lib) {
      try {
        this.lib.C_CloseSession(st.session);
      } catch {
        // The session is usually already dead (that is why we drop it).
      }
    }
    st.session = null;
    st.keys.clear();
  }

  // ---------------------------------------------------------------------------- sessions

  session(st: SlotState, rw = false): Handle {
    const p = this.p11();
    if (st.session && (st.rw || !rw)) return st.session;
    const flags = pkcs11js.CKF_SERIAL_SESSION | (rw ? pkcs11js.CKF_RW_SESSION : 0);
    let fresh: Handle;
    try {
      fresh = p.C_OpenSession(st.slot, flags);
    } catch (e) {
      if (sessionGone(e)) this.dropSlot(st.slotId);
      throw toSignetError(e, 'C_OpenSession');
    }
    // Open the new one before closing the old: closing a token's last session logs it out.
    const old = st.session;
    st.session = fresh;
    st.rw = rw;
    st.keys.clear();
    if (old) {
      try {
        p.C_CloseSession(old);
      } catch {
        // ignore: replaced anyway
      }
    }
    return fresh;
  }

  /** Replace the session (e.g. after a refused context-specific login left an operation active). */
  renewSession(st: SlotState): void {
    const rw = st.rw;
    const old = st.session;
    st.session = null;
    try {
      this.session(st, rw);
    } finally {
      if (old && this.lib) {
        try {
          this.lib.C_CloseSession(old);
        } catch {
          // ignore
        }
      }
    }
  }

  /** Logged in as the user (CKS_R*_USER_FUNCTIONS) — shared by all sessions of the token. */
  loggedIn(st: SlotState): boolean {
    const s = this.session(st);
    const info = this.p11().C_GetSessionInfo(s);
    return info.state === CKS.RO_USER_FUNCTIONS || info.state === CKS.RW_USER_FUNCTIONS;
  }

  /**
   * Run `fn` with the token's session. A dead session is dropped; read-only work (`retry`) is
   * tried once more on a new session if the token is still there, anything else reports
   * TOKEN_REMOVED (a new login is the user's decision).
   */
  async withSession<T>(uri: string, fn: (st: SlotState, session: Handle) => T | Promise<T>, opts: { rw?: boolean; retry?: boolean; verify?: boolean } = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const st = this.resolve(uri, opts.verify ?? true);
      try {
        return await fn(st, this.session(st, opts.rw ?? false));
      } catch (e) {
        if (!sessionGone(e) && !(e instanceof SignetError && e.code === 'TOKEN_REMOVED')) throw toSignetError(e);
        this.dropSlot(st.slotId);
        if (opts.retry && attempt === 0) continue;
        const err = toSignetError(e);
        throw new SignetError('TOKEN_REMOVED', 'The token was removed or reset; insert it again (a new login will be needed).', {
          details: { token: uri, ...(err.details ?? {}) },
        });
      }
    }
  }
}

/** Same physical token (identity after padding removal, and initialisation), whatever its flags say now. */
export function sameToken(a: TokenInfo, b: TokenInfo): boolean {
  return tokenIdentityKey(a) === tokenIdentityKey(b) && a.flags.tokenInitialized === b.flags.tokenInitialized;
}
