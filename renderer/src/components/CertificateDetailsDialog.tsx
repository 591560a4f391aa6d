/** The details view: every field by section, the chain, fingerprints, and the PEM. */
import { useEffect, useState } from 'react';
import type { CertificateDetails, ErrorInfo } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { CertificateCard } from './CertificateCard';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';

export function CertificateDetailsDialog({ certUri, onClose }: { certUri: string; onClose(): void }) {
  const { t } = useI18n();
  const [details, setDetails] = useState<CertificateDetails | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let live = true;
    void getApi()
      .call('certificates.details', { certUri })
      .then((r) => {
        if (!live) return;
        if (r.ok) setDetails(r.value);
        else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [certUri]);

  return (
    <Modal
      title={details ? details.summary.displayName : t('cert.detailsTitle')}
      size="large"
      onEscape={onClose}
      testId="cert-details"
      footer={
        <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
          {t('common.close')}
        </button>
      }
    >
      {error && <ErrorNotice error={error} />}
      {!details && !error && <p className="muted">{t('common.loading')}</p>}
      {details && (
        <div className="details">
          <CertificateCard cert={details.summary} />
          <section className="details-section">
            <h3>{t('cert.chain')}</h3>
            <ol className="chain">
              {details.chain.map((c) => (
                <li key={c.fingerprintSha256}>
                  <span>{c.subject}</span>
                  <span className="muted"> — {t(`cert.source.${c.source}`)}</span>
                </li>
              ))}
            </ol>
            <p className={details.chainTrusted ? 'tone-success' : 'tone-warning'}>{details.chainTrusted ? t('cert.chainTrusted') : t('cert.chainUntrusted')}</p>
          </section>
          {details.sections.map((s) => (
            <section key={s.title} className="details-section">
              <h3>{s.title}</h3>
              <dl className="fields">
                {s.fields.map((f, i) => (
                  <div key={`${f.name}-${i}`} className="field-row">
                    <dt>{f.name}</dt>
                    <dd className={/^[0-9A-F:]{20,}$/i.test(f.value) ? 'mono' : undefined}>{f.value}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <details className="details-section">
            <summary>{t('cert.pem')}</summary>
            <pre className="pem">{details.pem}</pre>
          </details>
        </div>
      )}
    </Modal>
  );
}
