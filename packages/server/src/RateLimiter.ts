/**
 * A token bucket: `burst` tokens at once, refilled at `perSecond`. One per connection (one for
 * frames, one for bytes), so a client flooding the server is slowed down without anyone else
 * noticing.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes `cost` tokens; false (taking none) when the bucket has fewer. */
  take(cost = 1): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
