// Per-channel send rate: a token bucket in this process (real time, not the injectable clock,
// since it paces calls to a provider). Several instances each keep their own bucket, so set the
// rate per instance.

export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `perSecond` 0 means unlimited. The bucket holds one second's worth (at least 1). */
  constructor(readonly perSecond: number, private clock: () => number = () => performance.now()) {
    this.tokens = Math.max(1, perSecond);
    this.last = clock();
  }

  private refill() {
    const now = this.clock();
    const cap = Math.max(1, this.perSecond);
    this.tokens = Math.min(cap, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /**
   * Takes one token. Returns how many ms the caller must wait before sending (0 = now), or
   * null when that wait would exceed `maxWaitMs`: then nothing is taken and the caller should
   * reschedule instead of holding a worker.
   */
  reserve(maxWaitMs: number): number | null {
    if (this.perSecond <= 0) return 0;
    this.refill();
    const wait = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000;
    if (wait > maxWaitMs) return null;
    this.tokens -= 1; // may go negative: later callers wait behind the reserved ones
    return Math.ceil(wait);
  }

  /** How long until a token is free (for rescheduling). */
  waitMs(): number {
    if (this.perSecond <= 0) return 0;
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
