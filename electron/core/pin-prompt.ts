/**
 * How core asks the user for a PIN. The CLI implements it with a no-echo terminal prompt or
 * `--pin-stdin`; the app with the renderer's PIN dialog (round trip through main).
 *
 * PIN discipline: the PIN goes only to C_Login. Whoever receives the bytes from `askPin` wipes them
 * (fill(0)) right after handing them to the token client. After PIN_INCORRECT nothing is retried
 * by itself: `askPin` is called again only to ask the user again, with `previousError` set.
 */
import type { ErrorInfo } from '../../native/errors';

/**
 * What a PIN unlocks: one user action (design "Consent and PIN policy"). One confirmed batch of
 * documents, one approved web request, one TLS handshake. The PIN dialog says what and for whom.
 */
export type ActionPurpose =
  /** Document signatures the user confirmed in the app / CLI, or a web page's document. */
  | 'sign-documents'
  /** A digest chosen by a page (/v1/sign) or a script (`signet sign-hash`). */
  | 'sign-data'
  /** A Web eID login (/v1/authenticate, `signet auth-token`). */
  | 'authenticate'
  /** TLS client authentication in a portal window. */
  | 'tls';

export interface UserAction {
  purpose: ActionPurpose;
  /** The web origin that asks (web API, portal window); absent for the user's own action. */
  origin?: string;
  /** File names of the documents (sign-documents), as the user confirmed them. */
  documents?: string[];
}

/** Signing actions may share a cached login (when allowed); authentication never does. */
export function actionClass(purpose: ActionPurpose): 'signing' | 'authentication' {
  return purpose === 'authenticate' || purpose === 'tls' ? 'authentication' : 'signing';
}

export interface PinRequest {
  token: {
    uri: string;
    label: string;
    manufacturer: string;
    model: string;
    serial: string;
    minPinLength: number;
    maxPinLength: number;
    pinCountLow: boolean;
    pinFinalTry: boolean;
  };
  certificate?: { uri: string; displayName: string };
  /** The one action this PIN unlocks (what and for whom). */
  action: UserAction;
  /** 'login' = the token's user PIN; 'signature' = a per-signature PIN (CKA_ALWAYS_AUTHENTICATE,
   *  C_Login(CKU_CONTEXT_SPECIFIC), PKCS#11 v2.40 §5.7). */
  kind: 'login' | 'signature';
  /** Protected authentication path (PIN-pad reader): no PIN is typed in the app. */
  pinPad: boolean;
  /** How long the token may take (PIN pad countdown). */
  timeoutMs: number;
  /** The previous attempt failed (PIN_INCORRECT with finalTry / retriesLeft when the token tells). */
  previousError?: ErrorInfo;
}

export interface PinPrompt {
  /** Ask for the PIN. Resolve with its bytes (the caller wipes them) or null when the user cancels. */
  askPin(request: PinRequest, signal: AbortSignal): Promise<Uint8Array | null>;
  /**
   * PIN pad: tell the user to enter the PIN on the reader. `cancel` aborts the login (the token
   * host is restarted, since C_Login cannot be interrupted). Returns a function that closes the
   * notice when the login ends.
   */
  showPinPad(request: PinRequest, cancel: () => void): () => void;
}
