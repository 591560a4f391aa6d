/** Open a portal that asks for a client certificate in Signet's own TLS window. */
import { useId, useState } from 'react';
import type { ErrorInfo } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { ErrorNotice } from './ErrorNotice';

export function PortalLauncher() {
  const { t } = useI18n();
  const inputId = useId();
  const hintId = useId();
  const [url, setUrl] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = /^https:\/\/[^\s/]+/.test(url.trim());

  const open = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    const r = await getApi().call('tls.openPortal', { url: url.trim() });
    setBusy(false);
    setError(r.ok ? null : r.error);
  };

  return (
    <section className="card-section" aria-labelledby="portal-heading">
      <h2 id="portal-heading" className="section-title">
        {t('portal.title')}
      </h2>
      <p id={hintId} className="muted">
        {t('portal.hint')}
      </p>
      {error && <ErrorNotice error={error} />}
      <form className="input-row" onSubmit={(e) => void open(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('portal.url')}
        </label>
        <input id={inputId} className="input" type="url" inputMode="url" placeholder="https://portal.example" value={url} aria-describedby={hintId} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit" className="button" disabled={!valid || busy}>
          {t('portal.open')}
        </button>
      </form>
    </section>
  );
}
