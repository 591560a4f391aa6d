/**
 * How core asks the user for a PIN. The CLI implements it with a no-echo terminal prompt or
 * `--pin-stdin`; the app with the renderer's PIN dialog (round trip through main).
 *
 * PIN discipline: the PIN goes only to C_Login. Whoever receives the bytes from `askPin` wipes them
 * (fill(0)) right after handing them to the token client. After PIN_INCORRECT nothing is retried
 * by itself: `askPin` is called again only to ask the user again, with `previousError` set.
 */
import type { ErrorInfo } from '../../native/errors';

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
