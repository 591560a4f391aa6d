/** Change the token's user PIN (C_SetPIN) with its length rules and a confirmation field. */
import { useId, useState } from 'react';
import type { ErrorInfo, TokenInfo } from '../../../electron/api';
import { useI18n } from '../i18n';
import { getApi } from '../lib/api';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';

export function ChangePinDialog({ token, onClose }: { token: TokenInfo; onClose(done: boolean): void }) {
  const { t } = useI18n();
  const ids = { old: useId(), next: useId(), again: useId(), hint: useId() };
  const [oldPin, setOldPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const min = Math.max(1, token.minPinLength);
  const max = token.maxPinLength > 0 && token.maxPinLength < 256 ? token.maxPinLength : 256;
  const len = (s: string): number => [...s].length;
  const inRange = (s: string): boolean => len(s) >= min && len(s) <= max;
  const mismatch = again.length > 0 && again !== newPin;
  const same = newPin.length > 0 && newPin === oldPin;
  const valid = inRange(oldPin) && inRange(newPin) && newPin === again && !same;

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!valid || busy) return;
    const arg = { tokenUri: token.uri, oldPin, newPin };
    setOldPin('');
    setNewPin('');
    setAgain('');
    setBusy(true);
    const r = await getApi().call('tokens.changePin', arg);
    setBusy(false);
    if (r.ok) onClose(true);
    else setError(r.error);
  };

  return (
    <Modal title={t('changePin.title', { label: token.label })} size="small" onEscape={() => onClose(false)} testId="change-pin">
      <form onSubmit={submit} autoComplete="off" className="stack">
        {error && <ErrorNotice error={error} />}
        <p id={ids.hint} className="field-hint">
          {t('pin.lengthHint', { min, max })}
        </p>
        <div className="field">
          <label htmlFor={ids.old} className="field-label">
            {t('changePin.current')}
          </label>
          <input id={ids.old} className="input" type="password" value={oldPin} maxLength={max} aria-describedby={ids.hint} data-autofocus onChange={(e) => setOldPin(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.next} className="field-label">
            {t('changePin.new')}
          </label>
          <input id={ids.next} className="input" type="password" value={newPin} maxLength={max} aria-describedby={ids.hint} onChange={(e) => setNewPin(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.again} className="field-label">
            {t('changePin.again')}
          </label>
          <input id={ids.again} className="input" type="password" value={again} maxLength={max} aria-invalid={mismatch || undefined} onChange={(e) => setAgain(e.target.value)} />
          {mismatch && <span className="field-error">{t('changePin.mismatch')}</span>}
          {same && <span className="field-error">{t('changePin.same')}</span>}
        </div>
        <div className="modal-actions">
          <button type="button" className="button" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={!valid || busy}>
            {busy ? t('common.working') : t('changePin.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
