/**
 * A small verifier other back ends can copy: detached CMS (CAdES), PDF (PAdES) signatures and
 * Web eID authentication tokens, checked with node:crypto plus the @peculiar/asn1-* parsers.
 * See README.md for how to use it and what it does not check.
 */
export { verifyDetachedCms, type SignatureVerdict } from './cms';
export { verifyPdf, type PdfSignatureVerdict } from './pdf';
export { verifyAuthToken, type AuthTokenVerdict, type VerifyAuthTokenOptions } from './auth-token';
export { verifyChain, parsePemBundle, type ChainResult } from './chain';
export { NonceStore } from './nonce-store';
