import {
  FanslyNetworkError,
  FanslyRateLimitError,
  FanslyServerError,
  FanslyTimeoutError,
  FanslyValidationError,
  type FanslyLogEvent,
} from "../../src/client";
import { backoffDelayMs, retryAfterMsFrom } from "../../src/client/internal/retry";
import { ACCOUNT, LINKS_PATH, errorEnvelope, linkJson, mockClient, scoped, settleWithFakeTimers, type MockSetup } from "./helpers";

let setup: MockSetup;
let events: FanslyLogEvent[];

function retryDelays(): number[] {
  return events.filter((e) => e.type === "retry").map((e) => e.delayMs ?? -1);
}

function connectionError(code: string): Error {
  return Object.assign(new Error(`simulated ${code}`), { code });
}

const DELETE_OK = { statusCode: 200, message: "Success", data: { status_code: 200, data: { success: true } } };

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  jest.spyOn(Math, "random").mockReturnValue(1);
  events = [];
  setup = mockClient({ retryBaseDelayMs: 1000, logger: (e) => events.push(e) });
});

afterEach(async () => {
  setup.agent.assertNoPendingInterceptors();
  await setup.agent.close();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

type Call = () => Promise<unknown>;
const operations: Record<"GET" | "PUT" | "DELETE", { call: (s: MockSetup) => Call; ok: object }> = {
  GET: { call: (s) => () => s.client.trackingLinks.list(ACCOUNT), ok: scoped([linkJson()]) },
  PUT: { call: (s) => () => s.client.trackingLinks.update(ACCOUNT, { id: "1", label: "L", description: "" }), ok: scoped(linkJson()) },
  DELETE: { call: (s) => () => s.client.trackingLinks.delete(ACCOUNT, "1"), ok: DELETE_OK },
};

describe("retries of safe-to-repeat requests", () => {
  test.each(
    (["GET", "PUT", "DELETE"] as const).flatMap((method) => [429, 502, 503, 504].map((status) => [method, status] as const)),
  )("%s is retried after a %i and then succeeds", async (method, status) => {
    setup.pool.intercept({ path: LINKS_PATH, method }).reply(status, errorEnvelope(status, "busy"));
    setup.pool.intercept({ path: LINKS_PATH, method }).reply(200, operations[method].ok);
    await settleWithFakeTimers(operations[method].call(setup)());
    expect(retryDelays()).toHaveLength(1);
  });

  test.each(["ECONNRESET", "UND_ERR_SOCKET", "ECONNREFUSED"])("GET is retried after a connection error %s", async (code) => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).replyWithError(connectionError(code));
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson()]));
    await expect(settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT))).resolves.toHaveLength(1);
  });

  test("a 500 is not retried: the server may have acted", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "PUT" }).reply(500, errorEnvelope(500, "oops"));
    const error = await settleWithFakeTimers(operations.PUT.call(setup)()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyServerError);
    expect(error).toMatchObject({ attempts: 1 });
  });

  test("a 400 is not retried", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(400, errorEnvelope(400, "Invalid request parameters"));
    await expect(settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT))).rejects.toThrow(FanslyValidationError);
    expect(retryDelays()).toEqual([]);
  });
});

describe("POST retries", () => {
  test("a POST that got a 503 is not repeated (it may have created the link)", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(503, errorEnvelope(503, "unavailable"));
    const error = await settleWithFakeTimers(setup.client.trackingLinks.create(ACCOUNT, { label: "L" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyServerError);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
  });

  test("a POST whose connection reset is not repeated and says the link may exist", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).replyWithError(connectionError("ECONNRESET"));
    const error = await settleWithFakeTimers(setup.client.trackingLinks.create(ACCOUNT, { label: "L" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyNetworkError);
    expect(error).toMatchObject({ causeCode: "ECONNRESET", attempts: 1 });
    expect(String(error)).toMatch(/may or may not have been applied/);
  });

  test("a POST refused with 429 is repeated: the server provably did not act", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(429, errorEnvelope(429, "Rate limit exceeded."), { headers: { "x-ratelimit-retry-after": "2" } });
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, scoped(linkJson({ id: "9" })));
    await expect(settleWithFakeTimers(setup.client.trackingLinks.create(ACCOUNT, { label: "L" }))).resolves.toMatchObject({ id: "9" });
  });

  test("a POST whose connection was refused is repeated", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).replyWithError(connectionError("ECONNREFUSED"));
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, scoped(linkJson({ id: "9" })));
    await expect(settleWithFakeTimers(setup.client.trackingLinks.create(ACCOUNT, { label: "L" }))).resolves.toMatchObject({ id: "9" });
  });
});

describe("backoff", () => {
  test("waits grow exponentially and the next attempt is not sent before the wait ends", async () => {
    let sent = 0;
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(() => ((sent += 1), { statusCode: 503, data: errorEnvelope(503, "x") })).times(2);
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(() => ((sent += 1), { statusCode: 200, data: scoped([]) }));
    const result = setup.client.trackingLinks.list(ACCOUNT);
    await jest.advanceTimersByTimeAsync(999);
    expect(sent).toBe(1);
    await jest.advanceTimersByTimeAsync(2);
    expect(sent).toBe(2);
    await jest.advanceTimersByTimeAsync(1998);
    expect(sent).toBe(2);
    await jest.advanceTimersByTimeAsync(2);
    expect(sent).toBe(3);
    await expect(result).resolves.toEqual([]);
    expect(retryDelays()).toEqual([1000, 2000]);
  });

  test("jitter spreads each wait between half and all of its step", () => {
    const settings = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxElapsedMs: 120_000 };
    expect(backoffDelayMs(3, { ...settings, random: () => 0 })).toBe(2000);
    expect(backoffDelayMs(3, { ...settings, random: () => 0.5 })).toBe(3000);
    expect(backoffDelayMs(3, { ...settings, random: () => 0.999999 })).toBe(4000);
    expect(backoffDelayMs(20, { ...settings, random: () => 1 })).toBe(30_000);
  });

  test("attempts are bounded by maxRetries and the error says how many were made", async () => {
    setup = mockClient({ retryBaseDelayMs: 10, maxRetries: 2 });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, "x")).times(3);
    const error = await settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyServerError);
    expect(error).toMatchObject({ attempts: 3, status: 503 });
    expect(String(error)).toContain("3 attempts");
  });
});

