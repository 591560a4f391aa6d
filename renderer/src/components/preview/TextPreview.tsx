/** A text file shown as text (the first 64 KB; the rest is said, not hidden). */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import type { ByteSource } from '../../lib/pdf/byte-source';
import './preview.css';

const LIMIT = 64 * 1024;

export function TextPreview({ source, label }: { source: ByteSource; label: string }) {
  const { t, formatBytes } = useI18n();
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    source.read(0, Math.min(LIMIT, source.size)).then(
      (bytes) => live && setText(new TextDecoder('utf-8', { fatal: false }).decode(bytes)),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
    // The source is identified by its key.
  }, [source.key]);
  if (failed) return <p className="notice notice-warning">{t('preview.failed')}</p>;
  if (text === null) return <p className="muted preview-status">{t('preview.loading')}</p>;
  return (
    <div data-testid="text-preview">
      <pre className="text-preview" tabIndex={0} aria-label={t('preview.textLabel', { name: label })}>
        {text}
      </pre>
      {source.size > LIMIT && <p className="muted small">{t('preview.textTruncated', { shown: formatBytes(LIMIT), size: formatBytes(source.size) })}</p>}
    </div>
  );
}
