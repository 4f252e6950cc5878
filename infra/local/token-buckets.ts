// API Gateway's throttling: a token bucket per route that holds up to `burstLimit` requests
// and refills at `rateLimit` per second, across all callers. A request finding it empty is
// refused with 429 before any function runs.
import type { RouteThrottle } from '../../shared/api/routes.ts';

export interface TokenBuckets {
  /** Takes one token from the bucket of `key`; false when it is empty. */
  take(key: string, limit: RouteThrottle): boolean;
}

export function createTokenBuckets(now: () => number): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, limit) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: limit.burstLimit, at: time };
      bucket.tokens = Math.min(limit.burstLimit, bucket.tokens + ((time - bucket.at) / 1000) * limit.rateLimit);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
