/** Documented Starter-plan limit: requests per key in a sliding one-minute window. */
export const RATE_LIMIT_PER_MINUTE = 600;
const WINDOW_MS = 60_000;
/** Plans by their documented limit, for `X-RateLimit-Plan`; any other limit is reported as "custom". */
const PLAN_BY_LIMIT: Readonly<Record<number, string>> = { 600: "starter", 1000: "pro" };

/** What one request did to its key's window. */
export interface RateLimitCheck {
  /** False when the window was full and the limit is enforced: the request must get a 429. */
  allowed: boolean;
  /** Requests left in the window after this one (`X-RateLimit-Remaining`). */
  remaining: number;
  /** For a refused request: how long until the window has room again, ms. */
  retryAfterMs: number;
}

/**
 * Counts requests per accepted key in a sliding one-minute window, so `X-RateLimit-Remaining` moves like the real
 * header. By default it never refuses a request: a test that wants a 429 queues a fault, so a long test run cannot
 * trip over a real limit. Made with `enforce`, it refuses a request that would be the window's `limit + 1`th.
 * Refused requests are not counted (our guess: apifansly does not say whether they cost a slot or a credit).
 * Keys are tracked by their position in the configured list, so the key text is not held here.
 */
export class RateLimitWindow {
  private readonly hits = new Map<number, number[]>();

  constructor(
    readonly limit: number = RATE_LIMIT_PER_MINUTE,
    private readonly enforce = false,
  ) {}

  /** The `X-RateLimit-Plan` value for this limit. */
  get plan(): string {
    return PLAN_BY_LIMIT[this.limit] ?? "custom";
  }

  /** Records one request by the key at `keyIndex` (unless refused) and says whether it may proceed. */
  hit(keyIndex: number, now: number): RateLimitCheck {
    const recent = this.hits.get(keyIndex) ?? [];
    // Times are appended in order, so the stale ones are a prefix: drop it without scanning the rest.
    const firstFresh = recent.findIndex((at) => at > now - WINDOW_MS);
    recent.splice(0, firstFresh === -1 ? recent.length : firstFresh);
    this.hits.set(keyIndex, recent);
    if (this.enforce && recent.length >= this.limit) {
      const leaving = recent[recent.length - this.limit] ?? now;
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(0, leaving + WINDOW_MS - now) };
    }
    recent.push(now);
    return { allowed: true, remaining: Math.max(0, this.limit - recent.length), retryAfterMs: 0 };
  }
}
