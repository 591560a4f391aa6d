/**
 * The sign flow: compose (files, certificate, options) → confirm (exactly what will be signed:
 * names, sizes, SHA-256, certificate) → signing (per-file progress; the PIN dialog appears on top)
 * → results (show in folder, per-file errors, try again).
 */
import { Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ErrorInfo, FileRef, SignOutcome, SignPlan, SignProgress, TokensSnapshot } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { Badge } from './Badge';
import { CertificateCard } from './CertificateCard';
import { CertificatePicker } from './CertificatePicker';
import { ErrorNotice } from './ErrorNotice';

type FormatChoice = 'auto' | 'pades' | 'cades';

type Step =
  | { name: 'compose' }
  | { name: 'preparing' }
  | { name: 'confirm'; plan: SignPlan }
  | { name: 'signing'; plan: SignPlan }
  | { name: 'results'; plan: SignPlan; outcome: SignOutcome | null; error: ErrorInfo | null };

export interface SignFlowProps {
  snapshot: TokensSnapshot | null;
  tsaConfigured: boolean;
  timestampByDefault: boolean;
  onDetails(uri: string): void;
  /** Files handed to the app from outside (open-with, menu). */
  incomingFiles: FileRef[];
  onIncomingConsumed(): void;
  /** Bumped by the menu's "Open files…". */
  pickRequest: number;
}

const DEFAULT_RECT = { x: 36, y: 36, width: 220, height: 64 };

