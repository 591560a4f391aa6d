/**
 * Per-origin token bucket: `burst` requests at once, refilled at `perSecond`. A page that loops
 * on the API is slowed down (429 + Retry-After) instead of flooding the user with prompts.
 */
export interface RateLimitOptions {
  burst: number;
  perSecond: number;
  /** Clock for tests. */
  now?: () => number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(private readonly opts: RateLimitOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until the next token. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: now };
    b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.perSecond);
    b.at = now;
    if (this.buckets.size > 1000) this.prune(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.ceil(((1 - b.tokens) / this.opts.perSecond) * 1000);
  }

  /** Forget full buckets so a stream of distinct origins cannot grow the map without bound. */
  private prune(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.opts.perSecond >= this.opts.burst) this.buckets.delete(k);
    }
  }
}
