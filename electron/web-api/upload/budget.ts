/**
 * Upload byte budgets: how many request-body bytes one party may have on their way in (being
 * received, hashed and spooled) at once, and how many all parties together. A page that starts
 * ten 30 MB uploads gets its budget's worth streamed and the rest refused before a byte is read
 * (the declared Content-Length is reserved up front); the temp directory cannot be filled.
 */
export class ByteBudget {
  private readonly used = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perKey: () => number,
    private readonly overall: () => number,
  ) {}

  /** Reserve `bytes` for `key`; false when that would exceed a budget. */
  reserve(key: string, bytes: number): boolean {
    const mine = this.used.get(key) ?? 0;
    if (mine + bytes > this.perKey() || this.total + bytes > this.overall()) return false;
    this.used.set(key, mine + bytes);
    this.total += bytes;
    return true;
  }

  release(key: string, bytes: number): void {
    const left = (this.used.get(key) ?? 0) - bytes;
    if (left <= 0) this.used.delete(key);
    else this.used.set(key, left);
    this.total = Math.max(0, this.total - bytes);
  }

  get inUse(): number {
    return this.total;
  }
}
