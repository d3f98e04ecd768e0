/**
 * The client against the emulator over real HTTP on 127.0.0.1: what MockAgent cannot show (sockets, keep-alive,
 * timeouts, replies cut short, a change applied whose reply was lost).
 */
import {
  FanslyAuthError,
  FanslyClient,
  FanslyNetworkError,
  FanslyProtocolError,
  FanslyTimeoutError,
  FanslyValidationError,
  findCreatedLink,
  isBuiltInLink,
} from "../../src/client";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { CANARY_KEY } from "./helpers";

const ACCOUNT = "fansly_demo";
let emulator: RunningEmulator;
let client: FanslyClient;

beforeEach(async () => {
  emulator = await startEmulator({ apiKeys: [CANARY_KEY], accounts: [ACCOUNT] });
  client = new FanslyClient({ apiKey: CANARY_KEY, baseUrl: emulator.url, retryBaseDelayMs: 5, timeoutMs: 2_000 });
});

afterEach(async () => {
  await client.close();
  await emulator.close();
});

function customLabels(): string[] {
  return emulator.store.customLinks(ACCOUNT).map((link) => link.label);
}

describe("the full lifecycle over HTTP", () => {
  test("create, list, get, update and delete a link; the built-in links are listed and marked", async () => {
    const created = await client.trackingLinks.create(ACCOUNT, { label: "Twitter bio", description: "pinned tweet" });
    expect(created.id).toMatch(/^\d{18}$/);

    const links = await client.trackingLinks.list(ACCOUNT);
    expect(links.filter(isBuiltInLink).map((l) => l.label)).toEqual(["For You", "Search", "Suggestions"]);
    expect(links.filter((l) => !isBuiltInLink(l)).map((l) => l.id)).toEqual([created.id]);

    await client.trackingLinks.update(ACCOUNT, { id: created.id, label: "Twitter bio v2", description: "" });
    expect(await client.trackingLinks.get(ACCOUNT, created.id)).toMatchObject({ label: "Twitter bio v2", description: "" });

    await expect(client.trackingLinks.delete(ACCOUNT, created.id)).resolves.toEqual({ deleted: true });
    await expect(client.trackingLinks.delete(ACCOUNT, created.id)).resolves.toEqual({ alreadyGone: true });
    expect(await client.trackingLinks.get(ACCOUNT, created.id)).toBeUndefined();
    expect(customLabels()).toEqual([]);
  });

  test("the list follows the emulator's pages to the end", async () => {
    await emulator.close();
    emulator = await startEmulator({ apiKeys: [CANARY_KEY], accounts: [ACCOUNT], pageSize: 4 });
    emulator.store.seedLinks(ACCOUNT, 10, "Seeded");
    client = new FanslyClient({ apiKey: CANARY_KEY, baseUrl: emulator.url });
    const links = await client.trackingLinks.list(ACCOUNT);
    expect(links).toHaveLength(13);
    expect(new Set(links.map((l) => l.id)).size).toBe(13);
    expect(emulator.requests().filter((r) => r.method === "GET")).toHaveLength(4);
  });

  test("a wrong key is an auth error naming the apiKey option", async () => {
    const wrong = new FanslyClient({ apiKey: "not-the-key", baseUrl: emulator.url });
    await expect(wrong.trackingLinks.list(ACCOUNT)).rejects.toThrow(FanslyAuthError);
    await expect(wrong.trackingLinks.list(ACCOUNT)).rejects.toThrow(/check the apiKey option/);
    await wrong.close();
  });

  test("the emulator's validation message reaches the user", async () => {
    await expect(client.trackingLinks.create(ACCOUNT, { label: "x".repeat(101) })).rejects.toThrow(FanslyValidationError);
    await expect(client.trackingLinks.create(ACCOUNT, { label: "x".repeat(101) })).rejects.toThrow(/label/);
  });
});

describe("create", () => {
  test("a label with a right-to-left override is refused before it is sent, naming the character", async () => {
    const error = await client.trackingLinks.create(ACCOUNT, { label: "\u202Eexe.txt" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyValidationError);
    expect(String(error)).toMatch(/U\+202E \(right-to-left override\) at character 1/);
    expect(emulator.requests()).toHaveLength(0);
  });
});

describe("connections", () => {
  test("ten deletes with a body open no new connection: keep-alive survives DELETE", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await client.trackingLinks.create(ACCOUNT, { label: `L${i}` })).id);
    const afterCreates = emulator.connectionsOpened();
    // undici's pool may open a second socket while the first is still finishing a reply; never one per request.
    expect(afterCreates).toBeLessThanOrEqual(2);
    for (const id of ids) await client.trackingLinks.delete(ACCOUNT, id);
    expect(emulator.connectionsOpened()).toBe(afterCreates);
    expect(customLabels()).toEqual([]);
  });
});

