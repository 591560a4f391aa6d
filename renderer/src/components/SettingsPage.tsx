/** Settings: language, where outputs go, timestamps, remembered web origins (revocable). */
import { useId, useState } from 'react';
import type { ErrorInfo, Settings } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { ErrorNotice } from './ErrorNotice';
import { HistorySettings } from './settings/HistorySettings';
import { TrustAnchorsSettings } from './settings/TrustAnchorsSettings';

export function SettingsPage({ settings, onChange }: { settings: Settings | null; onChange(s: Settings): void }) {
  const { t, formatDate } = useI18n();
  const ids = { lang: useId(), tsa: useId(), port: useId() };
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [tsa, setTsa] = useState(settings?.tsaUrl ?? '');
  const [saved, setSaved] = useState(false);
  if (!settings) return <p className="muted">{t('common.loading')}</p>;

  const update = async (patch: Partial<Omit<Settings, 'policyOrigins'>>): Promise<void> => {
    const r = await getApi().call('settings.update', patch);
    if (r.ok) {
      onChange(r.value);
      setError(null);
      setSaved(true);
    } else setError(r.error);
  };
  const revoke = async (origin: string): Promise<void> => {
    const r = await getApi().call('settings.revokeOrigin', { origin });
    if (r.ok) onChange(r.value);
    else setError(r.error);
  };

  return (
    <section className="page" aria-labelledby="settings-heading">
      <h1 id="settings-heading" className="page-title" tabIndex={-1}>
        {t('settings.title')}
      </h1>
      {error && <ErrorNotice error={error} />}
      <p className="visually-hidden" role="status">
        {saved ? t('settings.saved') : ''}
      </p>

      <section className="card-section" aria-labelledby="s-general">
        <h2 id="s-general" className="section-title">
          {t('settings.general')}
        </h2>
        <div className="field">
          <label htmlFor={ids.lang} className="field-label">
            {t('settings.language')}
          </label>
          <select id={ids.lang} className="input" value={settings.language} onChange={(e) => void update({ language: e.target.value })}>
            <option value="system">{t('settings.language.system')}</option>
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </div>
        <fieldset className="field">
          <legend className="field-label">{t('settings.output')}</legend>
          <label className="radio">
            <input type="radio" name="output" checked={settings.output === 'next-to-input'} onChange={() => void update({ output: 'next-to-input' })} />
            {t('settings.output.next')}
          </label>
          <label className="radio">
            <input type="radio" name="output" checked={settings.output === 'ask'} onChange={() => void update({ output: 'ask' })} />
            {t('settings.output.ask')}
          </label>
        </fieldset>
      </section>

      <section className="card-section" aria-labelledby="s-ts">
        <h2 id="s-ts" className="section-title">
          {t('settings.timestamps')}
        </h2>
        <form
          className="field inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void update({ tsaUrl: tsa.trim() });
          }}
        >
          <label htmlFor={ids.tsa} className="field-label">
            {t('settings.tsaUrl')}
          </label>
          <div className="input-row">
            <input id={ids.tsa} className="input" type="url" placeholder="https://tsa.example/tsr" value={tsa} onChange={(e) => setTsa(e.target.value)} />
            <button type="submit" className="button">
              {t('common.save')}
            </button>
          </div>
        </form>
        <label className="checkbox">
          <input type="checkbox" checked={settings.timestampByDefault} disabled={!settings.tsaUrl} onChange={(e) => void update({ timestampByDefault: e.target.checked })} />
          {t('settings.timestampByDefault')}
        </label>
      </section>

      <section className="card-section" aria-labelledby="s-web">
        <h2 id="s-web" className="section-title">
          {t('settings.web')}
        </h2>
        <p className="muted">{t('settings.webHint')}</p>
        <h3 className="subsection-title">{t('settings.remembered')}</h3>
        {settings.allowedOrigins.length === 0 ? (
          <p className="muted">{t('settings.noOrigins')}</p>
        ) : (
          <ul className="origin-list">
            {settings.allowedOrigins.map((o) => (
              <li key={o.origin} className="origin-item">
                <code>{o.origin}</code>
                <span className="muted">{t('settings.addedOn', { date: formatDate(o.addedAt) })}</span>
                <button type="button" className="button button-small" onClick={() => void revoke(o.origin)} aria-label={t('settings.revokeFor', { origin: o.origin })}>
                  {t('settings.revoke')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {settings.policyOrigins.length > 0 && (
          <>
            <h3 className="subsection-title">{t('settings.policyOrigins')}</h3>
            <ul className="origin-list">
              {settings.policyOrigins.map((o) => (
                <li key={o} className="origin-item">
                  <code>{o}</code>
                  <span className="muted">{t('settings.byAdmin')}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        <details className="advanced">
          <summary>{t('settings.advanced')}</summary>
          <div className="field">
            <label htmlFor={ids.port} className="field-label">
              {t('settings.apiPort')}
            </label>
            <input
              id={ids.port}
              className="input input-narrow"
              type="number"
              min={1024}
              max={65535}
              defaultValue={settings.apiPort}
              onBlur={(e) => {
                const n = Number(e.target.value);
                if (Number.isInteger(n) && n !== settings.apiPort) void update({ apiPort: n });
              }}
            />
            <span className="field-hint">{t('settings.apiPortHint')}</span>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={settings.allowHttpLocalhost} onChange={(e) => void update({ allowHttpLocalhost: e.target.checked })} />
            {t('settings.allowHttpLocalhost')}
          </label>
        </details>
      </section>

      <TrustAnchorsSettings />
      <HistorySettings />
    </section>
  );
}
