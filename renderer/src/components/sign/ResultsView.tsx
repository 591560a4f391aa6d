/**
 * After signing: per file, the output's name and size, who signed, when, and the time-stamp's
 * time when one was added; Open (the default application) and Show in folder; per-file errors.
 */
import { useState, type RefObject } from 'react';
import type { ErrorInfo, SignOutcome, SignPlan } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { getApi } from '../../lib/api';
import { ErrorNotice } from '../ErrorNotice';

export interface ResultsStep {
  plan: SignPlan;
  outcome: SignOutcome | null;
  error: ErrorInfo | null;
}

export function ResultsView({ step, headingRef, onRetry, onNew }: { step: ResultsStep; headingRef: RefObject<HTMLHeadingElement | null>; onRetry(): void; onNew(): void }) {
  const { t, formatBytes, formatDateTime } = useI18n();
  const api = getApi();
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const items = step.outcome?.items ?? [];
  const okCount = items.filter((i) => i.ok).length;
  const failed = step.error !== null || items.some((i) => !i.ok);
  const act = async (method: 'shell.openOutput' | 'shell.showInFolder', outputId: string): Promise<void> => {
    const r = await api.call(method, { outputId });
    setActionError(r.ok ? null : r.error);
  };
  return (
    <section className="page" aria-labelledby="results-heading" data-testid="results">
      <h1 id="results-heading" className="page-title" tabIndex={-1} ref={headingRef}>
        {step.error || (items.length > 0 && okCount === 0) ? t('results.failedTitle') : failed ? t('results.partialTitle', { ok: okCount, n: items.length }) : t('results.doneTitle', { n: okCount })}
      </h1>
      {step.error && <ErrorNotice error={step.error} />}
      {actionError && <ErrorNotice error={actionError} />}
      {items.length > 0 && (
        <ul className="result-list">
          {items.map((item) => (
            <li key={item.file.id} className={`result-item ${item.ok ? 'is-ok' : 'is-failed'}`} data-result={item.ok ? 'ok' : 'failed'}>
              <span className="result-icon" aria-hidden="true">
                {item.ok ? '✓' : '!'}
              </span>
              <div className="result-text">
                <span className="file-name">{item.file.name}</span>
                {item.ok && item.output ? (
                  <>
                    <span className="muted">
                      {t('results.savedAs', { name: item.output.name })} · {formatBytes(item.output.size)}
                    </span>
                    <span className="result-meta small" data-testid="result-meta">
                      {item.signer && <span>{t('results.signer', { name: item.signer })}</span>}
                      {item.signedAt && <span>{t('results.time', { time: formatDateTime(item.signedAt) })}</span>}
                      <span>{item.timestamp ? t('results.timestamp', { time: formatDateTime(item.timestamp) }) : t('results.noTimestamp')}</span>
                    </span>
                  </>
                ) : (
                  item.error && <ErrorNotice error={item.error} compact />
                )}
              </div>
              {item.ok && item.output && (
                <div className="result-actions">
                  <button type="button" className="button button-small" onClick={() => void act('shell.openOutput', item.output!.id)} aria-label={t('results.openFor', { name: item.output.name })}>
                    {t('results.open')}
                  </button>
                  <button type="button" className="button button-small" onClick={() => void act('shell.showInFolder', item.output!.id)} aria-label={t('results.showInFolderFor', { name: item.output.name })}>
                    {t('results.showInFolder')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="page-actions">
        {failed && (
          <button type="button" className="button button-primary" onClick={onRetry}>
            {t('results.retry')}
          </button>
        )}
        <button type="button" className={`button${failed ? '' : ' button-primary'}`} onClick={onNew}>
          {t('results.new')}
        </button>
      </div>
    </section>
  );
}
