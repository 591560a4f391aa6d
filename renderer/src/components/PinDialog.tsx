/**
 * The PIN dialog, for every state a token can put us in:
 * - typed PIN: masked input with the token's min/max length, Enter submits, Escape cancels,
 *   caps-lock hint, the previous attempt's result ("n attempts left" / "last attempt" only when
 *   the token said so);
 * - locked: what to do (PUK / card issuer), no retry;
 * - PIN pad (protected authentication path): "enter the PIN on the reader", countdown, Cancel;
 * - per-signature PIN (CKA_ALWAYS_AUTHENTICATE) says so.
 * Every state says what the PIN unlocks and for whom (issue 8 §3): the title is the one action
 * ("Sign 3 documents" with their names, "Log in to portal.example", "Sign data for
 * portal.example"), the field is the "signing PIN" or the "authentication PIN", and a line says
 * the PIN serves this action only. Page- and file-chosen strings go through display-safe.
 * The PIN leaves React state the moment it is sent: the input is cleared before the call goes out
 * (App.tsx sends it as bytes and wipes them).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ErrorInfo, PinRequestView } from '../../../electron/api';
import { useI18n } from '../i18n';
import { describeError } from '../lib/errors';
import { displaySafe } from '../lib/display-safe';
import { Modal } from './Modal';

export interface PinDialogProps {
  request: PinRequestView;
  /** Sends the PIN; resolves with an error when main refused it (length), else null. */
  onSubmit(requestId: string, pin: string): Promise<ErrorInfo | null>;
  onCancel(requestId: string): void;
  /** Clock for the PIN-pad countdown (tests). */
  now?: () => number;
}

export function PinDialog(props: PinDialogProps) {
  const { request } = props;
  if (request.previousError?.code === 'PIN_LOCKED') return <LockedView {...props} />;
  if (request.pinPad) return <PinPadView {...props} />;
  return <TypedPinView {...props} />;
}

type T = ReturnType<typeof useI18n>['t'];

/** The site as its host name (a page cannot choose its origin; still shown display-safe). */
function siteOf(origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  let host = origin;
  try {
    host = new URL(origin).host;
  } catch {
    // keep the origin text
  }
  return displaySafe(host, { max: 80 }).text;
}

const safeName = (name: string): string => displaySafe(name, { max: 80 }).text;

/** "Sign 3 documents", "Sign contract.pdf for portal.example", "Log in to portal.example", ... */
export function actionTitle(t: T, action: PinRequestView['action']): string {
  const site = siteOf(action.origin);
  switch (action.purpose) {
    case 'sign-documents': {
      const docs = action.documents ?? [];
      const n = docs.length;
      const name = n === 1 ? safeName(docs[0]!) : '';
      return site ? t('pin.action.signDocumentsFor', { n, name, site }) : t('pin.action.signDocuments', { n, name });
    }
    case 'sign-data':
      return site ? t('pin.action.signDataFor', { site }) : t('pin.action.signData');
    case 'authenticate':
    case 'tls':
      return site ? t('pin.action.loginTo', { site }) : t('pin.action.login');
  }
}

const isLogin = (request: PinRequestView): boolean => request.action.purpose === 'authenticate' || request.action.purpose === 'tls';

function pinLabel(t: T, request: PinRequestView): string {
  if (request.kind === 'signature') return t('pin.label.signature');
  return isLogin(request) ? t('pin.label.authentication') : t('pin.label.signing');
}

const SHOWN_DOCUMENTS = 5;

