/**
 * The client-side request rate limit (`maxRequestsPerMinute`): the limiter with fake timers, the client over a
 * MockAgent, and the client against an emulator that enforces a small limit for real.
 */
import {
  DEFAULT_MAX_REQUESTS_PER_MINUTE,
  RATE_LIMIT_MARGIN_MS,
  RATE_LIMIT_WINDOW_MS,
  RequestRateLimiter,
} from "../../src/client/internal/rateLimit";
import { FanslyClient, FanslyConfigError, FanslyNetworkError, FanslyRateLimitError } from "../../src/client";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { ACCOUNT, LINKS_PATH, linkJson, mockClient, scoped, type MockSetup } from "./helpers";

const SPAN_MS = RATE_LIMIT_WINDOW_MS + RATE_LIMIT_MARGIN_MS;

/** Queues `count` requests on `limiter`; returns the order in which they started. */
function queue(limiter: RequestRateLimiter, count: number): { started: number[]; failed: Error[] } {
  const started: number[] = [];
  const failed: Error[] = [];
  for (let i = 0; i < count; i++) {
    if (limiter.tryStart()) started.push(i);
    else
      limiter.enqueue(
        () => started.push(i),
        (error) => failed.push(error),
      );
  }
  return { started, failed };
}

/** Nothing of `started` has begun `ms` − 1 from now, and the first waiting request begins at `ms`. */
function expectFirstStartsIn(started: number[], ms: number): void {
  jest.advanceTimersByTime(ms - 1);
  expect(started).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(started).toEqual([0]);
}