describe("faults over real sockets", () => {
  test("a 429 with X-RateLimit-Retry-After is waited out and the create happens once", async () => {
    emulator.addFault({ method: "POST", status: 429, retryAfter: 1 });
    const started = Date.now();
    await client.trackingLinks.create(ACCOUNT, { label: "After the wait" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(customLabels()).toEqual(["After the wait"]);
  });

  test("a dropped connection on a GET is retried", async () => {
    emulator.addFault({ method: "GET", kind: "drop" });
    await expect(client.trackingLinks.list(ACCOUNT)).resolves.toHaveLength(3);
    expect(emulator.requests().map((r) => r.status)).toEqual(["dropped", 200]);
  });

  test("a PUT applied but whose reply was lost is retried and ends applied once", async () => {
    const link = await client.trackingLinks.create(ACCOUNT, { label: "Before" });
    emulator.addFault({ method: "PUT", kind: "apply-then-drop" });
    await client.trackingLinks.update(ACCOUNT, { id: link.id, label: "After", description: "" });
    expect(customLabels()).toEqual(["After"]);
  });

  test("a DELETE applied but whose reply was lost ends as success, not as an error", async () => {
    const link = await client.trackingLinks.create(ACCOUNT, { label: "Doomed" });
    emulator.addFault({ method: "DELETE", kind: "apply-then-drop" });
    await expect(client.trackingLinks.delete(ACCOUNT, link.id)).resolves.toEqual({ alreadyGone: true });
    expect(customLabels()).toEqual([]);
  });

  test("a POST applied but whose reply was lost is not repeated: no duplicate, and the link can be found", async () => {
    emulator.addFault({ method: "POST", kind: "apply-then-drop" });
    const requestedAt = Date.now();
    await expect(client.trackingLinks.create(ACCOUNT, { label: "Once" })).rejects.toThrow(FanslyNetworkError);
    expect(customLabels()).toEqual(["Once"]);
    const found = findCreatedLink(await client.trackingLinks.list(ACCOUNT), { label: "Once", description: "" }, requestedAt);
    expect(found?.label).toBe("Once");
  });

  // undici checks timeouts on a coarse clock (about a second), so the emulator is made much slower than that.
  test("headers slower than the timeout are a timeout error, retried for a GET", async () => {
    emulator.addFault({ method: "GET", kind: "slow-headers", latencyMs: 3_000 });
    const quick = new FanslyClient({ apiKey: CANARY_KEY, baseUrl: emulator.url, timeoutMs: 200, retryBaseDelayMs: 5 });
    await expect(quick.trackingLinks.list(ACCOUNT)).resolves.toHaveLength(3);
    await quick.close();
  });

  test("a POST whose headers are slower than the timeout is a timeout error and is not repeated", async () => {
    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: 3_000 });
    const quick = new FanslyClient({ apiKey: CANARY_KEY, baseUrl: emulator.url, timeoutMs: 200 });
    const error = await quick.trackingLinks.create(ACCOUNT, { label: "Slow" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyTimeoutError);
    expect(String(error)).toMatch(/no reply within 200 ms.*raise the timeoutMs option/);
    await quick.close();
    // Applied exactly once: the timed-out POST was not sent again.
    expect(customLabels()).toEqual(["Slow"]);
  });

  test("a body cut short is a network error, not a half-parsed success", async () => {
    emulator.addFault({ method: "GET", kind: "truncate-body", times: 10 });
    await expect(client.trackingLinks.list(ACCOUNT)).rejects.toThrow(FanslyNetworkError);
  });

  test.each(["malformed-json", "wrong-shape"] as const)("a %s reply to a GET is read once more; twice is a protocol error", async (kind) => {
    emulator.addFault({ method: "GET", kind });
    await expect(client.trackingLinks.list(ACCOUNT)).resolves.toBeInstanceOf(Array);
    emulator.addFault({ method: "GET", kind, times: 2 });
    await expect(client.trackingLinks.list(ACCOUNT)).rejects.toThrow(FanslyProtocolError);
  });

  test("nothing listening is a network error after the retries, saying nothing reached the server", async () => {
    const port = emulator.port;
    await emulator.close();
    const dead = new FanslyClient({ apiKey: CANARY_KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2, retryBaseDelayMs: 5 });
    const error = await dead.trackingLinks.list(ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyNetworkError);
    expect(error).toMatchObject({ causeCode: "ECONNREFUSED", attempts: 3 });
    expect(String(error)).toContain("nothing reached the server");
    // A create that could not connect is reported as such, without a lookup that would fail the same way.
    const created = await dead.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Never sent" }).catch((e: unknown) => e);
    expect(created).toMatchObject({ causeCode: "ECONNREFUSED", method: "POST" });
    await dead.close();
    emulator = await startEmulator({ apiKeys: [CANARY_KEY], accounts: [ACCOUNT] });
  });

  test("the emulator's request log never holds the key", async () => {
    await client.trackingLinks.create(ACCOUNT, { label: "Logged" });
    expect(JSON.stringify(emulator.requests())).not.toContain(CANARY_KEY);
  });
});