function Context({ request }: { request: PinRequestView }) {
  const { t } = useI18n();
  const site = siteOf(request.action.origin);
  const docs = request.action.purpose === 'sign-documents' ? (request.action.documents ?? []) : [];
  return (
    <dl className="pin-context">
      {site && (
        <div>
          <dt>{t('pin.site')}</dt>
          <dd data-testid="pin-site">
            <strong>
              <bdi>{site}</bdi>
            </strong>
          </dd>
        </div>
      )}
      {docs.length > 1 && (
        <div>
          <dt>{t('pin.documents')}</dt>
          <dd>
            <ul className="pin-documents" data-testid="pin-documents">
              {docs.slice(0, SHOWN_DOCUMENTS).map((d, i) => (
                <li key={i}>
                  <bdi>{safeName(d)}</bdi>
                </li>
              ))}
              {docs.length > SHOWN_DOCUMENTS && <li className="muted">{t('pin.moreDocuments', { n: docs.length - SHOWN_DOCUMENTS })}</li>}
            </ul>
          </dd>
        </div>
      )}
      <div>
        <dt>{t('pin.token')}</dt>
        <dd>
          <strong>{request.token.label}</strong>
          <span className="muted">
            {' '}
            {request.token.manufacturer} {request.token.model}
          </span>
        </dd>
      </div>
      {request.certificate && (
        <div>
          <dt>{t('pin.certificate')}</dt>
          <dd>{request.certificate.displayName}</dd>
        </div>
      )}
    </dl>
  );
}

