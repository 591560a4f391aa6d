/**
 * Files handed to Signet from outside — the command line, macOS "open-file" (delivered before
 * `ready`), a second instance — wait here until the window can show them, so a file opened while
 * Signet is still starting (or while its window is being recreated) is never lost.
 */
export class LaunchInbox {
  private readonly pending: string[] = [];
  private deliver: ((paths: string[]) => void) | null = null;

  add(paths: readonly string[]): void {
    if (paths.length === 0) return;
    if (this.deliver) this.deliver([...paths]);
    else this.pending.push(...paths);
  }

  /** The window is ready: hand over what waited, then deliver directly. */
  open(deliver: (paths: string[]) => void): void {
    this.deliver = deliver;
    const waiting = this.pending.splice(0);
    if (waiting.length > 0) deliver(waiting);
  }

  /** The window is gone: queue again. */
  close(): void {
    this.deliver = null;
  }

  /** Paths still waiting (for the log when start-up fails). */
  get waiting(): number {
    return this.pending.length;
  }
}