describe("the limiter", () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test("starts up to the limit at once, then one more each time an old one leaves the window", () => {
    const limiter = new RequestRateLimiter(3);
    const { started } = queue(limiter, 7);
    expect(started).toEqual([0, 1, 2]);
    jest.advanceTimersByTime(SPAN_MS - 1);
    expect(started).toEqual([0, 1, 2]);
    jest.advanceTimersByTime(1);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    jest.advanceTimersByTime(SPAN_MS);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test("never lets more than the limit start within any window of a minute (plus the margin)", () => {
    const limiter = new RequestRateLimiter(5);
    const startTimes: number[] = [];
    for (let i = 0; i < 23; i++) {
      if (limiter.tryStart()) startTimes.push(Date.now());
      else limiter.enqueue(() => startTimes.push(Date.now()), () => undefined);
      jest.advanceTimersByTime(3_000); // a request every 3 s: 20 a minute asked for, 5 allowed
    }
    jest.advanceTimersByTime(10 * SPAN_MS);
    expect(startTimes).toHaveLength(23);
    for (const at of startTimes) {
      expect(startTimes.filter((other) => other >= at && other < at + SPAN_MS).length).toBeLessThanOrEqual(5);
    }
  });

  test("a request with its reply counts a minute from the reply, not from when it left plus the in-flight margin", () => {
    const limiter = new RequestRateLimiter(1);
    const first = limiter.tryStart();
    const { started } = queue(limiter, 1);
    jest.advanceTimersByTime(2_000);
    first?.settle(); // the reply came 2 s after the request left: the API counted it at the latest then
    expectFirstStartsIn(started, RATE_LIMIT_WINDOW_MS);
  });

  test("a request still without a reply holds its slot for the in-flight margin and a minute from when it left", () => {
    const limiter = new RequestRateLimiter(1);
    limiter.tryStart();
    const { started } = queue(limiter, 1);
    expectFirstStartsIn(started, SPAN_MS);
  });

  test("settling a slot twice, or late, never frees it earlier than a minute after its first settle", () => {
    const limiter = new RequestRateLimiter(1);
    const first = limiter.tryStart();
    const { started } = queue(limiter, 1);
    first?.settle();
    jest.advanceTimersByTime(30_000);
    first?.settle();
    expectFirstStartsIn(started, RATE_LIMIT_WINDOW_MS - 30_000);
  });

  test("waiting requests start in the order they arrived", () => {
    const limiter = new RequestRateLimiter(1);
    const { started } = queue(limiter, 4);
    jest.advanceTimersByTime(3 * SPAN_MS);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  test(`defaults to ${DEFAULT_MAX_REQUESTS_PER_MINUTE} a minute, and takes the API's X-RateLimit-Limit in its place`, () => {
    const limiter = new RequestRateLimiter(undefined);
    expect(limiter.limit).toBe(DEFAULT_MAX_REQUESTS_PER_MINUTE);
    limiter.observe(200, { "x-ratelimit-limit": "1000" });
    expect(limiter.limit).toBe(1000);
  });

  test("a limit the user set wins over the API's, whichever is higher", () => {
    const limiter = new RequestRateLimiter(300);
    limiter.observe(200, { "x-ratelimit-limit": "1000" });
    expect(limiter.limit).toBe(300);
    limiter.observe(200, { "x-ratelimit-limit": "100" });
    expect(limiter.limit).toBe(300);
  });

  test("an X-RateLimit-Limit that is not a whole number of at least 1 is ignored", () => {
    const limiter = new RequestRateLimiter(undefined);
    for (const value of ["lots", "0", "-5", "1.5", ""]) limiter.observe(200, { "x-ratelimit-limit": value });
    expect(limiter.limit).toBe(DEFAULT_MAX_REQUESTS_PER_MINUTE);
  });

  test("a raised limit lets waiting requests start at once", () => {
    const limiter = new RequestRateLimiter(undefined);
    limiter.observe(200, { "x-ratelimit-limit": "2" });
    const { started } = queue(limiter, 4);
    expect(started).toEqual([0, 1]);
    limiter.observe(200, { "x-ratelimit-limit": "4" });
    expect(started).toEqual([0, 1, 2, 3]);
  });

  test("a 429 holds every request back for its X-RateLimit-Retry-After, even with slots free", () => {
    const limiter = new RequestRateLimiter(100);
    limiter.observe(429, { "x-ratelimit-retry-after": "4" });
    const { started } = queue(limiter, 3);
    expect(started).toEqual([]);
    jest.advanceTimersByTime(3_999);
    expect(started).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(started).toEqual([0, 1, 2]);
  });

  test("cancelWaiting fails the waiting requests with a message naming the setting, and leaves no timer", () => {
    const limiter = new RequestRateLimiter(1);
    const { started, failed } = queue(limiter, 3);
    limiter.cancelWaiting();
    expect(started).toEqual([0]);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toBeInstanceOf(FanslyNetworkError);
    expect(failed[0]?.message).toContain("the maxRequestsPerMinute option");
    expect(jest.getTimerCount()).toBe(0);
  });

  test("close also refuses later requests, unsent, as when the client closed its own connections", () => {
    const limiter = new RequestRateLimiter(5);
    limiter.close();
    const { started, failed } = queue(limiter, 2);
    expect(started).toEqual([]);
    expect(failed.map((error) => (error instanceof FanslyNetworkError ? error.causeCode : error))).toEqual(["FANSLY_NOT_SENT", "FANSLY_NOT_SENT"]);
  });
});

describe("a client with maxRequestsPerMinute", () => {
  let setup: MockSetup;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  });
  afterEach(async () => {
    setup.agent.assertNoPendingInterceptors();
    await setup.agent.close();
    jest.useRealTimers();
  });

  test("sends at most that many requests a minute however many calls run in parallel, and completes them all", async () => {
    setup = mockClient({ maxRequestsPerMinute: 2 });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson()])).times(5);
    const calls = Array.from({ length: 5 }, () => setup.client.trackingLinks.list(ACCOUNT));
    const settled: number[] = [];
    calls.forEach((call, index) => void call.then(() => settled.push(index)));

    // The replies come at once: each request counts a minute from its reply, so the next two go a minute later.
    await jest.advanceTimersByTimeAsync(RATE_LIMIT_WINDOW_MS - 1);
    expect(settled.sort()).toEqual([0, 1]);
    await jest.advanceTimersByTimeAsync(1);
    expect(settled.sort()).toEqual([0, 1, 2, 3]);
    await jest.advanceTimersByTimeAsync(RATE_LIMIT_WINDOW_MS);
    await expect(Promise.all(calls)).resolves.toHaveLength(5);
  });

  test("time waiting for a slot is pacing, not spent maxRetryTimeMs: calls queued far past it complete, and a request that waited still gets its retry", async () => {
    setup = mockClient({ maxRequestsPerMinute: 1, maxRetryTimeMs: 5_000, maxRetries: 1 });
    const statuses = [200, 200, 503, 200];
    const sent: number[] = [];
    setup.pool
      .intercept({ path: LINKS_PATH, method: "GET" })
      .reply(() => {
        const statusCode = statuses[sent.length] ?? 500;
        sent.push(statusCode);
        return { statusCode, data: statusCode === 200 ? scoped([linkJson()]) : { success: false, error: "busy" } };
      })
      .times(statuses.length);
    // Three calls at once under 1 a minute: the third starts two windows later, 26 times its 5 s budget; its first
    // attempt draws a 503, and its retry waits a third window for a slot.
    const calls = [1, 2, 3].map(() => setup.client.trackingLinks.list(ACCOUNT));
    const settled = Promise.allSettled(calls);
    await jest.advanceTimersByTimeAsync(4 * SPAN_MS);
    expect((await settled).map((result) => (result.status === "rejected" ? String(result.reason) : result.status))).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(sent).toEqual([200, 200, 503, 200]);
  });

  test("is refused when it is not a whole number of at least 1, naming the option", () => {
    expect(() => new FanslyClient({ apiKey: "k-123456", maxRequestsPerMinute: 0 })).toThrow(FanslyConfigError);
    expect(() => new FanslyClient({ apiKey: "k-123456", maxRequestsPerMinute: 1.5 })).toThrow(/maxRequestsPerMinute/);
    setup = mockClient();
  });
});

