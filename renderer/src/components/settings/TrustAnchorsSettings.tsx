/**
 * Settings → Trust anchors: the certificate authorities Signet trusts besides the system's, for
 * the verify view and certificate checks. Users add PEM/DER files and remove what they added;
 * the administrator's anchors are listed, not removable.
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo, FilesAdded, TrustAnchors } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { getApi } from '../../lib/api';
import { Badge } from '../Badge';
import { ErrorNotice } from '../ErrorNotice';
import '../preview/preview.css';

export function TrustAnchorsSettings() {
  const { t, formatDate } = useI18n();
  const api = getApi();
  const [list, setList] = useState<TrustAnchors | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [rejected, setRejected] = useState<FilesAdded['rejected']>([]);
  useEffect(() => {
    void api.call('trust.list').then((r) => (r.ok ? setList(r.value) : setError(r.error)));
  }, [api]);

  const add = async (): Promise<void> => {
    const picked = await api.call('files.pick', { multiple: true });
    if (!picked.ok) return setError(picked.error);
    setRejected(picked.value.rejected);
    setError(null);
    for (const f of picked.value.files) {
      const r = await api.call('trust.add', { fileId: f.id });
      if (r.ok) setList(r.value);
      else return setError({ ...r.error, details: { ...r.error.details, name: f.name } });
    }
  };
  const remove = async (fingerprintSha256: string): Promise<void> => {
    const r = await api.call('trust.remove', { fingerprintSha256 });
    if (r.ok) {
      setList(r.value);
      setError(null);
    } else setError(r.error);
  };

  const shown = list?.anchors.filter((a) => a.source !== 'extra') ?? [];
  return (
    <section className="card-section" aria-labelledby="s-trust" data-testid="trust-settings">
      <div className="section-header">
        <h2 id="s-trust" className="section-title">
          {t('trust.title')}
        </h2>
        <button type="button" className="button" onClick={() => void add()}>
          {t('trust.add')}
        </button>
      </div>
      <p className="muted">{t('trust.lead')}</p>
      {error && <ErrorNotice error={error} />}
      {rejected.map((r, i) => (
        <ErrorNotice key={i} error={{ ...r.error, details: { ...r.error.details, name: r.name } }} compact title={t('files.notAdded', { name: r.name })} />
      ))}
      {list === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="muted">{t('trust.none')}</p>
      ) : (
        <ul className="anchor-list">
          {shown.map((a) => (
            <li key={`${a.source}-${a.fingerprintSha256}`} className="anchor-item" data-anchor={a.subject}>
              <div className="anchor-text">
                <strong>{a.subject}</strong>
                <span className="muted small">
                  {t('trust.validUntil', { date: formatDate(a.notAfter) })} · {a.isCa ? t('trust.ca') : t('trust.notCa')} · {a.fileName}
                </span>
                <code className="hash small" title={a.fingerprintSha256}>
                  SHA-256 {a.fingerprintSha256.slice(0, 32)}…
                </code>
              </div>
              {a.source === 'policy' ? (
                <Badge tone="info">{t('settings.byAdmin')}</Badge>
              ) : (
                <button type="button" className="button button-small" onClick={() => void remove(a.fingerprintSha256)} aria-label={t('trust.removeFor', { name: a.subject })}>
                  {t('common.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {list?.problems.map((p, i) => (
        <p key={i} className="notice notice-warning notice-compact">
          {t('trust.problem', { name: p.fileName })}
        </p>
      ))}
    </section>
  );
}
