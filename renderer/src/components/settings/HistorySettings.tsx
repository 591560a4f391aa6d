/** Settings → History: how many entries are kept, and Clear (asks once, then forgets them all). */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { getApi } from '../../lib/api';
import { ErrorNotice } from '../ErrorNotice';
import { useHistory } from '../history/HistoryPage';

export function HistorySettings() {
  const { t } = useI18n();
  const entries = useHistory();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const clear = async (): Promise<void> => {
    const r = await getApi().call('history.clear');
    setConfirming(false);
    setError(r.ok ? null : r.error);
  };
  return (
    <section className="card-section" aria-labelledby="s-history" data-testid="history-settings">
      <h2 id="s-history" className="section-title">
        {t('history.title')}
      </h2>
      <p className="muted">{t('history.settingsLead', { n: entries?.length ?? 0 })}</p>
      {error && <ErrorNotice error={error} />}
      {confirming ? (
        <div className="input-row">
          <span>{t('history.clearConfirm')}</span>
          <button type="button" className="button button-primary" onClick={() => void clear()}>
            {t('history.clearYes')}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" className="button" disabled={!entries || entries.length === 0} onClick={() => setConfirming(true)}>
          {t('history.clear')}
        </button>
      )}
    </section>
  );
}
