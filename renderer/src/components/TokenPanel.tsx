/**
 * Every token, live: the list follows 'tokens.changed' (insert / remove within a second), with
 * the token's PIN state as badges, and per-token actions (change PIN). A token whose signing login
 * the optional PIN cache keeps (issue 8) shows a live countdown and Lock now.
 */
import { useEffect, useState } from 'react';
import type { TokenInfo, TokensSnapshot, UnlockedTokenView } from '../../../electron/api';
import { useI18n } from '../i18n';
import { Badge } from './Badge';

export interface TokenPanelProps {
  snapshot: TokensSnapshot | null;
  loading: boolean;
  onRefresh(): void;
  onChangePin(token: TokenInfo): void;
  /** Tokens kept unlocked for signing, with their expiry ('tokens.unlocked'). */
  unlocked?: UnlockedTokenView[];
  onLockNow?(tokenUri: string): void;
}

/** m:ss until `expiresAt` (never negative: main locks at expiry and pushes the new list). */
export function formatRemaining(expiresAt: number, now: number): string {
  const s = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "Unlocked — locks in m:ss", ticking every second, and Lock now. */
function UnlockedRow({ token, expiresAt, onLockNow }: { token: TokenInfo; expiresAt: number; onLockNow?(tokenUri: string): void }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="token-unlocked" data-testid="token-unlocked">
      <Badge tone="warning">{t('tokens.unlocked', { time: formatRemaining(expiresAt, now) })}</Badge>
      <button type="button" className="button button-small" onClick={() => onLockNow?.(token.uri)} aria-label={t('tokens.lockNowFor', { label: token.label })}>
        {t('tokens.lockNow')}
      </button>
    </div>
  );
}

export function TokenBadges({ token }: { token: TokenInfo }) {
  const { t } = useI18n();
  const f = token.flags;
  return (
    <span className="badges">
      {!f.tokenInitialized && <Badge tone="neutral">{t('token.notInitialized')}</Badge>}
      {f.pinLocked && <Badge tone="danger">{t('token.pinLocked')}</Badge>}
      {!f.pinLocked && f.pinFinalTry && <Badge tone="danger">{t('token.finalTry')}</Badge>}
      {!f.pinLocked && !f.pinFinalTry && f.pinCountLow && <Badge tone="warning">{t('token.countLow')}</Badge>}
      {f.pinToBeChanged && <Badge tone="warning">{t('token.pinToBeChanged')}</Badge>}
      {f.protectedAuthPath && <Badge tone="info">{t('token.pinPad')}</Badge>}
    </span>
  );
}

export function TokenPanel({ snapshot, loading, onRefresh, onChangePin, unlocked = [], onLockNow }: TokenPanelProps) {
  const { t } = useI18n();
  const tokens = (snapshot?.tokens.filter((tk) => tk.flags.tokenInitialized) ?? []).sort((a, b) => a.label.localeCompare(b.label));
  const failedModules = snapshot?.modules.filter((m) => !m.loaded) ?? [];
  return (
    <section className="panel token-panel" aria-labelledby="tokens-heading">
      <div className="panel-header">
        <h2 id="tokens-heading" className="panel-title">
          {t('tokens.title')}
        </h2>
        <button type="button" className="button button-small button-ghost" onClick={onRefresh} disabled={loading} title={t('tokens.refresh')}>
          {loading ? t('tokens.refreshing') : t('tokens.refreshShort')}
        </button>
      </div>
      <div aria-live="polite" data-testid="token-list">
        {snapshot === null ? (
          <p className="muted">{t('common.loading')}</p>
        ) : tokens.length === 0 ? (
          <div className="empty-state">
            <p className="empty-title">{t('tokens.none')}</p>
            <p className="muted">{t('tokens.noneHint')}</p>
          </div>
        ) : (
          <ul className="token-list">
            {tokens.map((token) => {
              const certCount = snapshot.certificates.filter((c) => c.token === token.uri).length;
              const cached = unlocked.find((u) => u.tokenUri === token.uri);
              return (
                <li key={token.uri} className="token-item" data-token-label={token.label}>
                  <div className="token-main">
                    <span className="token-icon" aria-hidden="true" />
                    <div className="token-text">
                      <span className="token-label">{token.label}</span>
                      <span className="token-meta">
                        {token.manufacturer} · {token.model}
                      </span>
                      <span className="token-meta">{t('tokens.serial', { serial: token.serial })}</span>
                      <span className="token-meta">{t('tokens.certCount', { n: certCount })}</span>
                    </div>
                  </div>
                  <TokenBadges token={token} />
                  {cached && <UnlockedRow token={token} expiresAt={cached.expiresAt} onLockNow={onLockNow} />}
                  <div className="token-actions">
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => onChangePin(token)}
                      disabled={token.flags.pinLocked || token.flags.protectedAuthPath}
                      aria-label={t('tokens.changePinFor', { label: token.label })}
                    >
                      {t('tokens.changePin')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {failedModules.length > 0 && (
          <details className="module-errors">
            <summary>{t('tokens.moduleErrors', { n: failedModules.length })}</summary>
            <ul>
              {failedModules.map((m) => (
                <li key={m.path}>
                  <code>{m.path}</code>
                  <span className="muted"> — {t('error.MODULE_LOAD_FAILED.title')}</span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </section>
  );
}
