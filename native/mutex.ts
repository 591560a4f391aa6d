/**
 * A FIFO async mutex, and a map of them keyed by token: calls to one token are serialised
 * (a card does one thing at a time; a login and a signature must not interleave), while
 * different tokens and modules proceed concurrently.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  /** Wait for the lock; resolves with the release function. An aborted wait never takes the lock. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = this.tail;
    this.tail = before.then(() => mine);
    this.holders++;
    let released = false;
    const done = (): void => {
      if (released) return;
      released = true;
      this.holders--;
      release();
    };
    return new Promise<() => void>((resolve, reject) => {
      if (signal?.aborted) {
        // Still pass the baton in order once our turn comes.
        void before.then(done);
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        void before.then(done);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void before.then(() => {
        if (signal?.aborted) return;
        signal?.removeEventListener('abort', onAbort);
        resolve(done);
      });
    });
  }

  get locked(): boolean {
    return this.holders > 0;
  }
}

export class KeyedMutex {
  private readonly locks = new Map<string, Mutex>();

  async run<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let m = this.locks.get(key);
    if (!m) {
      m = new Mutex();
      this.locks.set(key, m);
    }
    const release = await m.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
      if (!m.locked) this.locks.delete(key);
    }
  }

  /** The lock for `key` (to hold it across several calls, e.g. login then sign). */
  get(key: string): Mutex {
    let m = this.locks.get(key);
    if (!m) {
      m = new Mutex();
      this.locks.set(key, m);
    }
    return m;
  }
}
