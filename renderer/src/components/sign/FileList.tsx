/**
 * The documents to sign, one row each: name, size, pages, format, and what the check found —
 * problems (the file cannot be signed as it is: shown here, before the confirm step) and notices
 * (already signed, certified, PDF/A). Refused files are listed too, with why: none is dropped
 * silently.
 */
import type { ErrorInfo, FileNotice, FileRef } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { Badge } from '../Badge';
import { ErrorNotice } from '../ErrorNotice';
import { problemsOf, type CheckState } from './useFileChecks';

export interface FileListProps {
  files: FileRef[];
  checks: Record<string, CheckState>;
  formatLabel(f: FileRef): string;
  onRemove(id: string): void;
  rejected: { name: string; error: ErrorInfo }[];
  onDismissRejected(): void;
}

export function FileList({ files, checks, formatLabel, onRemove, rejected, onDismissRejected }: FileListProps) {
  const { t, formatBytes } = useI18n();
  return (
    <>
      {files.length > 0 && (
        <ul className="file-list" aria-label={t('sign.filesTitle')}>
          {files.map((f) => {
            const state = checks[f.id];
            const check = state?.status === 'done' ? state.check : null;
            const problems = problemsOf(state);
            return (
              <li key={f.id} className="file-item-block" data-file={f.name} data-state={state?.status === 'checking' || !state ? 'checking' : problems.length > 0 ? 'problem' : 'ok'}>
                <div className="file-row">
                  <span className={`file-icon${f.isPdf ? ' is-pdf' : ''}`} aria-hidden="true">
                    {f.isPdf ? 'PDF' : 'DOC'}
                  </span>
                  <span className="file-name">{f.name}</span>
                  <span className="muted file-size">{formatBytes(f.size)}</span>
                  {check?.pdf && <span className="muted">{t('preview.pages', { n: check.pdf.pageCount })}</span>}
                  <Badge tone="neutral">{formatLabel(f)}</Badge>
                  {(!state || state.status === 'checking') && <span className="muted small">{t('files.checking')}</span>}
                  <button type="button" className="button button-small button-ghost" onClick={() => onRemove(f.id)} aria-label={t('sign.removeFile', { name: f.name })}>
                    {t('common.remove')}
                  </button>
                </div>
                {(problems.length > 0 || (check?.notices.length ?? 0) > 0) && (
                  <div className="file-notes">
                    {problems.map((p, i) => (
                      <ErrorNotice key={i} error={p} compact title={t('files.cannotSign')} />
                    ))}
                    {check?.notices.map((n, i) => (
                      <p key={i} className="notice notice-info notice-compact" data-notice={n.kind}>
                        {noticeText(t, n)}
                      </p>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {rejected.length > 0 && (
        <div className="file-notes" data-testid="rejected-files">
          {rejected.map((r, i) => (
            <ErrorNotice key={i} error={{ ...r.error, details: { ...r.error.details, name: r.name } }} compact title={t('files.notAdded', { name: r.name })} />
          ))}
          <button type="button" className="button button-small button-ghost" onClick={onDismissRejected}>
            {t('files.dismissRejected')}
          </button>
        </div>
      )}
    </>
  );
}

export function noticeText(t: ReturnType<typeof useI18n>['t'], n: FileNotice): string {
  switch (n.kind) {
    case 'already-signed':
      return t('files.notice.alreadySigned', { n: n.count });
    case 'certified':
      return t(n.permissions === 2 ? 'files.notice.certified2' : 'files.notice.certified3');
    case 'pdfa':
      return t('files.notice.pdfa', { conformance: n.conformance });
    case 'signature-file':
      return t('files.notice.signatureFile');
  }
}
