/**
 * Check what you receive (issue 12 §4): open or drop a signed PDF or a .p7s (its content is found
 * next to it, or asked for), and see a panel per signature. "Open with Signet" on a signed file
 * lands here; a signed PDF can still be sent to the sign flow to add one's own signature.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, FileRef, FilesAdded, VerifyResult } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { getApi } from '../../lib/api';
import { fileByteSource } from '../../lib/pdf/byte-source';
import { ErrorNotice } from '../ErrorNotice';
import { PdfPreview } from '../preview/PdfPreview';
import { SignaturePanel } from './SignaturePanel';
import '../preview/preview.css';

type DocState =
  | { status: 'verifying' }
  | { status: 'done'; result: VerifyResult }
  | { status: 'failed'; error: ErrorInfo };

interface VerifyDoc {
  file: FileRef;
  /** Opened from outside (open-with): say why it landed here. */
  fromOutside: boolean;
  state: DocState;
}

export interface VerifyPageProps {
  /** Signed files handed to the app from outside. */
  incoming: FileRef[];
  onIncomingConsumed(): void;
  /** "Sign this PDF too": hand a file to the sign flow. */
  onSign(file: FileRef): void;
}

export function VerifyPage({ incoming, onIncomingConsumed, onSign }: VerifyPageProps) {
  const { t } = useI18n();
  const api = getApi();
  const [docs, setDocs] = useState<VerifyDoc[]>([]);
  const [rejected, setRejected] = useState<FilesAdded['rejected']>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [dragging, setDragging] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const update = (id: string, state: DocState): void => setDocs((prev) => prev.map((d) => (d.file.id === id ? { ...d, state } : d)));

  const verify = useCallback(
    async (file: FileRef, contentFileId?: string): Promise<void> => {
      update(file.id, { status: 'verifying' });
      const r = await api.call('verify.file', { fileId: file.id, ...(contentFileId ? { contentFileId } : {}) });
      update(file.id, r.ok ? { status: 'done', result: r.value } : { status: 'failed', error: r.error });
    },
    [api],
  );

  const open = useCallback(
    (files: FileRef[], fromOutside: boolean): void => {
      setDocs((prev) => [...files.map((file) => ({ file, fromOutside, state: { status: 'verifying' } as DocState })), ...prev.filter((d) => !files.some((f) => f.id === d.file.id))]);
      for (const f of files) void verify(f);
      setError(null);
    },
    [verify],
  );

  useEffect(() => {
    if (incoming.length === 0) return;
    open(incoming, true);
    onIncomingConsumed();
    headingRef.current?.focus();
  }, [incoming, open, onIncomingConsumed]);

  const added = (r: FilesAdded): void => {
    setRejected(r.rejected);
    open(r.files, false);
  };
  const pick = async (): Promise<void> => {
    const r = await api.call('files.pick', { multiple: true });
    if (r.ok) added(r.value);
    else setError(r.error);
  };
  const pickContent = async (doc: VerifyDoc): Promise<void> => {
    const r = await api.call('files.pick', { multiple: false });
    if (!r.ok) return setError(r.error);
    setRejected(r.value.rejected);
    const content = r.value.files[0];
    if (content) await verify(doc.file, content.id);
  };
  const onDrop = async (e: React.DragEvent): Promise<void> => {
    e.preventDefault();
    setDragging(false);
    const dropped = [...e.dataTransfer.files];
    if (dropped.length === 0) return;
    const r = await api.filesFromDrop(dropped);
    if (r.ok) added(r.value);
    else setError(r.error);
  };

  return (
    <section className="page" aria-labelledby="verify-heading" data-testid="verify-page">
      <h1 id="verify-heading" className="page-title" tabIndex={-1} ref={headingRef}>
        {t('verify.title')}
      </h1>
      <p className="muted">{t('verify.lead')}</p>
      {error && <ErrorNotice error={error} />}
      <div
        className={`dropzone${dragging ? ' is-dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
        data-testid="verify-dropzone"
      >
        <p className="muted">{t('verify.dropHint')}</p>
        <button type="button" className="button" onClick={() => void pick()}>
          {t('verify.open')}
        </button>
      </div>
      {rejected.map((r, i) => (
        <ErrorNotice key={i} error={{ ...r.error, details: { ...r.error.details, name: r.name } }} compact title={t('files.notAdded', { name: r.name })} />
      ))}
      {docs.map((doc) => (
        <VerifyCard key={doc.file.id} doc={doc} onPickContent={() => void pickContent(doc)} onSign={() => onSign(doc.file)} onClose={() => setDocs((prev) => prev.filter((d) => d.file.id !== doc.file.id))} />
      ))}
    </section>
  );
}

function VerifyCard({ doc, onPickContent, onSign, onClose }: { doc: VerifyDoc; onPickContent(): void; onSign(): void; onClose(): void }) {
  const { t } = useI18n();
  const s = doc.state;
  const result = s.status === 'done' ? s.result : null;
  const report = result?.status === 'verified' ? result.report : null;
  const validCount = report?.signatures.filter((x) => x.valid).length ?? 0;
  return (
    <section className="card-section verify-doc" aria-labelledby={`vd-${doc.file.id}`} data-testid="verify-doc" data-file={doc.file.name}>
      <div className="section-header">
        <h2 className="section-title file-name" id={`vd-${doc.file.id}`}>
          {doc.file.name}
        </h2>
        <button type="button" className="button button-small button-ghost" onClick={onClose} aria-label={t('verify.closeFor', { name: doc.file.name })}>
          {t('common.close')}
        </button>
      </div>
      {doc.fromOutside && report && <p className="notice notice-info notice-compact">{report.format === 'pades' ? t('verify.openedSignedPdf') : t('verify.openedSignature')}</p>}
      {s.status === 'verifying' && (
        <p className="muted" role="status">
          {t('verify.verifying')}
        </p>
      )}
      {s.status === 'failed' && <ErrorNotice error={s.error} />}
      {result?.status === 'needs-content' && (
        <div className="notice notice-warning" data-testid="needs-content">
          <span>{result.expectedName ? t('verify.needsContentNamed', { name: result.expectedName }) : t('verify.needsContent')}</span>{' '}
          <button type="button" className="button button-small" onClick={onPickContent}>
            {t('verify.chooseContent')}
          </button>
        </div>
      )}
      {report && (
        <>
          <div className={`verdict ${report.valid ? 'is-valid' : 'is-invalid'}`} role="status" data-testid="verdict" data-valid={report.valid ? 'true' : 'false'}>
            <span className="verdict-icon" aria-hidden="true">
              {report.valid ? '✓' : '✗'}
            </span>
            <div>
              <strong>{report.valid ? t('verify.allValid', { n: report.signatures.length }) : t('verify.notAllValid', { ok: validCount, n: report.signatures.length })}</strong>
              {result?.status === 'verified' && result.content && <p className="muted small">{t('verify.contentIs', { name: result.content.name })}</p>}
            </div>
          </div>
          {report.signatures.map((sig) => (
            <SignaturePanel key={sig.index} sig={sig} total={report.signatures.length} />
          ))}
          {report.format === 'pades' && (
            <>
              <details className="details">
                <summary>{t('verify.showDocument')}</summary>
                <PdfPreview source={fileByteSource(doc.file.id, doc.file.size)} label={doc.file.name} maxHeight={480} />
              </details>
              <div className="page-actions">
                <button type="button" className="button" onClick={onSign}>
                  {t('verify.signToo')}
                </button>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
