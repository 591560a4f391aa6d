/**
 * The sign flow: compose (files — each checked when added —, certificate, options, where the stamp
 * goes) → confirm (exactly what will be signed: names, sizes, SHA-256, every page, the stamp as it
 * will look, the certificate) → signing (per-file progress; the PIN dialog appears on top) →
 * results (open, show in folder, signer and times, per-file errors, try again).
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ErrorInfo, FileRef, FilesAdded, SignOutcome, SignPlan, SignProgress, StampPlacement, TokensSnapshot } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { CertificatePicker } from './CertificatePicker';
import { ErrorNotice } from './ErrorNotice';
import { ConfirmView } from './sign/ConfirmView';
import { FileList } from './sign/FileList';
import { ResultsView } from './sign/ResultsView';
import { problemsOf, useFileChecks } from './sign/useFileChecks';
import { defaultPlacement, layoutKey } from './stamp/geometry';
import { StampPlacer } from './stamp/StampPlacer';

export { groupHex } from './sign/ConfirmView';

type FormatChoice = 'auto' | 'pades' | 'cades' | 'asice';

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

export function SignFlow({ snapshot, tsaConfigured, timestampByDefault, onDetails, incomingFiles, onIncomingConsumed, pickRequest }: SignFlowProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = getApi();
  const [files, setFiles] = useState<FileRef[]>([]);
  const [certUri, setCertUri] = useState<string | null>(null);
  const [format, setFormat] = useState<FormatChoice>('auto');
  const [timestamp, setTimestamp] = useState(timestampByDefault && tsaConfigured);
  /** '' = time-stamp only (B-T); LT / LTA add validation data (and an archive time-stamp). */
  const [level, setLevel] = useState<'' | 'LT' | 'LTA'>('');
  const [visible, setVisible] = useState(false);
  const [placement, setPlacement] = useState<StampPlacement | null>(null);
  const [placementLayout, setPlacementLayout] = useState<string | null>(null);
  const [rejected, setRejected] = useState<FilesAdded['rejected']>([]);
  const [reason, setReason] = useState('');
  const [location, setLocation] = useState('');
  const [step, setStep] = useState<Step>({ name: 'compose' });
  const [error, setError] = useState<ErrorInfo | null>(null);
  /** Set when the user cancelled at the PIN (or before anything was signed): a neutral notice on
   *  the compose step, not the failure page — cancelling is a decision, not an error (issue 8 §3). */
  const [cancelled, setCancelled] = useState(false);
  const [progress, setProgress] = useState<Record<string, SignProgress>>({});
  const [dragging, setDragging] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const checks = useFileChecks(files);

  const addFiles = useCallback((refs: FileRef[]) => {
    setFiles((prev) => [...prev, ...refs.filter((r) => !prev.some((p) => p.id === r.id))]);
    setError(null);
  }, []);
  const added = useCallback(
    (r: FilesAdded) => {
      addFiles(r.files);
      setRejected(r.rejected);
    },
    [addFiles],
  );

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
    if (r.ok) added(r.value);
    else setError(r.error);
  }, [api, added]);

  useEffect(() => {
    if (pickRequest > 0) void pick();
  }, [pickRequest, pick]);

  const onDrop = async (e: React.DragEvent): Promise<void> => {
    e.preventDefault();
    setDragging(false);
    const dropped = [...e.dataTransfer.files];
    if (dropped.length === 0) return;
    const r = await api.filesFromDrop(dropped);
    if (r.ok) added(r.value);
    else setError(r.error);
  };

  const cert = snapshot?.certificates.find((c) => c.uri === certUri) ?? null;
  const anyPdf = files.some((f) => f.isPdf);
  const nonPdfWithPades = format === 'pades' && files.some((f) => !f.isPdf);
  // The stamp is placed on the first PDF of the batch (once its check has its pages).
  const firstPdf = files.find((f) => f.isPdf);
  const firstPdfState = firstPdf ? checks[firstPdf.id] : undefined;
  const firstPdfCheck = firstPdfState?.status === 'done' && firstPdfState.check.pdf && firstPdfState.check.problems.length === 0 ? firstPdfState.check : null;
  // A container (.asice) for several files, or to add a signature to one container.
  const containerPossible = files.length > 1 || (files.length === 1 && /\.asice$/i.test(files[0]!.name));
  const stampWanted = visible && anyPdf && format !== 'cades' && format !== 'asice';
  const layout = firstPdfCheck?.pdf ? layoutKey(firstPdfCheck.pdf.pages) : null;
  useEffect(() => {
    if (!layout || !firstPdfCheck?.pdf || layout === placementLayout) return;
    setPlacementLayout(layout);
    const fallback = defaultPlacement(firstPdfCheck.pdf.pages);
    setPlacement(fallback);
    // The last placement for this layout, when there is one.
    void api.call('stamp.getPlacement', { layout }).then((r) => {
      if (r.ok && r.value) setPlacement(r.value);
    });
  }, [api, layout, placementLayout, firstPdfCheck]);
  const withProblems = files.filter((f) => problemsOf(checks[f.id]).length > 0);
  const checking = files.some((f) => !checks[f.id] || checks[f.id]!.status === 'checking');
  const blockers: string[] = [];
  if (files.length === 0) blockers.push(t('sign.needFiles'));
  if (withProblems.length > 0) blockers.push(t('sign.fixProblems', { n: withProblems.length, name: withProblems.map((f) => f.name).join(', ') }));
  if (checking) blockers.push(t('sign.checking'));
  if (!certUri) blockers.push(t('sign.needCert'));
  else if (!cert) blockers.push(t('sign.certGone'));
  if (nonPdfWithPades) blockers.push(t('sign.padesNeedsPdf'));
  if (format === 'asice' && !containerPossible) blockers.push(t('sign.asiceNeedsFiles'));
  if (format === 'asice' && timestamp && level === 'LTA') blockers.push(t('sign.asiceNoLta'));
  if (stampWanted && !placement) blockers.push(t('sign.stampNotReady'));

  const review = async (): Promise<void> => {
    if (blockers.length > 0 || !certUri) return;
    setError(null);
    setCancelled(false);
    setProgress({});
    setStep({ name: 'preparing' });
    const usePades = format === 'pades' || (format === 'auto' && anyPdf);
    const stamp = stampWanted && usePades && placement ? placement : null;
    if (stamp && layout) void api.call('stamp.setPlacement', { layout, placement: stamp });
    const r = await api.call('sign.prepare', {
      files: files.map((f) => f.id),
      certUri,
      format,
      timestamp,
      ...(timestamp && level ? { level } : {}),
      ...(stamp ? { visible: { page: stamp.page, rect: stamp.rect, ...(reason ? { reason } : {}), ...(location ? { location } : {}) } } : {}),
      ...(stamp?.field !== undefined ? { field: stamp.field } : {}),
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
    if (cancelledBeforeAnySignature(r.ok ? r.value : null, r.ok ? null : r.error)) {
      setCancelled(true);
      setStep({ name: 'compose' });
      return;
    }
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
    setRejected([]);
    setProgress({});
    setError(null);
    setCancelled(false);
    setStep({ name: 'compose' });
  };

  if (step.name === 'confirm') {
    const tokenLabel = snapshot?.tokens.find((tk) => tk.uri === step.plan.certificate.token)?.label;
    const stamp = stampWanted && placement && step.plan.items.some((i) => i.format === 'pades') ? { placement, ...(reason ? { reason } : {}), ...(location ? { location } : {}) } : null;
    return (
      <ConfirmView
        plan={step.plan}
        tokenLabel={tokenLabel}
        headingRef={headingRef}
        checks={checks}
        stamp={stamp}
        onBack={() => void cancelPlan(step.plan)}
        onSign={() => void confirm(step.plan)}
        onDetails={onDetails}
      />
    );
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
      {cancelled && !error && (
        <p className="notice notice-info" role="status" data-testid="sign-cancelled">
          {t('sign.cancelledNothingSigned')}
        </p>
      )}

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
          {files.length === 0 && <p className="muted">{t('sign.dropHint')}</p>}
          <FileList
            files={files}
            checks={checks}
            formatLabel={(f) => formatLabel(t, format, f.isPdf)}
            onRemove={(id) => setFiles((prev) => prev.filter((p) => p.id !== id))}
            rejected={rejected}
            onDismissRejected={() => setRejected([])}
          />
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
              {(containerPossible || format === 'asice') && <option value="asice">{t('sign.format.asice')}</option>}
            </select>
            <span className="field-hint">{format === 'asice' ? t('sign.formatHint.asice') : t('sign.formatHint')}</span>
          </label>
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={timestamp} disabled={!tsaConfigured} onChange={(e) => setTimestamp(e.target.checked)} />
              {t('sign.timestamp')}
            </label>
            <span className="field-hint">{tsaConfigured ? t('sign.timestampHint') : t('sign.timestampNoTsa')}</span>
          </div>
          {tsaConfigured && (
            <label className="field">
              <span className="field-label">{t('sign.level')}</span>
              <select className="input" value={level} disabled={!timestamp} onChange={(e) => setLevel(e.target.value as '' | 'LT' | 'LTA')}>
                <option value="">{t('sign.level.t')}</option>
                <option value="LT">{t('sign.level.lt')}</option>
                <option value="LTA" disabled={format === 'asice'}>{t('sign.level.lta')}</option>
              </select>
              <span className="field-hint">{t('sign.levelHint')}</span>
            </label>
          )}
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={visible} disabled={!anyPdf || format === 'cades' || format === 'asice'} onChange={(e) => setVisible(e.target.checked)} />
              {t('sign.visible')}
            </label>
            <span className="field-hint">{t('sign.visibleHint')}</span>
          </div>
          {stampWanted && (
            <>
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
        {stampWanted && firstPdf && (
          <div className="stamp-section">
            <h3 className="subsection-title">{t('stamp.title', { name: firstPdf.name })}</h3>
            {files.filter((f) => f.isPdf).length > 1 && <p className="muted small">{t('stamp.appliesToAll')}</p>}
            {firstPdfCheck && placement ? (
              <StampPlacer file={firstPdf} check={firstPdfCheck} placement={placement} onChange={setPlacement} />
            ) : (
              <p className="muted">{problemsOf(firstPdfState).length > 0 ? t('stamp.cannotPlace') : t('files.checking')}</p>
            )}
          </div>
        )}
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
  if (format === 'asice') return t('format.asice');
  if (format === 'cades' || (format === 'auto' && !isPdf)) return t('format.cades');
  return t('format.pades');
}

/** The user cancelled (the PIN dialog's Cancel or Escape) and not one file was signed. */
export function cancelledBeforeAnySignature(outcome: SignOutcome | null, error: ErrorInfo | null): boolean {
  if (error) return error.code === 'USER_CANCELLED';
  const items = outcome?.items ?? [];
  return items.length > 0 && items.every((i) => !i.ok && i.error?.code === 'USER_CANCELLED');
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
