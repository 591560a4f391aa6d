/**
 * Check before you sign: each document with its name, size, format, output name and SHA-256,
 * and the document itself — every page of a PDF (scrolling, page count; the stamp drawn where
 * and as it will be), a text file as text, any other type named with its size — then the
 * certificate and the time-stamp. Only this plan can be signed (sign.confirm names its id).
 */
import { Fragment, type RefObject } from 'react';
import type { FileKind, SignPlan, StampPlacement } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { fileByteSource } from '../../lib/pdf/byte-source';
import { CertificateCard } from '../CertificateCard';
import { DocumentPreview } from '../preview/DocumentPreview';
import { resolvePage } from '../stamp/geometry';
import { StampLook } from '../stamp/StampLook';
import type { CheckState } from './useFileChecks';

export interface ConfirmViewProps {
  plan: SignPlan;
  tokenLabel: string | undefined;
  headingRef: RefObject<HTMLHeadingElement | null>;
  checks: Record<string, CheckState>;
  /** The visible signature, when there is one. */
  stamp: { placement: StampPlacement; reason?: string; location?: string } | null;
  onBack(): void;
  onSign(): void;
  onDetails(uri: string): void;
}

export function ConfirmView({ plan, tokenLabel, headingRef, checks, stamp, onBack, onSign, onDetails }: ConfirmViewProps) {
  const { t, formatBytes } = useI18n();
  const now = new Date();
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
      <section className="card-section" aria-labelledby="confirm-previews">
        <h2 id="confirm-previews" className="section-title">
          {t('confirm.whatIsSigned')}
        </h2>
        <div className="confirm-preview">
          {plan.items.map((item) => {
            const state = checks[item.file.id];
            const kind: FileKind = state?.status === 'done' ? state.check.kind : item.file.isPdf ? 'pdf' : 'other';
            const pageCount = state?.status === 'done' ? (state.check.pdf?.pageCount ?? 1) : 1;
            const stampPage = stamp && item.format === 'pades' ? resolvePage(stamp.placement.page, pageCount) : null;
            return (
              <details key={item.file.id} className="details" open data-testid="confirm-preview" data-file={item.file.name}>
                <summary>{item.file.name}</summary>
                <DocumentPreview
                  kind={kind}
                  name={item.file.name}
                  source={fileByteSource(item.file.id, item.file.size)}
                  maxHeight={460}
                  {...(stampPage !== null ? { focusPage: stampPage } : {})}
                  {...(stamp && stampPage !== null
                    ? {
                        overlay: (n: number, size: { width: number; height: number }, scale: number) =>
                          n === stampPage ? (
                            <StampLook
                              rect={stamp.placement.rect}
                              pageHeight={size.height}
                              scale={scale}
                              text={{ signer: plan.certificate.displayName, at: now, ...(stamp.reason ? { reason: stamp.reason } : {}), ...(stamp.location ? { location: stamp.location } : {}) }}
                            />
                          ) : null,
                      }
                    : {})}
                />
              </details>
            );
          })}
        </div>
      </section>
      <section className="card-section" aria-labelledby="confirm-cert">
        <h2 id="confirm-cert" className="section-title">
          {t('confirm.certificate')}
        </h2>
        <CertificateCard cert={plan.certificate} tokenLabel={tokenLabel} onDetails={onDetails} />
        <p className="muted">
          {plan.timestamp ? t('confirm.withTimestamp', { url: plan.tsaUrl ?? '' }) : t('confirm.noTimestamp')}
          {plan.level && ` · ${t(plan.level === 'LT' ? 'sign.level.lt' : 'sign.level.lta')}`}
        </p>
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
