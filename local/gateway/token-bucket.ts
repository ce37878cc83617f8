import type { ThrottleLimits } from '../plan';

/** Milliseconds since the epoch (Date.now); tests pass their own. */
export type Clock = () => number;

/**
 * API Gateway's throttle, as its documentation describes it: a bucket that holds at most
 * `burstLimit` tokens and gains `rateLimit` tokens a second, continuously; each request takes
 * one, and a request that finds less than one is throttled. It starts full, so a quiet client
 * may send a whole burst at once, and `rateLimit` a second after that.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly limits: ThrottleLimits,
    private readonly clock: Clock,
  ) {
    this.tokens = limits.burstLimit;
    this.updatedAt = clock();
  }

  /** Whether a request now would find a token (taking none). */
  hasToken(): boolean {
    this.refill();
    // Refills are fractional: a token that is due must not be missed by a rounding error.
    return this.tokens >= 1 - 1e-9;
  }

  /** Takes the token `hasToken` found. */
  take(): void {
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = this.clock();
    // A clock set back (NTP) adds nothing rather than taking tokens away.
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(
      this.limits.burstLimit,
      this.tokens + (elapsedMs / 1000) * this.limits.rateLimit,
    );
    this.updatedAt = now;
  }
}
