import type { ErrorInfo } from '../../../electron/api';
import { useI18n } from '../i18n';
import { describeError } from '../lib/errors';

/** An error as a human message: what happened (title), what to do (action), and main's own words as a technical detail. */
export function ErrorNotice({ error, compact = false, title }: { error: ErrorInfo; compact?: boolean; title?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const human = describeError(t, error, i18n);
  if (title) human.title = title;
  return (
    <div className={`notice notice-error${compact ? ' notice-compact' : ''}`} role="alert" data-error-code={error.code} data-error-reason={typeof error.details?.reason === 'string' ? error.details.reason : undefined}>
      <strong className="notice-title">{human.title}</strong>
      <span className="notice-body">{human.action}</span>
      {human.detail && human.detail !== human.action && (
        <span className="notice-detail small muted">
          {t('error.detail')} {human.detail}
        </span>
      )}
    </div>
  );
}
