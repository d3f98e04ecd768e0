import { request } from "undici";
import type { RunningEmulator } from "../../src/emulator";
import { ACCOUNT, call, createLink, KEY, LINKS_PATH, messageOf, responseOf, startTestEmulator } from "./helpers";

let emulator: RunningEmulator;

afterEach(async () => {
  await emulator.close();
});

function customLabels(): string[] {
  return emulator.store.customLinks(ACCOUNT).map((link) => link.label);
}

describe("status faults", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });

  test("a 503 fault replies with the error envelope and does not create the link", async () => {
    emulator.addFault({ status: 503 });

    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: "not yet" } });

    expect(reply.status).toBe(503);
    expect(reply.json).toMatchObject({ statusCode: 503, message: "Service Unavailable", data: null });
    expect(customLabels()).toEqual([]);
  });

  test("a 429 fault carries X-RateLimit-Retry-After and the documented message", async () => {
    emulator.addFault({ status: 429, retryAfter: 7 });

    const reply = await call(emulator, "GET", LINKS_PATH);

    expect(reply.status).toBe(429);
    expect(reply.headers["x-ratelimit-retry-after"]).toBe("7");
    expect(reply.headers["retry-after"]).toBe("7");
    expect(reply.headers["x-ratelimit-remaining"]).toBe("0");
    expect(messageOf(reply)).toBe("Rate limit exceeded. Please wait before making more requests.");
  });

  test("a string retryAfter is sent verbatim as Retry-After only", async () => {
    const date = "Wed, 21 Oct 2026 07:28:00 GMT";
    emulator.addFault({ status: 429, retryAfter: date });

    const reply = await call(emulator, "GET", LINKS_PATH);

    expect(reply.headers["retry-after"]).toBe(date);
    expect(reply.headers["x-ratelimit-retry-after"]).toBeUndefined();
  });

  test("a fault hits `times` matching requests, then is used up", async () => {
    emulator.addFault({ status: 500, times: 2 });

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(emulator, "GET", LINKS_PATH)).status);

    expect(statuses).toEqual([500, 500, 200]);
  });

  test("a fault matches only its method and path", async () => {
    emulator.addFault({ method: "post", path: "/tracking-links", status: 502 });

    const list = await call(emulator, "GET", LINKS_PATH);
    const accounts = await call(emulator, "POST", "/api/fansly/accounts", { body: {} });
    const create = await call(emulator, "POST", LINKS_PATH, { body: { label: "x" } });

    expect([list.status, accounts.status, create.status]).toEqual([200, 404, 502]);
  });

  test("faults given at start are queued in order", async () => {
    await emulator.close();
    emulator = await startTestEmulator({ faults: [{ status: 500 }, { status: 503 }] });

    const first = await call(emulator, "GET", LINKS_PATH);
    const second = await call(emulator, "GET", LINKS_PATH);

    expect([first.status, second.status]).toEqual([500, 503]);
  });

  test("clearFaults empties the queue", async () => {
    emulator.addFault({ status: 500, times: 5 });
    emulator.clearFaults();

    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(200);
  });

  test("a malformed fault given in code throws the helpful message", () => {
    expect(() => {
      emulator.addFault({ status: 42 });
    }).toThrow("fault.status must be a number between 200 and 599; example: {\"status\":503,\"times\":2}");
  });
});

describe("connection faults", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });

  test("drop resets the connection and does not apply the change", async () => {
    emulator.addFault({ kind: "drop" });

    await expect(call(emulator, "POST", LINKS_PATH, { body: { label: "lost" } })).rejects.toThrow();

    expect(customLabels()).toEqual([]);
    expect(emulator.requests()[0]).toMatchObject({ status: "dropped", fault: "drop" });
  });

  test("apply-then-drop applies the change and drops the reply", async () => {
    emulator.addFault({ kind: "apply-then-drop", method: "POST" });

    await expect(call(emulator, "POST", LINKS_PATH, { body: { label: "applied" } })).rejects.toThrow();

    expect(customLabels()).toEqual(["applied"]);
    expect(emulator.requests()[0]).toMatchObject({ status: "dropped", fault: "apply-then-drop" });
  });

  test("truncate-body promises the whole body, sends half, and the change is applied", async () => {
    emulator.addFault({ kind: "truncate-body" });
    const response = await request(`${emulator.url}${LINKS_PATH}`, {
      method: "POST",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ label: "half" }),
    });

    expect(response.statusCode).toBe(200);
    expect(Number(response.headers["content-length"])).toBeGreaterThan(0);
    await expect(response.body.text()).rejects.toThrow();
    expect(customLabels()).toEqual(["half"]);
  });

  test("slow-headers applies the change but holds the headers past a client's timeout", async () => {
    emulator.addFault({ kind: "slow-headers", latencyMs: 2_000 });

    const started = performance.now();
    await expect(
      call(emulator, "POST", LINKS_PATH, { body: { label: "slow" }, signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/abort|timeout/i);

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(customLabels()).toEqual(["slow"]);
  });
});

describe("body faults", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });

  test("malformed-json applies the change and replies 200 with a body that is not JSON", async () => {
    emulator.addFault({ kind: "malformed-json" });

    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: "mangled" } });

    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^application\/json/);
    expect(() => JSON.parse(reply.text) as unknown).toThrow(SyntaxError);
    expect(customLabels()).toEqual(["mangled"]);
  });

  test("wrong-shape applies the change and replies 200 with valid JSON of the wrong shape", async () => {
    const link = await createLink(emulator, "before");
    emulator.addFault({ kind: "wrong-shape", method: "PUT" });

    const reply = await call(emulator, "PUT", LINKS_PATH, { body: { id: link.id, label: "after", description: "" } });

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true });
    expect(customLabels()).toEqual(["after"]);
  });

  test("a faulted reply still carries the rate-limit headers", async () => {
    emulator.addFault({ kind: "wrong-shape" });

    const reply = await call(emulator, "GET", LINKS_PATH);

    expect(reply.headers["x-ratelimit-limit"]).toBe("600");
    expect(responseOf(reply)).toBeUndefined();
  });
});

describe("latency", () => {
  test("latencyMs delays every API reply", async () => {
    emulator = await startTestEmulator({ latencyMs: 150 });

    const started = performance.now();
    await call(emulator, "GET", LINKS_PATH);

    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("a fault's latencyMs adds to the global latency for that request only", async () => {
    emulator = await startTestEmulator();
    emulator.addFault({ kind: "slow-headers", latencyMs: 150 });

    let started = performance.now();
    await call(emulator, "GET", LINKS_PATH);
    const slow = performance.now() - started;
    started = performance.now();
    await call(emulator, "GET", LINKS_PATH);
    const fast = performance.now() - started;

    expect(slow).toBeGreaterThanOrEqual(140);
    expect(fast).toBeLessThan(140);
  });

  test("closing does not wait for a reply still sleeping out its latency", async () => {
    emulator = await startTestEmulator({ latencyMs: 10_000 });
    const pending = call(emulator, "GET", LINKS_PATH).catch((error: unknown) => error);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await emulator.close();

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
