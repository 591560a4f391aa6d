/**
 * A web page asks Signet for something (loopback API). The modal names the origin exactly
 * (scheme, host — punycode shown beside the Unicode form for IDN — and port), the operation, what
 * is signed (hash in groups / document name, size, SHA-256, text preview) and the certificate.
 * Approve leads to the PIN dialog (core asks through the PIN prompt); Deny answers
 * CONSENT_DENIED. A site's first request is one dialog that also allows the site ("Allow
 * portal.example and sign application.pdf?", with "remember this site").
 *
 * Against click-jacking and double clicks (issue 8 §4; browsers do the same for permission
 * prompts): the answer buttons are inert for ARM_DELAY_MS after the dialog appears, after it
 * changes (a new request is a new instance: App keys it by requestId) and after the window comes
 * back to the front. Every page-chosen string goes through displaySafe (lib/display-safe.ts).
 *
 * Layout: origin → explanation → "what is signed" (WhatIsSigned: the slot for document previews)
 * → certificate(s) → remember → answer.
 */
import { useEffect, useId, useState, type CSSProperties } from 'react';
import type { ConsentRequestView, ErrorInfo, TokensSnapshot } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { displaySafe } from '../lib/display-safe';
import { CertificateCard } from './CertificateCard';
import { ConsentDocumentPreview } from './preview/ConsentDocumentPreview';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';
import { groupHex } from './SignFlow';

/** How long the answer buttons stay inert after the dialog appears or changes. */
export const ARM_DELAY_MS = 1000;

/** False for `delayMs` after mount, after `key` changes and after the window regains focus. */
function useArmed(delayMs: number, key: string): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      setArmed(false);
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => setArmed(true), delayMs);
    };
    const onVisibility = (): void => {
      if (!document.hidden) arm();
    };
    arm();
    window.addEventListener('focus', arm);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      window.removeEventListener('focus', arm);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [delayMs, key]);
  return armed;
}