describe("Retry-After", () => {
  test("X-RateLimit-Retry-After in seconds sets the wait", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(429, errorEnvelope(429, "Rate limit exceeded."), { headers: { "x-ratelimit-retry-after": "7" } });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([]));
    await settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT));
    expect(retryDelays()).toEqual([7000]);
  });

  test("Retry-After as an HTTP date sets the wait to the time until that date", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const when = new Date(Math.ceil((Date.now() + 10_000) / 1000) * 1000);
    const expected = when.getTime() - Date.now();
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, "x"), { headers: { "retry-after": when.toUTCString() } });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([]));
    await settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT));
    const [delay] = retryDelays();
    expect(expected).toBeGreaterThan(9_000);
    expect(delay).toBeGreaterThanOrEqual(expected - 50);
    expect(delay).toBeLessThanOrEqual(expected);
  });

  test("the vendor header wins over Retry-After, and a plain Retry-After in seconds is read", () => {
    expect(retryAfterMsFrom({ "x-ratelimit-retry-after": "3", "retry-after": "60" })).toBe(3000);
    expect(retryAfterMsFrom({ "retry-after": "1.5" })).toBe(1500);
    expect(retryAfterMsFrom({ "retry-after": "soon" })).toBeUndefined();
    expect(retryAfterMsFrom({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }, Date.parse("Wed, 21 Oct 2015 07:27:00 GMT"))).toBe(60_000);
  });

  test("a wait longer than the time budget is not taken: the rate-limit error says how long to wait", async () => {
    setup = mockClient({ maxRetryTimeMs: 5_000 });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(429, errorEnvelope(429, "Rate limit exceeded."), { headers: { "x-ratelimit-retry-after": "60" } });
    const error = await settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyRateLimitError);
    expect(error).toMatchObject({ attempts: 1, retryAfterMs: 60_000, code: "FANSLY_RATE_LIMITED" });
  });

  test("429 on every attempt ends in a rate-limit error that names what to lower", async () => {
    setup = mockClient({ retryBaseDelayMs: 10, maxRetries: 1 });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(429, errorEnvelope(429, "Rate limit exceeded.")).times(2);
    const error = await settleWithFakeTimers(setup.client.trackingLinks.list(ACCOUNT)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyRateLimitError);
    expect(String(error)).toMatch(/pulumi's --parallel\) or lower the maxRequestsPerMinute option/);
  });
});

describe("one time budget per call (maxRetryTimeMs)", () => {
  const BUDGET_MS = 5_000;

  /** Runs a call under fake timers; returns how it settled and how much (fake) time it took. */
  async function timed(call: () => Promise<unknown>): Promise<{ outcome: unknown; elapsedMs: number }> {
    const startedAt = Date.now();
    const outcome = await settleWithFakeTimers(call()).catch((e: unknown) => e);
    return { outcome, elapsedMs: Date.now() - startedAt };
  }

  beforeEach(() => {
    // Waits of 1 s, 2 s, 4 s, … (random() is 1): two retries spend 3 s of the 5 s budget.
    setup = mockClient({ retryBaseDelayMs: 1000, maxRetries: 10, maxRetryTimeMs: BUDGET_MS, logger: (e) => events.push(e) });
  });

  test("a GET read again after an unreadable reply spends what is left of the first read's budget, not a new one", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, "Service Unavailable")).times(2);
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, "<html>proxy error</html>");
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, "Service Unavailable")).times(2);

    const { outcome, elapsedMs } = await timed(() => setup.client.trackingLinks.list(ACCOUNT));

    expect(outcome).toBeInstanceOf(FanslyServerError);
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS);
    expect(retryDelays()).toEqual([1000, 2000, 0, 1000]);
  });

  test("the pages of one listing share one budget", async () => {
    const firstPage = { statusCode: 200, message: "Success", data: { status_code: 200, data: { success: true, response: { trackingLinks: [linkJson()], hasMore: true, offset: 0, limit: 1 } } } };
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, "Service Unavailable")).times(2);
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, firstPage);
    setup.pool.intercept({ path: `${LINKS_PATH}?offset=1&limit=1`, method: "GET" }).reply(503, errorEnvelope(503, "Service Unavailable")).times(2);

    const { outcome, elapsedMs } = await timed(() => setup.client.trackingLinks.list(ACCOUNT));

    expect(outcome).toBeInstanceOf(FanslyServerError);
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS);
  });

  test("an attempt still waiting for its reply when the budget runs out is cut off, with a message naming the budget", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson()])).delay(20_000);

    const { outcome, elapsedMs } = await timed(() => setup.client.trackingLinks.list(ACCOUNT));

    expect(outcome).toBeInstanceOf(FanslyTimeoutError);
    expect(String(outcome)).toMatch(/time budget of 5000 ms .*raise the maxRetryTimeMs option/);
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS + 50);
  });

  test("a create that looks for its link after a lost reply, and posts again, stays within one budget", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(503, errorEnvelope(503, "Service Unavailable")).times(3);
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([])).times(3);

    const { outcome, elapsedMs } = await timed(() => setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" }));

    expect(outcome).toBeInstanceOf(FanslyServerError);
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS);
  });
});
