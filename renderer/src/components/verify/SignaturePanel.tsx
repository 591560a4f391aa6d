/**
 * One signature as the verify view shows it (issue 12 §4): who signed, when (and whether a
 * time-stamp proves it, from which TSA), whether the content is intact, whether the certificate
 * chains to a trust anchor, what the certificate is for, and for PDFs whether the document was
 * changed after this signature. Verdict words come from the report's structured fields; core's
 * own sentences are kept under "Technical details".
 */
import type { PdfChange, SignatureReport } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { Badge } from '../Badge';

export function SignaturePanel({ sig, total }: { sig: SignatureReport; total: number }) {
  const { t, formatDateTime } = useI18n();
  const ts = sig.timestamp;
  const pdf = sig.pdf;
  return (
    <section className="sig-panel" aria-labelledby={`sig-${sig.index}`} data-testid="signature-panel" data-valid={sig.valid ? 'true' : 'false'}>
      <div className="sig-panel-header">
        <h3 className="sig-panel-title" id={`sig-${sig.index}`}>
          {sig.kind === 'doc-timestamp' ? t('verify.docTimestamp', { name: sig.signer }) : total > 1 ? t('verify.sigN', { i: sig.index, n: total, name: sig.signer }) : sig.signer}
        </h3>
        <Badge tone={sig.valid ? 'success' : 'danger'}>{sig.valid ? t('verify.valid') : t('verify.invalid')}</Badge>
      </div>
      <dl className="sig-facts">
        <dt>{t('verify.signer')}</dt>
        <dd>
          {sig.signer}
          {sig.signerSubject && <span className="muted small"> · {sig.signerSubject}</span>}
        </dd>
        <dt>{t('verify.signingTime')}</dt>
        <dd>{sig.signingTime ? `${formatDateTime(sig.signingTime)}${ts?.valid && ts.trusted ? '' : ` (${t('verify.claimed')})`}` : t('verify.unknown')}</dd>
        <dt>{t('verify.timestamp')}</dt>
        <dd data-testid="sig-timestamp">
          {!ts
            ? t('verify.noTimestamp')
            : ts.valid
              ? t(ts.trusted ? 'verify.timestampTrusted' : 'verify.timestampUntrusted', { time: formatDateTime(ts.time), tsa: ts.tsa })
              : t('verify.timestampInvalid')}
        </dd>
        <dt>{t('verify.integrity')}</dt>
        <dd data-testid="sig-integrity">
          <span className={sig.integrity ? 'tone-success' : 'tone-danger'}>{sig.integrity ? t('verify.intact') : t('verify.notIntact')}</span>
        </dd>
        <dt>{t('verify.chain')}</dt>
        <dd data-testid="sig-chain">
          <span className={sig.chain.trusted ? 'tone-success' : 'tone-danger'}>{sig.chain.trusted ? t('verify.trusted') : t('verify.untrusted')}</span>
          {sig.chain.certificates.length > 0 && (
            <ol className="sig-chain small">
              {sig.chain.certificates.map((c) => (
                <li key={c.fingerprintSha256}>{c.subject}</li>
              ))}
            </ol>
          )}
        </dd>
        {sig.xades && (
          <>
            <dt>{t('verify.covers')}</dt>
            <dd data-testid="sig-covers">
              {sig.xades.covers.join(', ') || t('verify.unknown')}
              {sig.xades.notCovered.length > 0 && <span className="tone-danger"> · {t('verify.notCovered', { names: sig.xades.notCovered.join(', ') })}</span>}
            </dd>
          </>
        )}
        {sig.level && (
          <>
            <dt>{t('verify.level')}</dt>
            <dd data-testid="sig-level">{t(`verify.level.${sig.level}`)}</dd>
          </>
        )}
        {sig.kind !== 'doc-timestamp' && (
          <>
            <dt>{t('verify.revocation')}</dt>
            <dd data-testid="sig-revocation">
              {!sig.revocation || sig.revocation.status === 'none' ? (
                t('verify.revocationNotChecked')
              ) : (
                <span className={sig.revocation.status === 'good' ? 'tone-success' : sig.revocation.status === 'revoked' ? 'tone-danger' : undefined}>
                  {t(`verify.revocation.${sig.revocation.status}`)}
                </span>
              )}
            </dd>
          </>
        )}
        <dt>{t('verify.purpose')}</dt>
        <dd>
          {sig.purposes.length === 0 ? t('verify.unknown') : sig.purposes.map((p) => t(`cert.purpose.${p}`)).join(', ')}
          {!sig.purposes.includes('signing') && sig.purposes.length > 0 && <span className="tone-danger"> · {t('verify.notForSigning')}</span>}
        </dd>
        {pdf && (
          <>
            <dt>{t('verify.field')}</dt>
            <dd>{pdf.field}</dd>
            {pdf.certification && (
              <>
                <dt>{t('verify.certification')}</dt>
                <dd>{t(`verify.certified.p${pdf.certification.permission}`)}</dd>
              </>
            )}
            <dt>{t('verify.changes')}</dt>
            <dd data-testid="sig-changes">
              {pdf.coversWholeDocument ? t('verify.noChanges') : pdf.laterRevisions > 0 ? t('verify.laterRevisions', { n: pdf.laterRevisions }) : t('verify.notWholeFile')}
              {pdf.changes && pdf.changes.length > 0 && (
                <ul className="sig-changes small" data-testid="sig-change-list">
                  {pdf.changes.map((c, i) => (
                    <li key={i} className={c.permitted ? 'tone-success' : 'tone-danger'} data-change={c.kind} data-permitted={c.permitted ? 'true' : 'false'}>
                      {changeText(t, c)} — {t(c.permitted ? 'verify.change.permitted' : 'verify.change.forbidden')} ({t(`verify.rule.${c.rule}`)})
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            {pdf.reason && (
              <>
                <dt>{t('verify.reason')}</dt>
                <dd>{pdf.reason}</dd>
              </>
            )}
            {pdf.location && (
              <>
                <dt>{t('verify.location')}</dt>
                <dd>{pdf.location}</dd>
              </>
            )}
          </>
        )}
      </dl>
      {(sig.errors.length > 0 || sig.warnings.length > 0) && (
        <details className="details">
          <summary>{t('verify.technical')}</summary>
          <ul className="small">
            {sig.errors.map((e, i) => (
              <li key={`e${i}`} className="tone-danger">
                {e}
              </li>
            ))}
            {sig.warnings.map((w, i) => (
              <li key={`w${i}`} className="tone-warning">
                {w}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** "Form field “Name” filled in (page 2)" — the kind of change, with where it happened. */
function changeText(t: ReturnType<typeof useI18n>['t'], c: PdfChange): string {
  const what = c.field ? t(`verify.change.${c.kind}.field`, { field: c.field }) : t(`verify.change.${c.kind}`);
  return c.page !== undefined ? t('verify.change.onPage', { what, page: c.page }) : what;
}
