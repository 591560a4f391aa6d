/**
 * The app's PinPrompt: core asks for a PIN, the broker turns it into a 'pin.request' event for the
 * renderer's dialog and waits for 'pin.submit' / 'pin.cancel'. The PIN crosses IPC once as UTF-8
 * bytes (a Uint8Array: structured clone gives main its own copy, no JS string is made here) and
 * those very bytes are handed to core, which wipes them after C_Login; refused bytes (wrong
 * length, request over) are wiped here. Nothing here logs or keeps it.
 *
 * PIN pad (protected authentication path): no PIN is typed; the dialog shows a countdown and its
 * Cancel aborts the login through the `cancel` callback core gave us.
 */
import { randomUUID } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import type { PinPrompt, PinRequest } from '../../core/pin-prompt';
import type { PinRequestView } from '../../api';

type Pending =
  | { kind: 'typed'; request: PinRequestView; resolve: (pin: Uint8Array | null) => void; cleanup: () => void }
  | { kind: 'pad'; request: PinRequestView; cancel: () => void };

export interface PinBrokerEvents {
  request(view: PinRequestView): void;
  dismiss(requestId: string): void;
}

export class PinBroker implements PinPrompt {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly events: PinBrokerEvents) {}

  askPin(request: PinRequest, signal: AbortSignal): Promise<Uint8Array | null> {
    if (signal.aborted) return Promise.resolve(null);
    const view: PinRequestView = { ...request, requestId: randomUUID() };
    return new Promise((resolve) => {
      const onAbort = (): void => {
        if (this.pending.delete(view.requestId)) {
          this.events.dismiss(view.requestId);
          resolve(null);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(view.requestId, {
        kind: 'typed',
        request: view,
        resolve,
        cleanup: () => signal.removeEventListener('abort', onAbort),
      });
      this.events.request(view);
    });
  }

  showPinPad(request: PinRequest, cancel: () => void): () => void {
    const view: PinRequestView = { ...request, pinPad: true, requestId: randomUUID() };
    this.pending.set(view.requestId, { kind: 'pad', request: view, cancel });
    this.events.request(view);
    return () => {
      if (this.pending.delete(view.requestId)) this.events.dismiss(view.requestId);
    };
  }

  /** The dialog's PIN. Checked against the token's length rules first: a PIN the token would
   *  refuse with CKR_PIN_LEN_RANGE never reaches it (and costs no attempt). */
  submit(requestId: string, pin: Uint8Array): void {
    const entry = this.pending.get(requestId);
    if (!entry || entry.kind === 'pad') {
      pin.fill(0);
      if (!entry) throw new SignetError('INVALID_INPUT', 'This PIN request has ended.');
      throw new SignetError('INVALID_INPUT', 'This token takes the PIN on its reader.');
    }
    const { minPinLength, maxPinLength } = entry.request.token;
    // PKCS#11 ulPinLen counts bytes; the dialog's hint counts characters, as users do. Count
    // UTF-8 characters (every byte that is not a continuation byte 10xxxxxx) without decoding.
    let length = 0;
    for (const b of pin) if ((b & 0xc0) !== 0x80) length++;
    if (length === 0 || (minPinLength > 0 && length < minPinLength) || (maxPinLength > 0 && length > maxPinLength)) {
      pin.fill(0);
      throw new SignetError('PIN_LEN_RANGE', `The PIN must have ${minPinLength} to ${maxPinLength} characters.`, {
        retriable: true,
        details: { minPinLength, maxPinLength },
      });
    }
    this.pending.delete(requestId);
    entry.cleanup();
    entry.resolve(pin);
  }

  cancel(requestId: string): void {
    const entry = this.pending.get(requestId);
    if (!entry) return; // already over: cancelling twice is harmless
    this.pending.delete(requestId);
    if (entry.kind === 'typed') {
      entry.cleanup();
      entry.resolve(null);
    } else {
      entry.cancel();
      this.events.dismiss(requestId);
    }
  }

  /** Open requests, for a window (re)loaded while one is waiting. */
  open(): PinRequestView[] {
    return [...this.pending.values()].map((p) => p.request);
  }

  /** Cancel everything (window closed, app quitting). */
  cancelAll(): void {
    for (const id of [...this.pending.keys()]) this.cancel(id);
  }
}
