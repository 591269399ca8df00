// Per-user rate limiting with Zulip's headers (zerver/middleware.py): a sliding window of
// request times; X-RateLimit-Reset is absolute UNIX seconds, Retry-After may be fractional.
import { ApiError } from './reply';

export interface RateLimitOptions {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitVerdict {
  headers: Record<string, string>;
  /** Set when the request is over the limit. */
  error?: ApiError;
}

export class RateLimiter {
  private readonly history = new Map<number, number[]>();

  constructor(public options: RateLimitOptions | false) {}

  check(userId: number, now = Date.now()): RateLimitVerdict {
    if (!this.options) return { headers: {} };
    const { limit, windowSeconds } = this.options;
    const windowMs = windowSeconds * 1000;
    const times = (this.history.get(userId) ?? []).filter((t) => t > now - windowMs);
    this.history.set(userId, times);
    const over = times.length >= limit;
    if (!over) times.push(now);
    const oldest = times[0] ?? now;
    const secondsToFreedom = Math.max(0, (oldest + windowMs - now) / 1000);
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - times.length)),
      'X-RateLimit-Reset': String(Math.floor(now / 1000 + secondsToFreedom)),
    };
    if (!over) return { headers };
    const retryAfter = secondsToFreedom;
    return {
      headers,
      error: new ApiError(429, 'RATE_LIMIT_HIT', 'API usage exceeded rate limit', { 'retry-after': retryAfter }, {
        ...headers,
        'Retry-After': String(retryAfter),
      }),
    };
  }

  reset(): void {
    this.history.clear();
  }
}
