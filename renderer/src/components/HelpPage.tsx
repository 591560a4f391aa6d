/** Help: what Signet is, versions, where the logs are, and Export diagnostics. */
import { useEffect, useState } from 'react';
import type { AppInfo, ErrorInfo, OutputRef } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { ErrorNotice } from './ErrorNotice';

export function HelpPage({ info, exportRequest }: { info: AppInfo | null; exportRequest: number }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; savedTo?: OutputRef } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const exportDiagnostics = async (): Promise<void> => {
    setBusy(true);
    const r = await getApi().call('diagnostics.export');
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setError(null);
    } else setError(r.error);
  };
  useEffect(() => {
    if (exportRequest > 0) void exportDiagnostics();
  }, [exportRequest]);

  return (
    <section className="page" aria-labelledby="help-heading">
      <h1 id="help-heading" className="page-title" tabIndex={-1}>
        {t('help.title')}
      </h1>
      <section className="card-section" aria-labelledby="h-how">
        <h2 id="h-how" className="section-title">
          {t('help.howTitle')}
        </h2>
        <ol className="steps">
          <li>{t('help.step1')}</li>
          <li>{t('help.step2')}</li>
          <li>{t('help.step3')}</li>
          <li>{t('help.step4')}</li>
        </ol>
        <p className="muted">{t('help.privacy')}</p>
      </section>
      <section className="card-section" aria-labelledby="h-diag">
        <h2 id="h-diag" className="section-title">
          {t('help.diagnostics')}
        </h2>
        <p className="muted">{t('help.diagnosticsHint')}</p>
        <button type="button" className="button" onClick={() => void exportDiagnostics()} disabled={busy}>
          {busy ? t('common.working') : t('help.export')}
        </button>
        {error && <ErrorNotice error={error} />}
        {result && (
          <div className="stack">
            <p role="status">{result.savedTo ? t('help.savedAs', { name: result.savedTo.name }) : t('help.notSaved')}</p>
            {result.savedTo && (
              <button type="button" className="button button-small" onClick={() => void getApi().call('shell.showInFolder', { outputId: result.savedTo!.id })}>
                {t('results.showInFolder')}
              </button>
            )}
            <details>
              <summary>{t('help.preview')}</summary>
              <pre className="preview" data-testid="diagnostics-text">
                {result.text}
              </pre>
            </details>
          </div>
        )}
      </section>
      {info && (
        <section className="card-section" aria-labelledby="h-about">
          <h2 id="h-about" className="section-title">
            {t('help.about')}
          </h2>
          <dl className="fields">
            <div className="field-row">
              <dt>{t('help.version')}</dt>
              <dd>
                {info.name} {info.version}
              </dd>
            </div>
            <div className="field-row">
              <dt>{t('help.platform')}</dt>
              <dd>{info.platform}</dd>
            </div>
            {Object.entries(info.versions).map(([k, v]) => (
              <div key={k} className="field-row">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
            <div className="field-row">
              <dt>{t('help.logs')}</dt>
              <dd>
                <code>{info.logDir}</code>
              </dd>
            </div>
          </dl>
        </section>
      )}
    </section>
  );
}
