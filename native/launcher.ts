/**
 * How the TokenClient starts a token-host process. The host code is the same everywhere
 * (dist/host.js); only the way it is started differs:
 *  - CLI and tests: a Node child process (`child_process.fork`, 'advanced' serialization so
 *    Uint8Arrays cross) — NodeHostLauncher in native/node-launcher.ts;
 *  - the desktop app: an Electron `utilityProcess` — electron/app implements HostLauncher.
 *
 * A launcher never passes a module, an environment variable for a module, or a PIN to the
 * process it starts: the client sends `module.init` (with the module's env) as the first message.
 */
import type { ClientMessage, HostMessage } from './protocol';

export interface HostExit {
  code: number | null;
  signal: string | null;
}

/** One running host process, seen from the client. */
export interface HostProcess {
  readonly pid: number | undefined;
  /** Post a message. Must serialise synchronously (structured clone / v8 serializer): the client
   *  wipes PIN buffers right after this returns. */
  send(message: ClientMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
  /** Called once when the process has gone (exit, crash, kill). */
  onExit(listener: (exit: HostExit) => void): void;
  /** Lines the host wrote to stderr (diagnostics from vendor modules), when available. */
  onStderr?(listener: (line: string) => void): void;
  /** Forcefully end the process (SIGKILL or equivalent): used after a timeout or a cancelled PIN pad. */
  kill(): void;
  /**
   * Optional: ask an idle host to end cleanly — it calls C_Finalize ("the last Cryptoki call made
   * by an application", PKCS#11 v2.40 §5.4) and exits. Modules that hold resources outside the
   * process need it: tpm2-pkcs11 without a TPM resource manager leaves its sessions and objects
   * loaded in the TPM otherwise, and the next process finds the TPM full. The client still kills
   * the process if it has not gone soon.
   */
  shutdown?(): void;
}

export interface HostLauncher {
  /** Start a host for one module. `name` is for diagnostics only (e.g. the module's file name). */
  launch(name: string): HostProcess;
  /** Optional: start hosts ahead of time so the first `launch` is instant (CLI start-up). */
  prewarm?(count: number): void;
  /** Optional: end prewarmed hosts nobody took. */
  dispose?(): void;
}
