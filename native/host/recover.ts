/**
 * Re-initialising a module whose view of its tokens went stale (issue 10 item 8).
 *
 * Some modules stop describing a token without reporting a removal, and never look again: SoftHSM2
 * keeps listing the slot of a token whose directory vanished, answers CKR_GENERAL_ERROR to
 * C_GetTokenInfo from then on — also after the directory is back — and only finds it again after
 * C_Finalize + C_Initialize (its OSToken::index skips a token once marked invalid; a new process
 * sees it). Signet then re-initialises the module itself (PKCS#11 v2.40 §5.4: C_Initialize may be
 * called again after C_Finalize), but only
 *  - when there is evidence: a slot the module lists and cannot describe, or a token that went
 *    that way and has not come back (for up to MISSING_TTL_MS);
 *  - when nothing is lost: no request in progress, and no session logged in (a re-initialisation
 *    ends every session; a login is never taken from the user behind their back);
 *  - not too often: `minIntervalMs` since the last one (Refresh: 1 s), growing ×2 per attempt that
 *    found nothing, up to 60 s, for slot polling.
 * A module that cannot be initialised again ends its host: the client starts a fresh one.
 */
import type { HostContext } from './context';
import { CKS, pkcs11js } from './pkcs11';

const MISSING_TTL_MS = 30 * 60_000;
const MAX_BACKOFF_MS = 60_000;

function anyoneLoggedIn(ctx: HostContext): boolean {
  const p = ctx.p11();
  for (const st of ctx.slots.values()) {
    if (!st.session) continue;
    try {
      const state = p.C_GetSessionInfo(st.session).state;
      if (state === CKS.RO_USER_FUNCTIONS || state === CKS.RW_USER_FUNCTIONS || state === CKS.RW_SO_FUNCTIONS) return true;
    } catch {
      // a dead session holds no login
    }
  }
  return false;
}

export interface RecoverOptions {
  /** Requests allowed in progress (the one asking: tokens.list counts itself). */
  maxBusy: number;
  minIntervalMs: number;
  /** Slot polling backs off after attempts that found nothing; an explicit Refresh does not. */
  backoff: boolean;
  now?: number;
}

/** Re-initialise the module if it looks stale and nothing is lost; true when it did. */
export function recoverStaleModule(ctx: HostContext, opts: RecoverOptions): boolean {
  const now = opts.now ?? Date.now();
  for (const [k, m] of ctx.missing) if (now - m.since > MISSING_TTL_MS) ctx.missing.delete(k);
  const r = ctx.recovery;
  if (ctx.unreadable.size === 0 && ctx.missing.size === 0) {
    r.backoffMs = 0;
    return false;
  }
  if (!ctx.lib || ctx.busy > opts.maxBusy) return false;
  const wait = Math.max(opts.minIntervalMs, opts.backoff ? r.backoffMs : 0);
  if (now - r.lastAttempt < wait) return false;
  if (anyoneLoggedIn(ctx)) return false;
  r.lastAttempt = now;
  const lib = ctx.lib;
  const looking = ctx.missing.size;
  for (const id of [...ctx.slots.keys()]) ctx.dropSlot(id);
  try {
    lib.C_Finalize();
  } catch {
    // already finalised, or the module does not care: initialise anyway
  }
  try {
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    ctx.log('error', 'the module could not be initialised again; restarting its host', { error: e });
    // The client sees the exit and starts a fresh host (module-host.ts).
    setImmediate(() => process.exit(70));
    throw e;
  }
  ctx.scan();
  const found = looking - ctx.missing.size;
  r.backoffMs = found > 0 || ctx.missing.size === 0 ? 0 : Math.min(MAX_BACKOFF_MS, Math.max(opts.minIntervalMs, r.backoffMs * 2));
  ctx.log('info', 'module re-initialised: it had stopped describing a token', { found, stillMissing: ctx.missing.size, unreadable: ctx.unreadable.size });
  return true;
}
