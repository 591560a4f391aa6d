/**
 * Every token, live: the list follows 'tokens.changed' (insert / remove within a second), with
 * the token's PIN state as badges, and per-token actions (change PIN).
 */
import type { TokenInfo, TokensSnapshot } from '../../../electron/api';
import { useI18n } from '../i18n';
import { Badge } from './Badge';

export interface TokenPanelProps {
  snapshot: TokensSnapshot | null;
  loading: boolean;
  onRefresh(): void;
  onChangePin(token: TokenInfo): void;
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

export function TokenPanel({ snapshot, loading, onRefresh, onChangePin }: TokenPanelProps) {
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
