/**
 * One certificate: name, issuer, validity (with expiry warnings), purpose badges, key type, the
 * token it lives on. In a picker it is a radio option; a certificate that cannot make document
 * signatures is shown but not selectable, and says why.
 */
import { useId } from 'react';
import type { CertificateView } from '../../../electron/api';
import { useI18n, type I18n } from '../i18n';
import { Badge } from './Badge';

export function keyDescription(c: CertificateView): string {
  if (c.keyType === 'RSA') return `RSA ${c.keySize ?? ''}`.trim();
  return `EC ${c.curve ?? ''}`.trim();
}

export function validityText(i18n: I18n, c: CertificateView): { text: string; tone: 'success' | 'warning' | 'danger' | 'neutral' } {
  const { t, formatDate } = i18n;
  switch (c.validity) {
    case 'expired':
      return { text: t('cert.expiredOn', { date: formatDate(c.notAfter) }), tone: 'danger' };
    case 'not-yet-valid':
      return { text: t('cert.notYetValid', { date: formatDate(c.notBefore) }), tone: 'warning' };
    case 'expiring-soon':
      return { text: t('cert.expiresSoon', { n: Math.max(0, c.daysLeft), date: formatDate(c.notAfter) }), tone: 'warning' };
    case 'valid':
      return { text: t('cert.validUntil', { date: formatDate(c.notAfter) }), tone: 'neutral' };
  }
}

/** Why this certificate cannot sign documents, in the user's language, or null. */
export function signingBlocker(i18n: I18n, c: CertificateView): string | null {
  const { t, formatDate } = i18n;
  if (!c.hasPrivateKey) return t('cert.noKey');
  if (!c.notForSigning) return null;
  switch (c.notForSigning.code) {
    case 'KEY_PURPOSE_MISMATCH':
      return t('cert.authOnly');
    case 'CERT_EXPIRED':
      return t('cert.cannotSignExpired', { date: formatDate(c.notAfter) });
    case 'CERT_NOT_YET_VALID':
      return t('cert.cannotSignNotYet', { date: formatDate(c.notBefore) });
    default:
      return c.notForSigning.message;
  }
}

export interface CertificateCardProps {
  cert: CertificateView;
  tokenLabel?: string;
  /** Radio mode: name of the radio group. */
  radioName?: string;
  selected?: boolean;
  onSelect?(uri: string): void;
  onDetails?(uri: string): void;
  /** Show why it cannot sign (picker for document signatures). */
  forSigning?: boolean;
}

export function CertificateCard({ cert, tokenLabel, radioName, selected, onSelect, onDetails, forSigning }: CertificateCardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const validity = validityText(i18n, cert);
  const blocker = forSigning ? signingBlocker(i18n, cert) : null;
  const selectable = Boolean(radioName) && !blocker;
  // Unique per rendering: the same certificate can be on screen twice (picker + consent modal).
  const inputId = useId();
  const blockerId = `${inputId}-why`;
  return (
    <div className={`cert-card${selected ? ' is-selected' : ''}${blocker ? ' is-disabled' : ''}`} data-cert-name={cert.displayName} data-cert-uri={cert.uri}>
      {radioName && (
        <input
          id={inputId}
          className="cert-radio"
          type="radio"
          name={radioName}
          value={cert.uri}
          checked={Boolean(selected)}
          disabled={!selectable}
          aria-describedby={blocker ? blockerId : undefined}
          onChange={() => onSelect?.(cert.uri)}
        />
      )}
      <div className="cert-body">
        <label htmlFor={radioName ? inputId : undefined} className="cert-name">
          {cert.displayName}
        </label>
        <div className="cert-issuer">{t('cert.issuedBy', { issuer: cert.issuerDisplayName })}</div>
        <div className="badges">
          {cert.purposes.includes('signing') && <Badge tone="success">{t('cert.purpose.signing')}</Badge>}
          {cert.purposes.includes('authentication') && <Badge tone="info">{t('cert.purpose.authentication')}</Badge>}
          <Badge tone="neutral">{keyDescription(cert)}</Badge>
          {cert.alwaysAuthenticate && <Badge tone="neutral">{t('cert.perSignaturePin')}</Badge>}
        </div>
        <div className={`cert-validity tone-${validity.tone}`}>{validity.text}</div>
        {blocker && (
          <p id={blockerId} className="cert-blocker">
            {blocker}
          </p>
        )}
        {(tokenLabel || onDetails) && (
          <div className="cert-footer">
            {tokenLabel && <span className="cert-token">{t('cert.onToken', { label: tokenLabel })}</span>}
            {onDetails && (
              <button type="button" className="button button-small button-ghost cert-details-button" onClick={() => onDetails(cert.uri)} aria-label={t('cert.detailsFor', { name: cert.displayName })}>
                {t('cert.details')}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
