/**
 * The handler table: one entry per preload method, typed so a missing or mistyped handler does not
 * compile. Electron's ipcMain (../register.ts) and the browser harness both dispatch through it.
 */
import { consentDocumentBytes } from './consent-preview';
import type { PreloadMethod, SignetMethod } from '../../../api';
import { appInfo } from './app';
import { certificatesDetails } from './certificates';
import { consentDocumentText, consentRespond } from './consent';
import { diagnosticsExport } from './diagnostics';
import { filesDropped, filesInspect, filesPick, filesRead } from './files';
import { historyClear, historyList } from './history';
import { stampGetPlacement, stampSetPlacement } from './stamp';
import { trustAdd, trustList, trustRemove } from './trust';
import { verifyFile } from './verify';
import { pinCancel, pinSubmit } from './pin';
import { settingsGet, settingsRevokeOrigin, settingsUpdate } from './settings';
import { shellOpenOutput, shellShowInFolder, tlsOpenPortal } from './shell';
import { tlsStatus, tlsSwitchIdentity, tlsUnregisterModules } from './tls';
import { signCancel, signConfirm, signPrepare } from './sign';
import { tokensChangePin, tokensLockNow, tokensRefresh, tokensSnapshot } from './tokens';
import type { Handler, PreloadHandler } from './types';

export const HANDLERS: { [M in SignetMethod]: Handler<M> } = {
  'app.info': appInfo,
  'tokens.snapshot': tokensSnapshot,
  'tokens.refresh': tokensRefresh,
  'tokens.changePin': tokensChangePin,
  'tokens.lockNow': tokensLockNow,
  'certificates.details': certificatesDetails,
  'files.pick': filesPick,
  'files.inspect': filesInspect,
  'files.read': filesRead,
  'verify.file': verifyFile,
  'history.list': historyList,
  'history.clear': historyClear,
  'trust.list': trustList,
  'trust.add': trustAdd,
  'trust.remove': trustRemove,
  'stamp.getPlacement': stampGetPlacement,
  'stamp.setPlacement': stampSetPlacement,
  'sign.prepare': signPrepare,
  'sign.confirm': signConfirm,
  'sign.cancel': signCancel,
  'pin.submit': pinSubmit,
  'pin.cancel': pinCancel,
  'consent.respond': consentRespond,
  'consent.documentText': consentDocumentText,
  'consent.documentBytes': consentDocumentBytes,
  'settings.get': settingsGet,
  'settings.update': settingsUpdate,
  'settings.revokeOrigin': settingsRevokeOrigin,
  'diagnostics.export': diagnosticsExport,
  'shell.showInFolder': shellShowInFolder,
  'shell.openOutput': shellOpenOutput,
  'tls.openPortal': tlsOpenPortal,
  'tls.status': tlsStatus,
  'tls.switchIdentity': tlsSwitchIdentity,
  'tls.unregisterModules': tlsUnregisterModules,
};

export const PRELOAD_HANDLERS: { [M in PreloadMethod]: PreloadHandler<M> } = {
  'files.dropped': filesDropped,
};
