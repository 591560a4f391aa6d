/**
 * Every error as a human message in the UI language: what happened (by code) and what to do —
 * specific when the error carries `details.reason` (a kebab-case reason from core, worded here
 * with its parameters: the file's name, sizes, counts). Raw PKCS#11 names (CKR_…) never reach the
 * screen; main's English sentence is kept only as a technical detail when no reason says more.
 */
import type { ErrorCode, ErrorInfo } from '../../../electron/api';
import type { MessageKey, T } from '../i18n';
import { hasMessage } from '../i18n';

export interface HumanError {
  title: string;
  action: string;
  /** The sentence from below, for the curious (never shown for PKCS#11 errors). */
  detail?: string;
}

/** Parameters that are byte counts (shown as sizes), per reason; other numbers are shown as numbers. */
const BYTE_PARAMS: Record<string, readonly string[]> = {
  'file-too-large': ['size', 'limitBytes'],
  'pdf-inflate-limit': ['limit'],
};

export interface NumberFormats {
  formatBytes(n: number): string;
  formatNumber(n: number): string;
}

const PLAIN: NumberFormats = { formatBytes: String, formatNumber: String };

export function describeError(t: T, e: ErrorInfo, fmt: NumberFormats = PLAIN): HumanError {
  const code: ErrorCode = e.code;
  const title = t(`error.${code}.title` as MessageKey);
  let action = t(`error.${code}.action` as MessageKey);
  const reason = typeof e.details?.reason === 'string' ? e.details.reason : undefined;
  const params: Record<string, string | number> = {};
  const bytes = (reason && BYTE_PARAMS[reason]) || [];
  for (const [k, v] of Object.entries(e.details ?? {})) {
    if (typeof v === 'boolean') continue;
    // `n` stays a number: it chooses the plural form (i18n's "key.one").
    params[k] = typeof v !== 'number' || k === 'n' ? v : bytes.includes(k) ? fmt.formatBytes(v) : fmt.formatNumber(v);
  }
  const reasonKey = reason ? (`reason.${reason}` as MessageKey) : undefined;
  if (reasonKey && hasMessage(reasonKey)) {
    action = t(reasonKey, params);
    return { title, action };
  }
  if (code === 'PIN_INCORRECT') {
    if (e.finalTry) action = t('pin.finalTry');
    else if (typeof e.retriesLeft === 'number') action = t('pin.retriesLeft', { n: e.retriesLeft });
  }
  if (code === 'FILE_UNREADABLE' && typeof e.details?.name === 'string') action = t('error.FILE_UNREADABLE.actionNamed', { name: e.details.name });
  else if (code === 'INVALID_INPUT' && typeof e.details?.name === 'string') action = t('error.INVALID_INPUT.actionNamed', { name: e.details.name });
  const detail = e.message && !/CKR_/.test(e.message) && code !== 'PIN_INCORRECT' ? e.message : undefined;
  return detail ? { title, action, detail } : { title, action };
}
