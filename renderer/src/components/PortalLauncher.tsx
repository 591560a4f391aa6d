/**
 * Open a portal that asks for a client certificate in Signet's own TLS window; the portal windows
 * open now, each with "Switch identity" (choose the certificate again, in a fresh session); and on
 * Linux, Signet's card modules registered in the browser certificate database, with the button
 * that removes them (docs/tls-client-auth.md). The status needs the desktop app: in the browser
 * harness only the form shows.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { ErrorInfo, PortalStatus } from '../../../electron/api';
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
  const [status, setStatus] = useState<PortalStatus | null>(null);
  const [removed, setRemoved] = useState<string[] | null>(null);
  const valid = /^https:\/\/[^\s/]+/.test(url.trim());

  const refresh = useCallback(async (): Promise<void> => {
    const r = await getApi().call('tls.status');
    setStatus(r.ok ? r.value : null);
  }, []);

  useEffect(() => {
    void refresh();
    return getApi().on('tls.changed', ({ portals }) => setStatus((s) => (s ? { ...s, portals } : s)));
  }, [refresh]);

  const open = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    const r = await getApi().call('tls.openPortal', { url: url.trim() });
    setBusy(false);
    setError(r.ok ? null : r.error);
    if (r.ok) void refresh();
  };

  const switchIdentity = async (portalId: string): Promise<void> => {
    const r = await getApi().call('tls.switchIdentity', { portalId });
    setError(r.ok ? null : r.error);
  };

  const unregister = async (): Promise<void> => {
    setBusy(true);
    const r = await getApi().call('tls.unregisterModules');
    setBusy(false);
    setError(r.ok ? null : r.error);
    if (r.ok) setRemoved(r.value.removed);
    void refresh();
  };

  const nss = status?.nss;
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
      {status && status.portals.length > 0 && (
        <>
          <h3 className="subsection-title">{t('portal.openWindows')}</h3>
          <p className="muted">{t('portal.switchHint')}</p>
          <ul className="portal-list">
            {status.portals.map((p) => (
              <li key={p.portalId} className="input-row">
                <span>
                  {p.currentOrigin}
                  {p.currentOrigin !== p.startOrigin && <span className="muted"> {t('portal.startedAt', { origin: p.startOrigin })}</span>}
                </span>
                <button type="button" className="button button-small" onClick={() => void switchIdentity(p.portalId)}>
                  {t('portal.switchIdentity')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {nss?.applies && nss.registered.length > 0 && (
        <div className="input-row">
          <p className="muted">{t('portal.nssRegistered', { modules: nss.registered.join(', '), db: nss.dbDir ?? '' })}</p>
          <button type="button" className="button button-small" disabled={busy} onClick={() => void unregister()}>
            {t('portal.nssRemove')}
          </button>
        </div>
      )}
      {removed !== null && <p role="status">{removed.length > 0 ? t('portal.nssRemoved', { modules: removed.join(', ') }) : t('portal.nssNothing')}</p>}
      {nss?.error && <ErrorNotice error={nss.error} />}
    </section>
  );
}