export function SignFlow({ snapshot, tsaConfigured, timestampByDefault, onDetails, incomingFiles, onIncomingConsumed, pickRequest }: SignFlowProps) {
  const i18n = useI18n();
  const { t, formatBytes } = i18n;
  const api = getApi();
  const [files, setFiles] = useState<FileRef[]>([]);
  const [certUri, setCertUri] = useState<string | null>(null);
  const [format, setFormat] = useState<FormatChoice>('auto');
  const [timestamp, setTimestamp] = useState(timestampByDefault && tsaConfigured);
  const [visible, setVisible] = useState(false);
  const [visiblePage, setVisiblePage] = useState<'first' | 'last'>('last');
  const [reason, setReason] = useState('');
  const [location, setLocation] = useState('');
  const [step, setStep] = useState<Step>({ name: 'compose' });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [progress, setProgress] = useState<Record<string, SignProgress>>({});
  const [dragging, setDragging] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const addFiles = useCallback((refs: FileRef[]) => {
    setFiles((prev) => [...prev, ...refs.filter((r) => !prev.some((p) => p.id === r.id))]);
    setError(null);
  }, []);

  useEffect(() => {
    if (incomingFiles.length > 0) {
      addFiles(incomingFiles);
      onIncomingConsumed();
    }
  }, [incomingFiles, addFiles, onIncomingConsumed]);

  useEffect(() => api.on('sign.progress', (p) => setProgress((prev) => ({ ...prev, [p.fileId]: p }))), [api]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step.name]);

  const pick = useCallback(async () => {
    const r = await api.call('files.pick', { multiple: true });
    if (r.ok) addFiles(r.value);
    else setError(r.error);
  }, [api, addFiles]);

  useEffect(() => {
    if (pickRequest > 0) void pick();
  }, [pickRequest, pick]);

  const onDrop = async (e: React.DragEvent): Promise<void> => {
    e.preventDefault();
    setDragging(false);
    const dropped = [...e.dataTransfer.files];
    if (dropped.length === 0) return;
    const r = await api.filesFromDrop(dropped);
    if (r.ok) addFiles(r.value);
    else setError(r.error);
  };

  const cert = snapshot?.certificates.find((c) => c.uri === certUri) ?? null;
  const anyPdf = files.some((f) => f.isPdf);
  const nonPdfWithPades = format === 'pades' && files.some((f) => !f.isPdf);
  const blockers: string[] = [];
  if (files.length === 0) blockers.push(t('sign.needFiles'));
  if (!certUri) blockers.push(t('sign.needCert'));
  else if (!cert) blockers.push(t('sign.certGone'));
  if (nonPdfWithPades) blockers.push(t('sign.padesNeedsPdf'));

  const review = async (): Promise<void> => {
    if (blockers.length > 0 || !certUri) return;
    setError(null);
    setProgress({});
    setStep({ name: 'preparing' });
    const usePades = format === 'pades' || (format === 'auto' && anyPdf);
    const r = await api.call('sign.prepare', {
      files: files.map((f) => f.id),
      certUri,
      format,
      timestamp,
      ...(visible && usePades
        ? { visible: { page: visiblePage === 'first' ? 1 : 0, rect: DEFAULT_RECT, ...(reason ? { reason } : {}), ...(location ? { location } : {}) } }
        : {}),
    });
    if (r.ok) setStep({ name: 'confirm', plan: r.value });
    else {
      setError(r.error);
      setStep({ name: 'compose' });
    }
  };

  const confirm = async (plan: SignPlan): Promise<void> => {
    setProgress({});
    setStep({ name: 'signing', plan });
    const r = await api.call('sign.confirm', { planId: plan.planId });
    setStep({ name: 'results', plan, outcome: r.ok ? r.value : null, error: r.ok ? null : r.error });
  };

  const cancelPlan = async (plan: SignPlan): Promise<void> => {
    await api.call('sign.cancel', { planId: plan.planId });
    setStep({ name: 'compose' });
  };

  const retryFailed = (outcome: SignOutcome | null): void => {
    if (outcome) {
      const failed = new Set(outcome.items.filter((i) => !i.ok).map((i) => i.file.id));
      setFiles((prev) => prev.filter((f) => failed.has(f.id)));
    }
    setStep({ name: 'compose' });
  };

  const startOver = (): void => {
    setFiles([]);
    setProgress({});
    setError(null);
    setStep({ name: 'compose' });
  };

  if (step.name === 'confirm') {
    const tokenLabel = snapshot?.tokens.find((tk) => tk.uri === step.plan.certificate.token)?.label;
    return <ConfirmView plan={step.plan} tokenLabel={tokenLabel} headingRef={headingRef} onBack={() => void cancelPlan(step.plan)} onSign={() => void confirm(step.plan)} onDetails={onDetails} />;
  }
  if (step.name === 'signing' || step.name === 'preparing') {
    const plan = step.name === 'signing' ? step.plan : null;
    return (
      <section className="page" aria-labelledby="progress-heading">
        <h1 id="progress-heading" className="page-title" tabIndex={-1} ref={headingRef}>
          {plan ? t('sign.signingTitle') : t('sign.preparingTitle')}
        </h1>
        <p className="muted">{plan ? t('sign.signingHint') : t('sign.preparingHint')}</p>
        <ul className="progress-list" aria-live="polite">
          {files.map((f) => {
            const p = progress[f.id];
            const pct = p && p.bytesTotal > 0 ? Math.round((p.bytesDone / p.bytesTotal) * 100) : p?.phase === 'done' ? 100 : 0;
            return (
              <li key={f.id} className="progress-item">
                <div className="progress-row">
                  <span className="file-name">{f.name}</span>
                  <span className="muted">{p ? t(`phase.${p.phase}`) : t('phase.queued')}</span>
                </div>
                <progress className="progress-bar" max={100} value={pct} aria-label={t('sign.progressFor', { name: f.name })} />
              </li>
            );
          })}
        </ul>
        <div className="page-actions">
          {plan && (
            <button type="button" className="button" onClick={() => void cancelPlan(plan)}>
              {t('common.cancel')}
            </button>
          )}
        </div>
      </section>
    );
  }
  if (step.name === 'results') {
    return <ResultsView step={step} headingRef={headingRef} onRetry={() => retryFailed(step.outcome)} onNew={startOver} />;
  }

  return (
    <section className="page sign-compose" aria-labelledby="compose-heading">
      <h1 id="compose-heading" className="page-title" tabIndex={-1} ref={headingRef}>
        {t('sign.title')}
      </h1>
      {error && <ErrorNotice error={error} />}

      <section className="card-section" aria-labelledby="files-heading">
        <StepHeading id="files-heading" step={1} title={t('sign.filesTitle')}>
          <button type="button" className="button" onClick={() => void pick()}>
            {t('sign.chooseFiles')}
          </button>
        </StepHeading>
        <div
          className={`dropzone${dragging ? ' is-dragging' : ''}${files.length > 0 ? ' has-files' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => void onDrop(e)}
          data-testid="dropzone"
        >
          {files.length === 0 ? (
            <p className="muted">{t('sign.dropHint')}</p>
          ) : (
            <ul className="file-list" aria-label={t('sign.filesTitle')}>
              {files.map((f) => (
                <li key={f.id} className="file-item">
                  <span className={`file-icon${f.isPdf ? ' is-pdf' : ''}`} aria-hidden="true">
                    {f.isPdf ? 'PDF' : 'DOC'}
                  </span>
                  <span className="file-name">{f.name}</span>
                  <span className="muted file-size">{formatBytes(f.size)}</span>
                  <Badge tone="neutral">{formatLabel(t, format, f.isPdf)}</Badge>
                  <button type="button" className="button button-small button-ghost" onClick={() => setFiles((prev) => prev.filter((p) => p.id !== f.id))} aria-label={t('sign.removeFile', { name: f.name })}>
                    {t('common.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <section className="card-section" aria-labelledby="cert-heading">
        <StepHeading id="cert-heading" step={2} title={t('sign.certTitle')} />
        <CertificatePicker snapshot={snapshot} mode="sign" selectedUri={certUri} onSelect={setCertUri} onDetails={onDetails} label={t('sign.certTitle')} />
      </section>

      <section className="card-section" aria-labelledby="options-heading">
        <StepHeading id="options-heading" step={3} title={t('sign.optionsTitle')} />
        <div className="options-grid">
          <label className="field">
            <span className="field-label">{t('sign.format')}</span>
            <select className="input" value={format} onChange={(e) => setFormat(e.target.value as FormatChoice)}>
              <option value="auto">{t('sign.format.auto')}</option>
              <option value="pades">{t('sign.format.pades')}</option>
              <option value="cades">{t('sign.format.cades')}</option>
            </select>
            <span className="field-hint">{t('sign.formatHint')}</span>
          </label>
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={timestamp} disabled={!tsaConfigured} onChange={(e) => setTimestamp(e.target.checked)} />
              {t('sign.timestamp')}
            </label>
            <span className="field-hint">{tsaConfigured ? t('sign.timestampHint') : t('sign.timestampNoTsa')}</span>
          </div>
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={visible} disabled={!anyPdf || format === 'cades'} onChange={(e) => setVisible(e.target.checked)} />
              {t('sign.visible')}
            </label>
            <span className="field-hint">{t('sign.visibleHint')}</span>
          </div>
          {visible && anyPdf && format !== 'cades' && (
            <>
              <label className="field">
                <span className="field-label">{t('sign.visiblePage')}</span>
                <select className="input" value={visiblePage} onChange={(e) => setVisiblePage(e.target.value as 'first' | 'last')}>
                  <option value="first">{t('sign.page.first')}</option>
                  <option value="last">{t('sign.page.last')}</option>
                </select>
              </label>
              <label className="field">
                <span className="field-label">{t('sign.reason')}</span>
                <input className="input" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
              </label>
              <label className="field">
                <span className="field-label">{t('sign.location')}</span>
                <input className="input" value={location} maxLength={200} onChange={(e) => setLocation(e.target.value)} />
              </label>
            </>
          )}
        </div>
      </section>

      <div className="sticky-actions">
        <p className="muted" id="review-blockers" aria-live="polite">
          {blockers[0] ?? t('sign.readyHint', { n: files.length, name: cert?.displayName ?? '' })}
        </p>
        <button type="button" className="button button-primary button-large" onClick={() => void review()} aria-disabled={blockers.length > 0} aria-describedby="review-blockers" disabled={blockers.length > 0}>
          {t('sign.review')}
        </button>
      </div>
    </section>
  );
}

function formatLabel(t: ReturnType<typeof useI18n>['t'], format: FormatChoice, isPdf: boolean): string {
  if (format === 'cades' || (format === 'auto' && !isPdf)) return t('format.cades');
  return t('format.pades');
}

function ConfirmView({
  plan,
  tokenLabel,
  headingRef,
  onBack,
  onSign,
  onDetails,
}: {
  plan: SignPlan;
  tokenLabel: string | undefined;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onBack(): void;
  onSign(): void;
  onDetails(uri: string): void;
}) {
  const { t, formatBytes } = useI18n();
  return (
    <section className="page" aria-labelledby="confirm-heading" data-testid="confirm">
      <h1 id="confirm-heading" className="page-title" tabIndex={-1} ref={headingRef}>
        {t('confirm.title')}
      </h1>
      <p className="lead">{t('confirm.lead', { n: plan.items.length })}</p>
      <section className="card-section" aria-labelledby="confirm-docs">
        <h2 id="confirm-docs" className="section-title">
          {t('confirm.documents')}
        </h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('confirm.col.name')}</th>
                <th scope="col">{t('confirm.col.size')}</th>
                <th scope="col">{t('confirm.col.format')}</th>
                <th scope="col">{t('confirm.col.output')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.items.map((item) => (
                <Fragment key={item.file.id}>
                  <tr className="row-main">
                    <td className="file-name">{item.file.name}</td>
                    <td className="nowrap">{formatBytes(item.file.size)}</td>
                    <td className="nowrap">{t(`format.${item.format}`)}</td>
                    <td className="file-name">{item.outputName}</td>
                  </tr>
                  <tr className="row-hash">
                    <td colSpan={4}>
                      <span className="hash-label">{t('confirm.col.sha256')}</span>{' '}
                      <code className="hash" title={item.sha256}>
                        {groupHex(item.sha256)}
                      </code>
                    </td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card-section" aria-labelledby="confirm-cert">
        <h2 id="confirm-cert" className="section-title">
          {t('confirm.certificate')}
        </h2>
        <CertificateCard cert={plan.certificate} tokenLabel={tokenLabel} onDetails={onDetails} />
        <p className="muted">{plan.timestamp ? t('confirm.withTimestamp', { url: plan.tsaUrl ?? '' }) : t('confirm.noTimestamp')}</p>
      </section>
      <div className="sticky-actions">
        <button type="button" className="button" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="button" className="button button-primary button-large" onClick={onSign} data-autofocus>
          {t('confirm.sign', { n: plan.items.length })}
        </button>
      </div>
    </section>
  );
}

/** SHA-256 in groups of 8 hex digits, as the eye can compare them. */
export function groupHex(hex: string): string {
  return hex.match(/.{1,8}/g)?.join(' ') ?? hex;
}

function ResultsView({
  step,
  headingRef,
  onRetry,
  onNew,
}: {
  step: Extract<Step, { name: 'results' }>;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onRetry(): void;
  onNew(): void;
}) {
  const { t, formatBytes } = useI18n();
  const api = getApi();
  const [showError, setShowError] = useState<ErrorInfo | null>(null);
  const items = step.outcome?.items ?? [];
  const okCount = items.filter((i) => i.ok).length;
  const failed = step.error !== null || items.some((i) => !i.ok);
  return (
    <section className="page" aria-labelledby="results-heading" data-testid="results">
      <h1 id="results-heading" className="page-title" tabIndex={-1} ref={headingRef}>
        {step.error || (items.length > 0 && okCount === 0) ? t('results.failedTitle') : failed ? t('results.partialTitle', { ok: okCount, n: items.length }) : t('results.doneTitle', { n: okCount })}
      </h1>
      {step.error && <ErrorNotice error={step.error} />}
      {showError && <ErrorNotice error={showError} />}
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
                  <span className="muted">
                    {t('results.savedAs', { name: item.output.name })} · {formatBytes(item.output.size)}
                  </span>
                ) : (
                  item.error && <ErrorNotice error={item.error} compact />
                )}
              </div>
              {item.ok && item.output && (
                <button
                  type="button"
                  className="button button-small"
                  onClick={async () => {
                    const r = await api.call('shell.showInFolder', { outputId: item.output!.id });
                    setShowError(r.ok ? null : r.error);
                  }}
                  aria-label={t('results.showInFolderFor', { name: item.output.name })}
                >
                  {t('results.showInFolder')}
                </button>
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

/** A numbered step's heading, with an optional action on its right. */
function StepHeading({ id, step, title, children }: { id: string; step: number; title: string; children?: ReactNode }) {
  return (
    <div className="section-header">
      <h2 id={id} className="section-title">
        <span className="step-number" aria-hidden="true">
          {step}
        </span>
        {title}
      </h2>
      {children}
    </div>
  );
}
