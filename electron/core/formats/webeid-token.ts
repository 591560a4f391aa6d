/**
 * The Web eID `web-eid:1.0` token's shape (types and constants only, no Node imports), shared by
 * core (webeid.ts builds it), the web API's wire types and the browser SDK.
 */
export const WEB_EID_FORMAT = 'web-eid:1.0' as const;

/** RFC 7518 §3.3–3.5 names, as Web eID allows them. */
export type WebEidAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512' | 'RS256' | 'RS384' | 'RS512';

export interface WebEidAuthToken {
  /** base64 DER of the authentication certificate; the relying party must check its chain. */
  unverifiedCertificate: string;
  algorithm: WebEidAlgorithm;
  /** base64 signature over hash(origin) ‖ hash(challengeNonce); ES*: raw r‖s. */
  signature: string;
  format: typeof WEB_EID_FORMAT;
  /** URL naming the issuing application and its version. */
  appVersion: string;
}
