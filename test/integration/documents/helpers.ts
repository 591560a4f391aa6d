/** Shared pieces of the document integration tests: a scripted PinPrompt and the token stack. */
import type { PinPrompt, PinRequest } from '../../../electron/core/pin-prompt';

/** Answers PIN requests from a script and records them (kind, previousError). */
export class ScriptedPrompt implements PinPrompt {
  readonly requests: PinRequest[] = [];
  constructor(public answers: (string | null)[] = []) {}
  async askPin(r: PinRequest): Promise<Uint8Array | null> {
    this.requests.push(r);
    const a = this.answers.shift();
    return a === undefined || a === null ? null : new TextEncoder().encode(a);
  }
  showPinPad(): () => void {
    throw new Error('no PIN pad in these tests');
  }
  reset(answers: (string | null)[]): void {
    this.requests.length = 0;
    this.answers = answers;
  }
}