describe("against an emulator that enforces a limit", () => {
  const KEY = "rate-limit-test-key-0042";
  let emulator: RunningEmulator;
  let client: FanslyClient | undefined;

  beforeEach(async () => {
    emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT], rateLimitPerMinute: 3 });
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await emulator.close();
  });

  /** Closes the client now (failing what still waits for a slot), so afterEach does not close it again. */
  async function closeClient(): Promise<void> {
    const closing = client?.close();
    client = undefined;
    await closing;
  }

  test("the client learns the limit from X-RateLimit-Limit and waits for a slot instead of drawing a 429", async () => {
    const paced = (client = new FanslyClient({ apiKey: KEY, baseUrl: emulator.url }));
    await paced.trackingLinks.list(ACCOUNT); // 1 of 3; the reply says the limit is 3
    const creates = [1, 2, 3].map((n) => paced.trackingLinks.create(ACCOUNT, { label: `Link ${n}` }).catch((error: unknown) => error));
    await Promise.all(creates.slice(0, 2));

    expect(emulator.requests().map((r) => r.status)).toEqual([200, 200, 200]);
    await closeClient(); // the third create still waits for a slot: closing fails it, unsent
    const error = await creates[2];
    expect(error).toBeInstanceOf(FanslyNetworkError);
    expect((error as Error).message).toMatch(/maxRequestsPerMinute.*nothing was sent/);
    expect(emulator.requests()).toHaveLength(3);
    expect(emulator.store.customLinks(ACCOUNT)).toHaveLength(2);
  });

  test("a limit the user set is kept even when the API advertises a lower one (the API's 429s then pace it)", async () => {
    const fast = (client = new FanslyClient({ apiKey: KEY, baseUrl: emulator.url, maxRequestsPerMinute: 1000, maxRetries: 0 }));
    await fast.trackingLinks.list(ACCOUNT);
    const more = await Promise.all([1, 2, 3].map(() => fast.trackingLinks.list(ACCOUNT).catch((error: unknown) => error)));
    expect(emulator.requests().map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
    expect(more.filter((result) => result instanceof FanslyRateLimitError)).toHaveLength(1);
  });
});
