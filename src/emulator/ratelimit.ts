/** Documented Starter-plan limit: requests per key in a sliding one-minute window. */
export const RATE_LIMIT_PER_MINUTE = 600;
export const RATE_LIMIT_PLAN = "starter";
const WINDOW_MS = 60_000;

/**
 * Counts requests per accepted key so `X-RateLimit-Remaining` moves like the real header. It never refuses a
 * request by itself: a test that wants a 429 queues a fault, so a long test run cannot trip over a real limit.
 * Keys are tracked by their position in the configured list, so the key text is not held here.
 */
export class RateLimitWindow {
  private readonly hits = new Map<number, number[]>();

  /** Records one request by the key at `keyIndex` and returns how many remain in the current window. */
  hit(keyIndex: number, now: number): number {
    const recent = this.hits.get(keyIndex) ?? [];
    // Times are appended in order, so the stale ones are a prefix: drop it without scanning the rest.
    const firstFresh = recent.findIndex((at) => at > now - WINDOW_MS);
    recent.splice(0, firstFresh === -1 ? recent.length : firstFresh);
    recent.push(now);
    this.hits.set(keyIndex, recent);
    return Math.max(0, RATE_LIMIT_PER_MINUTE - recent.length);
  }
}
