/**
 * Per-token request queues in the host (issue 13 item 8): requests naming one token run one at a
 * time, in arrival order; different tokens run side by side (C_Sign on libuv's pool for slow
 * cards). Queuing here rather than in the client lets the client post the next request while the
 * token works on the current one, so a batch pays the request/response round trip once, not per
 * signature (docs/token-host.md, "Pipelining").
 *
 * A request that is still waiting can be withdrawn (`cancel`): it never reaches the token. A queue
 * starts from `setImmediate`, after the event loop has read what arrived meanwhile, so a cancel
 * posted while the request before it was busy on the main thread (a synchronous C_Sign,
 * C_GenerateKeyPair) is seen before the request would start. Requests that finish quickly (a
 * soft token's or an HSM's signature) are followed at once by the next of their queue for up to
 * TURN_BUDGET_MS, so their answers leave in one write (host/main.ts); a cancel arriving within
 * that window finds its request started, as it would behind a slow one.
 */

/** How long one queue may keep the event loop before it lets I/O (new requests, cancels) in. */
const TURN_BUDGET_MS = 2;

interface Waiting {
  id: number;
  run: () => Promise<void>;
  /** Answer a request withdrawn before it started. */
  drop: () => void;
}

interface Queue {
  key: string;
  waiting: Waiting[];
  /** A request of this queue is running, or the next one is scheduled. */
  active: boolean;
}

export class TokenQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly byId = new Map<number, Queue>();

  /** Queue `run` behind the requests already waiting for `key`. */
  submit(key: string, id: number, run: () => Promise<void>, drop: () => void): void {
    let q = this.queues.get(key);
    if (!q) {
      q = { key, waiting: [], active: false };
      this.queues.set(key, q);
    }
    q.waiting.push({ id, run, drop });
    this.byId.set(id, q);
    if (!q.active) this.schedule(q);
  }

  /** Withdraw a request that has not started; false when it has (or is unknown). */
  cancel(id: number): boolean {
    const q = this.byId.get(id);
    if (!q) return false;
    const i = q.waiting.findIndex((w) => w.id === id);
    if (i < 0) return false;
    const [w] = q.waiting.splice(i, 1);
    this.byId.delete(id);
    w!.drop();
    return true;
  }

  /** Requests waiting (not started) in all queues. */
  get waiting(): number {
    return this.byId.size;
  }

  private schedule(q: Queue): void {
    q.active = true;
    setImmediate(() => this.next(q, performance.now()));
  }

  private next(q: Queue, turnStarted: number): void {
    const w = q.waiting.shift();
    if (!w) {
      q.active = false;
      this.queues.delete(q.key);
      return;
    }
    this.byId.delete(w.id);
    // `run` answers the request itself and never rejects; the catch only keeps the queue moving.
    w.run()
      .catch(() => undefined)
      .finally(() => {
        if (q.waiting.length > 0 && performance.now() - turnStarted < TURN_BUDGET_MS) this.next(q, turnStarted);
        else this.schedule(q);
      });
  }
}
