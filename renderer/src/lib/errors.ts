/**
 * Every design error code as a human message: what happened and what to do. Raw PKCS#11 names
 * (CKR_…) never reach the screen; the message from below is only a fallback detail for INTERNAL.
 */
import type { ErrorCode, ErrorInfo } from '../../../electron/api';
import type { MessageKey, T } from '../i18n';

export interface HumanError {
  title: string;
  action: string;
}

export function describeError(t: T, e: ErrorInfo): HumanError {
  const code: ErrorCode = e.code;
  const title = t(`error.${code}.title` as MessageKey);
  let action = t(`error.${code}.action` as MessageKey);
  if (code === 'PIN_INCORRECT') {
    if (e.finalTry) action = t('pin.finalTry');
    else if (typeof e.retriesLeft === 'number') action = t('pin.retriesLeft', { n: e.retriesLeft });
  }
  // Input problems are specific (which file, which option): main words them for people; show that.
  if (code === 'INVALID_INPUT' && e.message && !/CKR_/.test(e.message)) action = e.message;
  if (code === 'FILE_UNREADABLE' && typeof e.details?.name === 'string') action = t('error.FILE_UNREADABLE.actionNamed', { name: e.details.name });
  return { title, action };
}
