/**
 * TokenService over the TokenClient: modules, tokens and certificates as one snapshot (certificate
 * views classified by core's pki), refreshed on every slot event so the token panel follows
 * insert / remove within a second. Refreshes are coalesced: while one runs, further events
 * schedule exactly one more.
 */
import { SignetError } from '../../../native/errors';
import type { TokenClient } from '../../../native/client';
import type { CertificateDetails, CertificateView, TokensSnapshot, Unsubscribe } from '../../api';
import { certificateDetails } from '../../core/pki/details';
import type { SigningPolicy } from '../../core/pki/signing-checks';
import { summarizeCertificate } from '../../core/pki/summary';
import { toCertificateView } from '../../core/pki/view';
import type { CertificateSummary } from '../../core/types';
import type { Logger } from '../logs/logger';
import type { TokenService } from '../services';

export interface TokenServiceOptions {
  client: TokenClient;
  logger: Logger;
  policy?: SigningPolicy;
  trustAnchors?: () => readonly Uint8Array[];
  /** Delay before re-reading after a slot event (lets a burst of events settle). */
  settleMs?: number;
  /** Change the user PIN (C_SetPIN) — from the token layer. */
  setPin?: (tokenUri: string, oldPin: Uint8Array, newPin: Uint8Array) => Promise<void>;
}

export class ClientTokenService implements TokenService {
  private current: TokensSnapshot | null = null;
  private summaries = new Map<string, CertificateSummary>();
  private running: Promise<TokensSnapshot> | null = null;
  private again = false;
  private readonly listeners = new Set<(s: TokensSnapshot) => void>();
  private offSlots: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: TokenServiceOptions) {}

  async snapshot(): Promise<TokensSnapshot> {
    return this.current ?? this.refresh();
  }

  refresh(): Promise<TokensSnapshot> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.read().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.running;
  }

  onChange(listener: (snapshot: TokensSnapshot) => void): Unsubscribe {
    this.listeners.add(listener);
    if (!this.offSlots) {
      this.offSlots = this.opts.client.onSlotEvent((e) => {
        this.opts.logger.info('slot event', { kind: e.kind, slotId: e.slotId });
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = null;
          void this.refresh();
        }, this.opts.settleMs ?? 50);
      });
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.offSlots) {
        this.offSlots();
        this.offSlots = null;
      }
    };
  }

  async changePin(tokenUri: string, oldPin: Uint8Array, newPin: Uint8Array): Promise<void> {
    if (!this.opts.setPin) throw new SignetError('MECHANISM_UNSUPPORTED', 'Changing the PIN is not available in this build.', { retriable: false });
    await this.opts.setPin(tokenUri, oldPin, newPin);
    void this.refresh();
  }

  async details(certUri: string): Promise<CertificateDetails> {
    if (!this.summaries.has(certUri)) await this.refresh();
    const summary = this.summaries.get(certUri);
    if (!summary) throw new SignetError('KEY_NOT_FOUND', 'This certificate is no longer available. Is the card still inserted?');
    const others = [...this.summaries.values()].filter((s) => s.token === summary.token && s.uri !== certUri).map((s) => new Uint8Array(Buffer.from(s.certificate, 'base64')));
    return certificateDetails(summary, {
      tokenCertificates: others,
      ...(this.opts.trustAnchors ? { trustAnchors: this.opts.trustAnchors() } : {}),
      ...(this.opts.policy ? { policy: this.opts.policy } : {}),
    });
  }

  /** The view of one certificate by URI from the last snapshot (signing looks it up). */
  certificate(uri: string): CertificateView | undefined {
    return this.current?.certificates.find((c) => c.uri === uri);
  }

  private async read(): Promise<TokensSnapshot> {
    const client = this.opts.client;
    const modules = await client.moduleStatus();
    const tokens = await client.listTokens({ onModuleError: (m, e) => this.opts.logger.warn('module error', { module: m, code: e.code }) });
    const summaries = new Map<string, CertificateSummary>();
    const certificates: CertificateView[] = [];
    for (const token of tokens.filter((t) => t.flags.tokenInitialized)) {
      let found;
      try {
        found = await client.listCertificates(token.uri);
      } catch (e) {
        // A card pulled while we read it: it will be dropped by the next slot event.
        this.opts.logger.warn('certificates not read', { token: token.label, code: e instanceof SignetError ? e.code : 'INTERNAL' });
        continue;
      }
      for (const tc of found) {
        try {
          const summary = summarizeCertificate(tc);
          summaries.set(summary.uri, summary);
          certificates.push(toCertificateView(summary, this.opts.policy ? { policy: this.opts.policy } : {}));
        } catch (e) {
          this.opts.logger.warn('certificate not parsed', { uri: tc.uri, message: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    const snap: TokensSnapshot = { modules, tokens, certificates, updatedAt: new Date().toISOString() };
    this.summaries = summaries;
    this.current = snap;
    for (const l of this.listeners) l(snap);
    return snap;
  }
}
