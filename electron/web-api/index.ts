/** Public surface of the web API for the app (Electron main) and the browser harness. */
export { startWebApi, type StartWebApiOptions, type WebApiHandle } from './server';
export { ConsentBroker, consentService, DEFAULT_CONSENT_TIMEOUT_MS, type ConsentInput, type ConsentBrokerOptions, type ConsentLane, type ConsentPort, type DismissReason } from './consent/broker';
export { MemoryOriginStore, OriginPolicy, type OriginStore } from './origins';
export type { WebApiServices, SignDigestRequest, SignDocumentFileRequest, SignDocumentFileResult } from './services';
export type { WebApiSettings } from './routes/route';
export { DEFAULT_API_PORT, API_VERSION } from './protocol';
export { DEFAULT_MAX_DOCUMENT_BYTES } from './routes/sign-document';
