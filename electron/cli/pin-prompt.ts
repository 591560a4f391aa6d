/**
 * The CLI's PinPrompt (electron/core/pin-prompt.ts):
 *  - `--pin-stdin`: one PIN per line of stdin (the first for the login, further lines for
 *    per-signature PINs). A key that needs a PIN per signature (CKA_ALWAYS_AUTHENTICATE) reuses
 *    the last PIN it was given when stdin has no further line — the signature PIN line if there
 *    was one, else the first line — as `pkcs11-tool --pin` does; a further line, when present, is
 *    used instead. After a wrong PIN it cannot ask the user again, so it reports the error.
 *  - otherwise a terminal prompt on stderr, reading stdin in raw mode without echo.
 * PIN bytes live in Buffers we zero; they are never written anywhere, and never come from argv or
 * the environment.
 */
import type { Readable, Writable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import { SignetError } from '../../native/errors';
import type { PinPrompt, PinRequest } from '../core/pin-prompt';

const MAX_PIN = 256;

function describe(request: PinRequest): string {
  const what = request.kind === 'signature' ? 'Signature PIN' : 'PIN';
  const cert = request.certificate ? ` for "${request.certificate.displayName}"` : '';
  return `${what}${cert} on token "${request.token.label}"`;
}

function previousText(request: PinRequest): string | undefined {
  const e = request.previousError;
  if (!e) return undefined;
  if (e.code === 'PIN_INCORRECT') return e.finalTry ? 'Wrong PIN. Last attempt before the PIN locks!' : 'Wrong PIN.';
  return e.message;
}

/** Reads PIN lines from a stream as bytes (no string copies), wiping what it consumed. */
export class StdinPinSource {
  private pending = Buffer.alloc(0);
  private ended = false;
  private waiters: (() => void)[] = [];
  private started = false;

  constructor(private readonly input: Readable) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.input.on('data', (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const next = Buffer.concat([this.pending, b]);
      this.pending.fill(0);
      b.fill(0);
      this.pending = next;
      this.wake();
    });
    this.input.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.input.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** The next line's bytes (without \r\n), or null at end of input. */
  async readLine(signal?: AbortSignal): Promise<Uint8Array | null> {
    this.start();
    this.input.resume();
    try {
      for (;;) {
        const nl = this.pending.indexOf(0x0a);
        if (nl >= 0 || (this.ended && this.pending.length > 0)) {
          const end = nl >= 0 ? nl : this.pending.length;
          let lineEnd = end;
          if (lineEnd > 0 && this.pending[lineEnd - 1] === 0x0d) lineEnd--;
          const line = new Uint8Array(lineEnd);
          line.set(this.pending.subarray(0, lineEnd));
          const rest = Buffer.from(this.pending.subarray(nl >= 0 ? nl + 1 : end));
          this.pending.fill(0);
          this.pending = rest;
          return line;
        }
        if (this.ended) return null;
        if (signal?.aborted) throw new SignetError('USER_CANCELLED', 'Cancelled.');
        await new Promise<void>((r) => {
          this.waiters.push(r);
          signal?.addEventListener('abort', () => r(), { once: true });
        });
      }
    } finally {
      this.input.pause();
    }
  }

  wipe(): void {
    this.pending.fill(0);
    this.pending = Buffer.alloc(0);
  }
}

export class StdinPinPrompt implements PinPrompt {
  /** Copies kept for reuse by per-signature PINs (wiped by wipe()): the first line, the last signature line. */
  private first: Uint8Array | undefined;
  private lastSignature: Uint8Array | undefined;

  constructor(
    private readonly source: StdinPinSource,
    private readonly stderr: Writable,
  ) {}

  async askPin(request: PinRequest, signal: AbortSignal): Promise<Uint8Array | null> {
    // A script cannot retype: report the failure instead of reading another line as a retry.
    if (request.previousError) throw SignetError.fromInfo(request.previousError);
    const line = await this.source.readLine(signal);
    if (line === null && request.kind === 'signature') {
      const reuse = this.lastSignature ?? this.first;
      // The caller wipes what it gets: hand out a copy.
      if (reuse) return Uint8Array.from(reuse);
    }
    if (line === null || line.length === 0) {
      line?.fill(0);
      throw new SignetError('INVALID_INPUT', `--pin-stdin: no ${request.kind === 'signature' ? 'signature PIN' : 'PIN (first line)'} on stdin.`);
    }
    if (this.first === undefined) this.first = Uint8Array.from(line);
    else if (request.kind === 'signature') {
      this.lastSignature?.fill(0);
      this.lastSignature = Uint8Array.from(line);
    }
    return line;
  }

  /** Zero the kept copies (end of the command). */
  wipe(): void {
    this.first?.fill(0);
    this.lastSignature?.fill(0);
    this.first = undefined;
    this.lastSignature = undefined;
  }

  showPinPad(request: PinRequest): () => void {
    this.stderr.write(`Enter the PIN on the reader's PIN pad (${describe(request)}; ${Math.round(request.timeoutMs / 1000)} s)…\n`);
    return () => undefined;
  }
}

/** No-echo terminal prompt (raw mode); Ctrl-C / Ctrl-D cancel. */
export class TerminalPinPrompt implements PinPrompt {
  constructor(
    private readonly stdin: Readable,
    private readonly stderr: Writable,
  ) {}

  askPin(request: PinRequest, signal: AbortSignal): Promise<Uint8Array | null> {
    const tty = this.stdin as ReadStream;
    if (!tty.isTTY || typeof tty.setRawMode !== 'function') {
      return Promise.reject(new SignetError('INVALID_INPUT', 'No terminal to ask for the PIN: use --pin-stdin (the PIN on the first line of stdin).'));
    }
    // Echo off before the prompt shows: a PIN typed as soon as the prompt appears must not reach
    // the terminal's echo in the moment between the prompt and raw mode.
    tty.setRawMode(true);
    const prev = previousText(request);
    if (prev) this.stderr.write(`${prev}\n`);
    if (request.token.pinFinalTry && !prev) this.stderr.write('Warning: the token says this is the last attempt before the PIN locks.\n');
    this.stderr.write(`${describe(request)}: `);
    const buf = Buffer.alloc(MAX_PIN);
    let len = 0;
    return new Promise<Uint8Array | null>((resolve, reject) => {
      const finish = (result: Uint8Array | null, error?: SignetError): void => {
        tty.setRawMode(false);
        tty.pause();
        tty.removeListener('data', onData);
        signal.removeEventListener('abort', onAbort);
        this.stderr.write('\n');
        buf.fill(0);
        if (error) reject(error);
        else resolve(result);
      };
      const onAbort = (): void => finish(null, new SignetError('USER_CANCELLED', 'Cancelled.'));
      const onData = (chunk: Buffer): void => {
        for (const byte of chunk) {
          if (byte === 0x03 || byte === 0x04) return finish(null); // Ctrl-C, Ctrl-D
          if (byte === 0x0d || byte === 0x0a) {
            const pin = new Uint8Array(len);
            pin.set(buf.subarray(0, len));
            return finish(pin);
          }
          if (byte === 0x7f || byte === 0x08) {
            if (len > 0) buf[--len] = 0;
          } else if (byte >= 0x20 && len < MAX_PIN) {
            buf[len++] = byte;
          }
        }
        chunk.fill(0);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      tty.resume();
      tty.on('data', onData);
    });
  }

  showPinPad(request: PinRequest, cancel: () => void): () => void {
    this.stderr.write(`Enter the PIN on the reader's PIN pad (${describe(request)}; ${Math.round(request.timeoutMs / 1000)} s). Ctrl-C cancels.\n`);
    const onSigint = (): void => cancel();
    process.once('SIGINT', onSigint);
    return () => process.removeListener('SIGINT', onSigint);
  }
}
