/**
 * A web page asks Signet for something (loopback API). The modal names the origin exactly
 * (scheme, host — punycode shown beside the Unicode form for IDN — and port), the operation, what
 * is signed (hash in groups / document name, size, preview) and the certificate. Approve leads to
 * the PIN dialog (core asks through the PIN prompt); Deny answers CONSENT_DENIED.
 */
import { useEffect, useId, useState } from 'react';
import type { ConsentRequestView, ErrorInfo, TokensSnapshot } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { CertificateCard } from './CertificateCard';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';
import { groupHex } from './SignFlow';

export function ConsentModal({ request, snapshot, onDone }: { request: ConsentRequestView; snapshot: TokensSnapshot | null; onDone(): void }) {
  const i18n = useI18n();
  const { t, formatBytes } = i18n;
  const groupName = useId();
  const [certUri, setCertUri] = useState<string | null>(request.candidates?.length === 1 ? request.candidates[0]!.uri : null);
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState(() => Math.max(0, Math.round((Date.parse(request.expiresAt) - Date.now()) / 1000)));

  useEffect(() => {
    const timer = setInterval(() => setSecondsLeft(Math.max(0, Math.round((Date.parse(request.expiresAt) - Date.now()) / 1000))), 1000);
    return () => clearInterval(timer);
  }, [request.expiresAt]);

  // sign-document: the page sends the document, the user picks which signing certificate signs it.
  const needsChoice = request.operation === 'share-certificate' || request.operation === 'authenticate' || request.operation === 'sign-document';
  const noCandidates = needsChoice && (request.candidates?.length ?? 0) === 0;
  const canApprove = !busy && !noCandidates && (!needsChoice || certUri !== null);
  const tokenLabel = new Map(snapshot?.tokens.map((tk) => [tk.uri, tk.label]) ?? []);

  const respond = async (approve: boolean): Promise<void> => {
    setBusy(true);
    const decision = { approve, ...(request.operation === 'allow-origin' && approve ? { remember } : {}), ...(approve && needsChoice && certUri ? { certUri } : {}) };
    const r = await getApi().call('consent.respond', { requestId: request.requestId, decision });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error);
  };

  const o = request.originParts;
  return (
    <Modal title={t(`consent.title.${request.operation}`)} role="alertdialog" size="medium" onEscape={() => void respond(false)} testId="consent">
      {error && <ErrorNotice error={error} />}
      <div className="consent-origin">
        <span className="muted">{t('consent.site')}</span>
        <p className="origin" data-testid="consent-origin">
          <span className="origin-scheme">{o.scheme}://</span>
          <strong className="origin-host">{o.isIdn ? o.unicodeHost : o.host}</strong>
          {o.port && !isDefaultPort(o.scheme, o.port) && <span className="origin-port">:{o.port}</span>}
        </p>
        {o.isIdn && (
          <p className="notice notice-warning">
            {t('consent.idn')} <code>{o.host}</code>
          </p>
        )}
        {o.scheme !== 'https' && <p className="notice notice-warning">{t('consent.insecure')}</p>}
      </div>
      <p className="lead">{t(`consent.explain.${request.operation}`)}</p>
      {request.hash && (
        <div className="field">
          <span className="field-label">{t('consent.hash', { alg: request.hash.algorithm.toUpperCase() })}</span>
          <code className="hash block">{groupHex(request.hash.hex)}</code>
        </div>
      )}
      {request.document && (
        <div className="consent-document">
          <p>
            <strong>{request.document.name}</strong> · {formatBytes(request.document.size)} · {t(`format.${request.document.format}`)}
          </p>
          <code className="hash block">SHA-256 {groupHex(request.document.sha256)}</code>
          {request.document.previewText && <pre className="preview">{request.document.previewText}</pre>}
        </div>
      )}
      {request.certificate && <CertificateCard cert={request.certificate} tokenLabel={tokenLabel.get(request.certificate.token)} />}
      {needsChoice && (
        <div className="consent-candidates">
          {noCandidates ? (
            <p className="notice notice-warning">{request.acceptableIssuers?.length ? t('consent.noneMatchIssuers') : t('consent.noCertificates')}</p>
          ) : (
            <div role="radiogroup" aria-label={t('consent.chooseCertificate')} className="cert-grid">
              {request.candidates!.map((c) => (
                <CertificateCard key={c.uri} cert={c} tokenLabel={tokenLabel.get(c.token)} radioName={groupName} selected={certUri === c.uri} onSelect={setCertUri} />
              ))}
            </div>
          )}
        </div>
      )}
      {request.operation === 'allow-origin' && (
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          {t('consent.remember')}
        </label>
      )}
      <p className="muted small">{t('consent.expires', { s: secondsLeft })}</p>
      <div className="modal-actions">
        <button type="button" className="button" onClick={() => void respond(false)} disabled={busy} data-autofocus>
          {t('consent.deny')}
        </button>
        <button type="button" className="button button-primary" onClick={() => void respond(true)} disabled={!canApprove}>
          {t(`consent.approve.${request.operation}`)}
        </button>
      </div>
    </Modal>
  );
}

/** The address bar omits a scheme's default port; so do we, to match what the user sees there. */
function isDefaultPort(scheme: string, port: string): boolean {
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
}
