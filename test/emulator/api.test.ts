import { MAX_BODY_BYTES } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { call, LINKS_PATH, messageOf, startTestEmulator } from "./helpers";

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await startTestEmulator({ accounts: ["fansly_demo", "fansly_second"] });
});

afterEach(async () => {
  await emulator.close();
});

describe("the x-api-key guard", () => {
  test("a wrong key gets 401 and the documented envelope", async () => {
    const reply = await call(emulator, "GET", LINKS_PATH, { key: "not-the-key" });

    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      statusCode: 401,
      message: "Invalid or missing API key",
      data: null,
      timestamp: expect.any(String) as unknown,
    });
  });

  test("a missing key gets 401", async () => {
    const reply = await call(emulator, "GET", "/api/fansly/accounts", { key: null });

    expect(reply.status).toBe(401);
  });

  test("a 401 changes nothing", async () => {
    await call(emulator, "POST", LINKS_PATH, { key: "wrong", body: { label: "sneaky" } });

    expect(emulator.store.customLinks("fansly_demo")).toEqual([]);
  });

  test("any configured key is accepted", async () => {
    const second = await startTestEmulator({ apiKeys: ["first", "second"] });
    try {
      expect((await call(second, "GET", LINKS_PATH, { key: "second" })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe("rate-limit headers", () => {
  test("every reply carries the Starter plan's headers, errors included", async () => {
    const replies = [await call(emulator, "GET", LINKS_PATH), await call(emulator, "GET", LINKS_PATH, { key: null })];
    for (const reply of replies) {
      expect(reply.headers["x-ratelimit-limit"]).toBe("600");
      expect(reply.headers["x-ratelimit-plan"]).toBe("starter");
      expect(reply.headers["x-ratelimit-remaining"]).toMatch(/^\d+$/);
    }
  });

  test("X-RateLimit-Remaining counts down with each request by the key", async () => {
    const first = await call(emulator, "GET", LINKS_PATH);
    const second = await call(emulator, "GET", LINKS_PATH);

    expect(first.headers["x-ratelimit-remaining"]).toBe("599");
    expect(second.headers["x-ratelimit-remaining"]).toBe("598");
  });
});

describe("GET /api/fansly/accounts", () => {
  test("lists every known account in the documented shape", async () => {
    const reply = await call(emulator, "GET", "/api/fansly/accounts");

    expect(reply.status).toBe(200);
    expect((reply.json as { data: unknown }).data).toEqual({
      success: true,
      count: 2,
      accounts: [
        expect.objectContaining({ accountId: "fansly_demo", email: expect.any(String) as unknown }) as unknown,
        expect.objectContaining({ accountId: "fansly_second", name: expect.any(String) as unknown }) as unknown,
      ],
    });
    expect(Object.keys((reply.json as { data: { accounts: object[] } }).data.accounts[0] ?? {}).sort()).toEqual(
      ["accountId", "country", "createdAt", "email", "name"],
    );
  });
});

describe("the catch-all", () => {
  test("an unknown route gets 404 Cannot <METHOD> <path>", async () => {
    const reply = await call(emulator, "GET", "/api/fansly/fansly_demo/posts?x=1");

    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({
      statusCode: 404,
      message: "Cannot GET /api/fansly/fansly_demo/posts",
      data: null,
    });
  });

  test("an unsupported method on a known path gets the catch-all 404", async () => {
    const reply = await call(emulator, "PATCH", LINKS_PATH, { body: { label: "x" } });

    expect(reply.status).toBe(404);
    expect(messageOf(reply)).toBe(`Cannot PATCH ${LINKS_PATH}`);
  });
});

describe("request size", () => {
  test("a body over 1 MiB gets the 413 envelope and changes nothing", async () => {
    const label = "x".repeat(MAX_BODY_BYTES);

    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label } });

    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ statusCode: 413, data: null });
    expect(emulator.store.customLinks("fansly_demo")).toEqual([]);
  });

  test("the connection still works after a 413", async () => {
    await call(emulator, "POST", LINKS_PATH, { body: { label: "x".repeat(MAX_BODY_BYTES) } });

    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(200);
  });
});
