/**
 * The local history (issue 12 §7): the last 200 things Signet did for the user — documents signed,
 * signatures and logins given to websites — with when and for whom. Names only: never a
 * document's content or a PIN. Cleared in Settings.
 */
import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { getApi } from '../../lib/api';
import '../preview/preview.css';

export function useHistory(): HistoryEntry[] | null {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  useEffect(() => {
    const api = getApi();
    const off = api.on('history.changed', setEntries);
    void api.call('history.list').then((r) => r.ok && setEntries(r.value));
    return off;
  }, []);
  return entries;
}

export function HistoryPage({ onOpenSettings }: { onOpenSettings(): void }) {
  const { t, formatDateTime } = useI18n();
  const entries = useHistory();
  return (
    <section className="page" aria-labelledby="history-heading" data-testid="history-page">
      <h1 id="history-heading" className="page-title" tabIndex={-1}>
        {t('history.title')}
      </h1>
      <p className="muted">
        {t('history.lead')}{' '}
        <button type="button" className="button button-small button-ghost" onClick={onOpenSettings}>
          {t('history.manage')}
        </button>
      </p>
      {entries === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="empty-state">{t('history.empty')}</p>
      ) : (
        <ul className="history-list" aria-label={t('history.title')}>
          {entries.map((e) => (
            <li key={e.id} className="history-item" data-kind={e.kind}>
              <span className="history-icon" aria-hidden="true">
                {e.kind === 'web-login' ? '→' : '✎'}
              </span>
              <div>
                <div>{entryText(t, e)}</div>
                <div className="muted small">{t('history.with', { name: e.signer })}</div>
              </div>
              <time className="muted small nowrap" dateTime={e.at}>
                {formatDateTime(e.at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function entryText(t: ReturnType<typeof useI18n>['t'], e: HistoryEntry): string {
  switch (e.kind) {
    case 'document-signed':
      return t(e.timestamp ? 'history.signedTs' : 'history.signed', { name: e.name, output: e.output });
    case 'web-signature':
      return e.operation === 'sign-document' && e.documentName ? t('history.webDocument', { origin: e.origin, name: e.documentName }) : t('history.webHash', { origin: e.origin });
    case 'web-login':
      return t('history.webLogin', { origin: e.origin });
  }
}
