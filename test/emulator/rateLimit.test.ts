/** The emulator's enforced per-minute limit (`rateLimitPerMinute`) and the window that counts it. */
import { RateLimitWindow } from "../../src/emulator/ratelimit";
import type { RunningEmulator } from "../../src/emulator";
import { ACCOUNT, call, KEY, LINKS_PATH, startTestEmulator } from "./helpers";

const MINUTE_MS = 60_000;

describe("an emulator started with rateLimitPerMinute", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startTestEmulator({ accounts: [ACCOUNT], rateLimitPerMinute: 2 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  test("answers the request over the limit with the documented 429 and X-RateLimit-Retry-After, and does not apply it", async () => {
    await call(emulator, "POST", LINKS_PATH, { body: { label: "First" } });
    await call(emulator, "POST", LINKS_PATH, { body: { label: "Second" } });
    const refused = await call(emulator, "POST", LINKS_PATH, { body: { label: "Third" } });

    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({
      statusCode: 429,
      message: "Rate limit exceeded. Please wait before making more requests.",
      data: null,
    });
    const retryAfter = Number(refused.headers["x-ratelimit-retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers["x-ratelimit-remaining"]).toBe("0");
    expect(emulator.store.customLinks(ACCOUNT).map((link) => link.label)).toEqual(["First", "Second"]);
    expect(emulator.requests().map((r) => r.status)).toEqual([200, 200, 429]);
  });

  test("advertises its limit in X-RateLimit-Limit and counts X-RateLimit-Remaining down from it", async () => {
    const first = await call(emulator, "GET", LINKS_PATH);
    const second = await call(emulator, "GET", LINKS_PATH);
    expect(first.headers["x-ratelimit-limit"]).toBe("2");
    expect(first.headers["x-ratelimit-plan"]).toBe("custom");
    expect([first.headers["x-ratelimit-remaining"], second.headers["x-ratelimit-remaining"]]).toEqual(["1", "0"]);
  });

  test("counts each key on its own", async () => {
    await emulator.close();
    emulator = await startTestEmulator({ apiKeys: [KEY, "other-key-9931"], rateLimitPerMinute: 1 });
    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(200);
    expect((await call(emulator, "GET", LINKS_PATH, { key: "other-key-9931" })).status).toBe(200);
    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(429);
  });

  test("a fault queued for the refused request waits for the next request that is let through", async () => {
    await call(emulator, "GET", LINKS_PATH);
    await call(emulator, "GET", LINKS_PATH);
    emulator.addFault({ status: 503 });
    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(429);
    expect(emulator.requests().at(-1)?.fault).toBeUndefined();
  });
});

describe("startEmulator's rateLimitPerMinute option", () => {
  test.each([0, -5, 1.5])("%p is refused with a message naming the option", async (value) => {
    await expect(startTestEmulator({ rateLimitPerMinute: value })).rejects.toThrow(/rateLimitPerMinute must be a whole number/);
  });
});

describe("the window behind it", () => {
  test("enforced: refuses the request over the limit until the oldest request is a minute old", () => {
    const window = new RateLimitWindow(2, true);
    expect(window.hit(0, 0).allowed).toBe(true);
    expect(window.hit(0, 10_000).allowed).toBe(true);
    expect(window.hit(0, 20_000)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 40_000 });
    expect(window.hit(0, MINUTE_MS - 1).allowed).toBe(false);
    expect(window.hit(0, MINUTE_MS)).toMatchObject({ allowed: true, remaining: 0 });
  });

  test("refused requests are not counted: the window frees on the schedule of the ones let through", () => {
    const window = new RateLimitWindow(1, true);
    window.hit(0, 0);
    for (let at = 1_000; at < MINUTE_MS; at += 1_000) expect(window.hit(0, at).allowed).toBe(false);
    expect(window.hit(0, MINUTE_MS).allowed).toBe(true);
  });

  test("not enforced (the default): counts, but never refuses", () => {
    const window = new RateLimitWindow();
    const checks = Array.from({ length: 700 }, (_, i) => window.hit(0, i));
    expect(checks.every((check) => check.allowed)).toBe(true);
    expect(checks.at(-1)?.remaining).toBe(0);
    expect(window.plan).toBe("starter");
  });
});
