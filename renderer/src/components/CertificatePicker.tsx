/**
 * Certificates with filters (purpose, text, hide expired). In 'sign' mode it is a radio group in
 * which only certificates with a private key and the signing purpose can be chosen.
 */
import { useId, useMemo, useState } from 'react';
import type { CertificateView, TokensSnapshot } from '../../../electron/api';
import { useI18n } from '../i18n';
import { CertificateCard, signingBlocker } from './CertificateCard';

export type PurposeFilter = 'signing' | 'authentication' | 'all';

export interface CertificatePickerProps {
  snapshot: TokensSnapshot | null;
  mode: 'sign' | 'browse';
  selectedUri?: string | null;
  onSelect?(uri: string): void;
  onDetails(uri: string): void;
  /** Heading level text; the group's accessible name. */
  label: string;
}

export function CertificatePicker({ snapshot, mode, selectedUri, onSelect, onDetails, label }: CertificatePickerProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const groupName = useId();
  const searchId = useId();
  const [purpose, setPurpose] = useState<PurposeFilter>(mode === 'sign' ? 'signing' : 'all');
  const [query, setQuery] = useState('');
  const [hideExpired, setHideExpired] = useState(false);

  const tokenLabel = useMemo(() => new Map(snapshot?.tokens.map((tk) => [tk.uri, tk.label]) ?? []), [snapshot]);
  const all = snapshot?.certificates ?? [];
  const visible = all
    .filter((c) => purpose === 'all' || c.purposes.includes(purpose))
    .filter((c) => !hideExpired || c.validity !== 'expired')
    .filter((c) => {
      const q = query.trim().toLowerCase();
      return !q || `${c.displayName} ${c.issuerDisplayName} ${c.subject} ${tokenLabel.get(c.token) ?? ''}`.toLowerCase().includes(q);
    })
    .sort((a, b) => rank(i18n, a, mode) - rank(i18n, b, mode) || a.displayName.localeCompare(b.displayName));

  return (
    <div className="cert-picker">
      <div className="filters" role="group" aria-label={t('certs.filters')}>
        <div className="segmented" role="radiogroup" aria-label={t('certs.purposeFilter')}>
          {(['signing', 'authentication', 'all'] as const).map((p) => (
            <label key={p} className={`segment${purpose === p ? ' is-active' : ''}`}>
              <input type="radio" name={`${groupName}-purpose`} value={p} checked={purpose === p} onChange={() => setPurpose(p)} />
              {t(`certs.filter.${p}`)}
            </label>
          ))}
        </div>
        <label htmlFor={searchId} className="visually-hidden">
          {t('certs.search')}
        </label>
        <input id={searchId} className="input input-search" type="search" placeholder={t('certs.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <label className="checkbox">
          <input type="checkbox" checked={hideExpired} onChange={(e) => setHideExpired(e.target.checked)} />
          {t('certs.hideExpired')}
        </label>
      </div>
      {snapshot === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : all.length === 0 ? (
        <div className="empty-state">
          <p className="empty-title">{t('certs.none')}</p>
          <p className="muted">{t('certs.noneHint')}</p>
        </div>
      ) : visible.length === 0 ? (
        <p className="muted">{t('certs.noMatch')}</p>
      ) : (
        <div className="cert-grid" role={mode === 'sign' ? 'radiogroup' : 'list'} aria-label={label}>
          {visible.map((c) => (
            <div key={c.uri} role={mode === 'sign' ? undefined : 'listitem'} className="cert-cell">
              <CertificateCard
                cert={c}
                tokenLabel={tokenLabel.get(c.token)}
                radioName={mode === 'sign' ? groupName : undefined}
                selected={selectedUri === c.uri}
                onSelect={onSelect}
                onDetails={onDetails}
                forSigning={mode === 'sign'}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Usable certificates first, then the ones that only explain why not. */
function rank(i18n: ReturnType<typeof useI18n>, c: CertificateView, mode: 'sign' | 'browse'): number {
  if (mode === 'browse') return 0;
  return signingBlocker(i18n, c) ? 1 : 0;
}
