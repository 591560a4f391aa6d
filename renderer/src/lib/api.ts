/** The preload API, as the renderer sees it: `window.signet` (types only from electron/api.ts). */
import type { SignetApi } from '../../../electron/api';

declare global {
  interface Window {
    signet?: SignetApi;
  }
}

export function getApi(): SignetApi {
  const api = window.signet;
  if (!api) throw new Error('window.signet is missing: the renderer must run inside Signet or its test harness.');
  return api;
}
