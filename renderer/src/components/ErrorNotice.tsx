import type { ErrorInfo } from '../../../electron/api';
import { useI18n } from '../i18n';
import { describeError } from '../lib/errors';

/** An error as a human message: what happened (title) and what to do (action). */
export function ErrorNotice({ error, compact = false }: { error: ErrorInfo; compact?: boolean }) {
  const { t } = useI18n();
  const human = describeError(t, error);
  return (
    <div className={`notice notice-error${compact ? ' notice-compact' : ''}`} role="alert" data-error-code={error.code}>
      <strong className="notice-title">{human.title}</strong>
      <span className="notice-body">{human.action}</span>
    </div>
  );
}
