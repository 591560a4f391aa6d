/** Trust anchors as Settings lists them (types only: the renderer sees them through electron/api.ts). */
export type TrustAnchorSource = 'user' | 'policy' | 'extra';

export interface TrustAnchorView {
  /** SHA-256 of the DER, hex lower case. */
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** basicConstraints cA. */
  isCa: boolean;
  selfSigned: boolean;
  source: TrustAnchorSource;
  /** The file's base name (a bundle lists several certificates under one file). */
  fileName: string;
}

export interface TrustAnchorProblem {
  fileName: string;
  source: TrustAnchorSource;
  message: string;
}
