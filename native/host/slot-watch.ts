/**
 * Slot events (insert / remove / change), pushed within ~0.5 s by polling in the host.
 *
 * Every tick: drain C_WaitForSlotEvent(CKF_DONT_BLOCK) where the module supports it (some return
 * CKR_FUNCTION_NOT_SUPPORTED, some always CKR_NO_EVENT), then diff C_GetSlotList(CK_TRUE) +
 * CK_TOKEN_INFO against the previous tick. A module whose view went stale (a token it lists but
 * cannot describe) is re-initialised when idle, with a back-off (host/recover.ts). The blocking form of C_WaitForSlotEvent is never used:
 * it would freeze this host's event loop (pkcs11js has no async variant).
 */
import { CKR } from '../ckr';
import type { SlotEvent, TokenInfo } from '../types';
import type { HostContext } from './context';
import { pkcs11js, rvOf, ulongString } from './pkcs11';
import { recoverStaleModule } from './recover';

/** Slot polling re-initialises a stale module at most every this many ticks (5 s at 200 ms), then backs off. */
const RECOVER_EVERY_TICKS = 25;

const fingerprint = (t: TokenInfo): string => JSON.stringify({ ...t, mechanisms: t.mechanisms.length });

export class SlotWatcher {
  private timer: NodeJS.Timeout | null = null;
  private previous: Map<string, TokenInfo> | null = null;
  private waitSupported = true;
  private intervalMs = 200;

  constructor(private readonly ctx: HostContext) {}

  get watching(): boolean {
    return this.timer !== null;
  }

  start(intervalMs: number): void {
    this.stop();
    this.previous = this.snapshot();
    this.intervalMs = Math.max(50, intervalMs);
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.previous = null;
  }

  private snapshot(): Map<string, TokenInfo> {
    const m = new Map<string, TokenInfo>();
    for (const st of this.ctx.scan()) m.set(st.slotId, st.token);
    return m;
  }

  private drainWaitEvents(): void {
    if (!this.waitSupported) return;
    const p = this.ctx.p11();
    try {
      // Bounded: a module that keeps reporting must not keep us here.
      for (let i = 0; i < 16; i++) {
        const slot = p.C_WaitForSlotEvent(pkcs11js.CKF_DONT_BLOCK);
        if (!slot) return;
        this.ctx.log('debug', 'slot event reported by module', { slotId: ulongString(slot) });
      }
    } catch (e) {
      if (rvOf(e) === CKR.FUNCTION_NOT_SUPPORTED || rvOf(e) === CKR.NO_EVENT) this.waitSupported = rvOf(e) === CKR.NO_EVENT;
      else this.ctx.log('debug', 'C_WaitForSlotEvent failed', { error: e });
    }
  }

  tick(): void {
    if (!this.previous) return;
    let current: Map<string, TokenInfo>;
    try {
      this.drainWaitEvents();
      current = this.snapshot();
      // A module that stopped describing a token is looked at again when idle (host/recover.ts).
      if (recoverStaleModule(this.ctx, { maxBusy: 0, minIntervalMs: RECOVER_EVERY_TICKS * this.intervalMs, backoff: true })) current = this.snapshot();
    } catch (e) {
      this.ctx.log('warn', 'slot poll failed', { error: e });
      return;
    }
    const module = this.ctx.modulePath;
    const events: SlotEvent[] = [];
    for (const [slotId, t] of this.previous) {
      const now = current.get(slotId);
      if (!now) events.push({ module, slotId, kind: 'removed', token: t });
      else if (now.serial !== t.serial || now.label !== t.label || now.flags.tokenInitialized !== t.flags.tokenInitialized) {
        events.push({ module, slotId, kind: 'removed', token: t }, { module, slotId, kind: 'inserted', token: now });
      } else if (fingerprint(now) !== fingerprint(t)) events.push({ module, slotId, kind: 'changed', token: now });
    }
    for (const [slotId, t] of current) if (!this.previous.has(slotId)) events.push({ module, slotId, kind: 'inserted', token: t });
    this.previous = current;
    for (const event of events) this.ctx.send({ kind: 'slot-event', event });
  }
}