export function ConsentModal({ request, snapshot, onDone }: { request: ConsentRequestView; snapshot: TokensSnapshot | null; onDone(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const groupName = useId();
  const [certUri, setCertUri] = useState<string | null>(request.candidates?.length === 1 ? request.candidates[0]!.uri : null);
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState(() => Math.max(0, Math.round((Date.parse(request.expiresAt) - Date.now()) / 1000)));
  const armed = useArmed(ARM_DELAY_MS, request.requestId);

  useEffect(() => {
    const timer = setInterval(() => setSecondsLeft(Math.max(0, Math.round((Date.parse(request.expiresAt) - Date.now()) / 1000))), 1000);
    return () => clearInterval(timer);
  }, [request.expiresAt]);

  // sign-document: the page sends the document, the user picks which signing certificate signs it.
  const needsChoice = request.operation === 'share-certificate' || request.operation === 'authenticate' || request.operation === 'sign-document';
  const noCandidates = needsChoice && (request.candidates?.length ?? 0) === 0;
  const canApprove = !busy && !noCandidates && (!needsChoice || certUri !== null);
  const tokenLabel = new Map(snapshot?.tokens.map((tk) => [tk.uri, tk.label]) ?? []);
  const first = request.firstContact === true;

  const respond = async (approve: boolean): Promise<void> => {
    setBusy(true);
    const decision = { approve, ...(first && approve ? { remember } : {}), ...(approve && needsChoice && certUri ? { certUri } : {}) };
    const r = await getApi().call('consent.respond', { requestId: request.requestId, decision });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error);
  };
  // A click while inert does nothing (it was meant for what was there before).
  const answer = (approve: boolean) => () => {
    if (armed) void respond(approve);
  };

  const o = request.originParts;
  const site = o.isIdn ? o.unicodeHost : o.host;
  const name = request.document ? displaySafe(request.document.name, { max: 80 }).text : '';
  const title = first ? t(`consent.first.title.${request.operation}`, { site, name }) : t(`consent.title.${request.operation}`);
  return (
    <Modal title={title} role="alertdialog" size="medium" onEscape={() => void respond(false)} testId="consent">
      {error && <ErrorNotice error={error} />}
      <div className="consent-origin">
        <span className="muted">{t('consent.site')}</span>
        <p className="origin" data-testid="consent-origin">
          <bdi>
            <span className="origin-scheme">{o.scheme}://</span>
            <strong className="origin-host">{site}</strong>
            {o.port && !isDefaultPort(o.scheme, o.port) && <span className="origin-port">:{o.port}</span>}
          </bdi>
        </p>
        {o.isIdn && (
          <p className="notice notice-warning">
            {t('consent.idn')} <code>{o.host}</code>
          </p>
        )}
        {o.scheme !== 'https' && <p className="notice notice-warning">{t('consent.insecure')}</p>}
      </div>
      <p className="lead">{t(`consent.explain.${request.operation}`)}</p>
      {first && <p className="muted small">{t('consent.first.explain')}</p>}
      <WhatIsSigned request={request} />
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
      {first && (
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          {t('consent.remember')}
        </label>
      )}
      <p className="muted small">{t('consent.expires', { s: secondsLeft })}</p>
      {/* The inert time is shown on the buttons (styles.css, "Consent buttons while inert"). */}
      <div className="modal-actions" data-armed={armed ? 'true' : 'false'} style={{ '--arm-ms': `${ARM_DELAY_MS}ms` } as CSSProperties}>
        <button type="button" className="button" onClick={answer(false)} disabled={busy} aria-disabled={!armed} data-autofocus>
          {t('consent.deny')}
        </button>
        <button type="button" className="button button-primary" onClick={answer(true)} disabled={!canApprove} aria-disabled={!armed}>
          {first ? t(`consent.first.approve.${request.operation}`) : t(`consent.approve.${request.operation}`)}
        </button>
      </div>
    </Modal>
  );
}

/**
 * What is signed: the digest (sign-hash) or the document (name, size, format, SHA-256, and a text
 * preview). A rendered preview of PDF pages belongs here too.
 */
function WhatIsSigned({ request }: { request: ConsentRequestView }) {
  const { t, formatBytes } = useI18n();
  if (request.hash) {
    return (
      <div className="field" data-testid="consent-what">
        <span className="field-label">{t('consent.hash', { alg: request.hash.algorithm.toUpperCase() })}</span>
        <code className="hash block">{groupHex(request.hash.hex)}</code>
      </div>
    );
  }
  const doc = request.document;
  if (!doc) return null;
  const name = displaySafe(doc.name, { max: 120 });
  return (
    <div className="consent-document" data-testid="consent-what">
      <p>
        <strong>
          <bdi data-testid="consent-document-name">{name.text}</bdi>
        </strong>{' '}
        · {formatBytes(doc.size)} · {t(`format.${doc.format}`)}
      </p>
      {name.escaped && <p className="notice notice-warning">{t('consent.nameEscaped')}</p>}
      <code className="hash block">SHA-256 {groupHex(doc.sha256)}</code>
      {doc.previewText !== undefined && <TextPreview requestId={request.requestId} size={doc.size} first={doc.previewText} firstBytes={doc.previewBytes ?? doc.size} />}
      <ConsentDocumentPreview requestId={request.requestId} document={doc} name={name.text} />
    </div>
  );
}

/** A text document's start; when cut, says so and loads the rest on request. */
function TextPreview({ requestId, size, first, firstBytes }: { requestId: string; size: number; first: string; firstBytes: number }) {
  const { t, formatBytes } = useI18n();
  const [text, setText] = useState(first);
  const [shownBytes, setShownBytes] = useState(firstBytes);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const cut = shownBytes < size;
  const more = async (): Promise<void> => {
    setLoading(true);
    const r = await getApi().call('consent.documentText', { requestId, offset: shownBytes });
    setLoading(false);
    if (!r.ok) return setError(r.error);
    setText((x) => x + r.value.text);
    setShownBytes(r.value.nextOffset);
  };
  return (
    <>
      <pre className="preview" data-testid="consent-preview">
        {displaySafe(text, { max: Number.MAX_SAFE_INTEGER, multiline: true }).text}
      </pre>
      {cut && (
        <p className="muted small" data-testid="consent-preview-cut">
          {t('consent.previewCut', { shown: formatBytes(shownBytes), total: formatBytes(size) })}{' '}
          <button type="button" className="button button-small" onClick={() => void more()} disabled={loading}>
            {t('consent.previewMore')}
          </button>
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </>
  );
}

/** The address bar omits a scheme's default port; so do we, to match what the user sees there. */
function isDefaultPort(scheme: string, port: string): boolean {
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
}