function TypedPinView({ request, onSubmit, onCancel }: PinDialogProps) {
  const { t } = useI18n();
  const inputId = useId();
  const hintId = useId();
  const statusId = useId();
  const [pin, setPin] = useState('');
  const [capsLock, setCapsLock] = useState(false);
  const [sending, setSending] = useState(false);
  const [localError, setLocalError] = useState<ErrorInfo | null>(null);
  const { minPinLength: min, maxPinLength: max } = request.token;
  const length = [...pin].length;
  const tooShort = length < Math.max(1, min);
  const tooLong = max > 0 && length > max;

  // A new request (e.g. after a wrong PIN) starts empty.
  useEffect(() => {
    setPin('');
    setLocalError(null);
    setSending(false);
  }, [request.requestId]);

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (sending || tooShort || tooLong) return;
    const value = pin;
    setPin(''); // cleared before the call goes out
    setSending(true);
    const error = await onSubmit(request.requestId, value);
    if (error) {
      setLocalError(error);
      setSending(false);
    }
  };

  const onKey = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    setCapsLock(e.getModifierState?.('CapsLock') ?? false);
  };

  const previous = request.previousError;
  let status: string | null = null;
  let statusTone: 'error' | 'warning' = 'error';
  if (previous?.code === 'PIN_INCORRECT') {
    status = t('pin.wrong');
    if (previous.finalTry || request.token.pinFinalTry) status += ` ${t('pin.finalTry')}`;
    else if (typeof previous.retriesLeft === 'number') status += ` ${t('pin.retriesLeft', { n: previous.retriesLeft })}`;
    else if (request.token.pinCountLow) status += ` ${t('pin.countLow')}`;
  } else if (previous) {
    const human = describeError(t, previous);
    status = `${human.title} ${human.action}`;
  } else if (request.token.pinFinalTry) {
    status = t('pin.finalTry');
    statusTone = 'warning';
  } else if (request.token.pinCountLow) {
    status = t('pin.countLow');
    statusTone = 'warning';
  }

  const title = actionTitle(t, request.action);
  // A maximum far above any real PIN (SoftHSM2 says 255) is noise: say only the minimum then.
  const lengthHint = max > 0 && max <= 32 ? t('pin.lengthHint', { min: Math.max(1, min), max }) : t('pin.minHint', { min: Math.max(1, min) });

  return (
    <Modal title={title} role="alertdialog" size="small" onEscape={() => onCancel(request.requestId)} describedBy={statusId} testId="pin-dialog">
      <form onSubmit={submit} className="pin-form" autoComplete="off">
        <Context request={request} />
        {request.kind === 'signature' && <p className="notice notice-info">{t('pin.perSignature')}</p>}
        <p className="field-hint" data-testid="pin-scope">
          {isLogin(request) ? t('pin.scope.authentication') : t('pin.scope.signing')}
        </p>
        <div id={statusId} aria-live="assertive">
          {status && (
            <p className={`notice notice-${statusTone}`} role="alert" data-testid="pin-status">
              {status}
            </p>
          )}
          {localError && (
            <p className="notice notice-error" role="alert">
              {describeError(t, localError).action}
            </p>
          )}
        </div>
        <label htmlFor={inputId} className="field-label">
          {pinLabel(t, request)}
        </label>
        <input
          id={inputId}
          className="input input-pin"
          type="password"
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          value={pin}
          maxLength={max > 0 && max < 256 ? max : undefined}
          aria-describedby={hintId}
          aria-invalid={tooLong || undefined}
          onChange={(e) => setPin(e.target.value)}
          onKeyDown={onKey}
          onKeyUp={onKey}
          disabled={sending}
        />
        <p id={hintId} className="field-hint">
          {lengthHint}
          {capsLock && (
            <span className="caps-hint" role="status">
              {' '}
              · {t('pin.capsLock')}
            </span>
          )}
        </p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={() => onCancel(request.requestId)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={sending || tooShort || tooLong}>
            {sending ? t('pin.checking') : t('pin.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function LockedView({ request, onCancel }: PinDialogProps) {
  const { t } = useI18n();
  // A lockout the token did not flag as a locked PIN (a TPM's dictionary-attack protection) ends by itself: no PUK advice.
  const temporary = request.previousError?.details?.temporary === true;
  return (
    <Modal title={t('pin.lockedTitle')} role="alertdialog" size="small" onEscape={() => onCancel(request.requestId)} testId="pin-dialog">
      <Context request={request} />
      <p className="notice notice-error" role="alert" data-testid="pin-status">
        {temporary ? t('pin.lockedTemporary.title') : t('error.PIN_LOCKED.title')}
      </p>
      <p>{temporary ? t('pin.lockedTemporary.action') : t('error.PIN_LOCKED.action')}</p>
      <div className="modal-actions">
        <button type="button" className="button button-primary" data-autofocus onClick={() => onCancel(request.requestId)}>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}

function PinPadView({ request, onCancel, now = Date.now }: PinDialogProps) {
  const { t } = useI18n();
  const started = useRef(now());
  const [left, setLeft] = useState(Math.ceil(request.timeoutMs / 1000));
  useEffect(() => {
    started.current = now();
    const timer = setInterval(() => {
      setLeft(Math.max(0, Math.ceil((request.timeoutMs - (now() - started.current)) / 1000)));
    }, 250);
    return () => clearInterval(timer);
  }, [request.requestId, request.timeoutMs, now]);
  return (
    <Modal title={actionTitle(t, request.action)} role="alertdialog" size="small" onEscape={() => onCancel(request.requestId)} testId="pin-dialog">
      <Context request={request} />
      <p className="field-hint" data-testid="pin-scope">
        {isLogin(request) ? t('pin.scope.authentication') : t('pin.scope.signing')}
      </p>
      {request.kind === 'signature' && <p className="notice notice-info">{t('pin.perSignature')}</p>}
      {request.previousError?.code === 'PIN_INCORRECT' && (
        <p className="notice notice-error" role="alert">
          {t('pin.wrong')}
          {request.previousError.finalTry ? ` ${t('pin.finalTry')}` : ''}
        </p>
      )}
      <div className="pinpad" role="status" aria-live="polite">
        <span className="pinpad-icon" aria-hidden="true">
          ⌨
        </span>
        <p>
          <strong>{t('pin.padTitle')}</strong>
        </p>
        <p>{t('pin.padInstruction')}</p>
        <p className="pinpad-countdown" data-testid="pinpad-countdown">
          {t('pin.padCountdown', { s: left })}
        </p>
      </div>
      <div className="modal-actions">
        <button type="button" className="button" data-autofocus onClick={() => onCancel(request.requestId)}>
          {t('common.cancel')}
        </button>
      </div>
    </Modal>
  );
}
