import { inspect } from "node:util";
import { FanslyClient, FanslyConfigError, FanslyError, type FanslyLogEvent } from "../../src/client";
import { excerptOf, redactSecrets } from "../../src/client/redact";
import { ACCOUNT, CANARY_KEY, LINKS_PATH, errorEnvelope, mockClient, type MockSetup } from "./helpers";

let setup: MockSetup;
let events: FanslyLogEvent[];

beforeEach(() => {
  events = [];
  setup = mockClient({ maxRetries: 1, retryBaseDelayMs: 0, logger: (e) => events.push(e) });
});

afterEach(async () => {
  setup.agent.assertNoPendingInterceptors();
  await setup.agent.close();
});

function everythingReadable(error: unknown): string {
  return [String(error), inspect(error, { depth: 5 }), JSON.stringify(error), JSON.stringify(events), inspect(setup.client, { depth: 5 })].join("\n");
}

describe("the API key never shows", () => {
  test("the key is sent in the x-api-key header", async () => {
    let seen: unknown;
    setup.pool
      .intercept({ path: "/api/fansly/accounts", method: "GET", headers: (h) => ((seen = h["x-api-key"]), true) })
      .reply(200, { statusCode: 200, message: "ok", data: { accounts: [] } });
    await setup.client.accounts.list();
    expect(seen).toBe(CANARY_KEY);
  });

  test("a server message that echoes the key is redacted in the error, its toString, inspect and JSON", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(401, errorEnvelope(401, `Invalid API key ${CANARY_KEY}`));
    const error = await setup.client.trackingLinks.list(ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyError);
    expect(String(error)).toContain("[REDACTED]");
    expect(everythingReadable(error)).not.toContain(CANARY_KEY);
  });

  test("a protocol error's excerpt of a reply that echoes the key is redacted", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, `{"echo":{"x-api-key":"${CANARY_KEY}"}`);
    const error = await setup.client.trackingLinks.list(ACCOUNT).catch((e: unknown) => e);
    expect(everythingReadable(error)).not.toContain(CANARY_KEY);
  });

  test("retry and response log lines never carry the key", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, CANARY_KEY));
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(503, errorEnvelope(503, CANARY_KEY));
    const error = await setup.client.trackingLinks.list(ACCOUNT).catch((e: unknown) => e);
    expect(events.map((e) => e.type)).toEqual(["retry"]);
    expect(everythingReadable(error)).not.toContain(CANARY_KEY);
  });

  test("a bad option error does not echo the key", () => {
    const attempt = () => new FanslyClient({ apiKey: ` ${CANARY_KEY}\n`, dispatcher: setup.agent });
    expect(attempt).toThrow(FanslyConfigError);
    expect(attempt).toThrow(/apiKey has leading or trailing whitespace/);
    expect(() => attempt()).not.toThrow(new RegExp(CANARY_KEY));
  });

  test("redaction also catches an x-api-key header dump with a key we never registered", () => {
    expect(redactSecrets('{"x-api-key": "someone-elses-key"}')).toBe('{"x-api-key": "[REDACTED]"}');
    expect(excerptOf("a\n\n  b", 10)).toBe("a b");
  });
});

describe("client options", () => {
  test.each([
    [{}, /apiKey is missing/],
    [{ apiKey: "" }, /apiKey is empty/],
    [{ apiKey: "k-123456", baseUrl: "not a url" }, /baseUrl is not a URL/],
    [{ apiKey: "k-123456", baseUrl: "ftp://example.com" }, /baseUrl must start with https:\/\//],
    [{ apiKey: "k-123456", baseUrl: "http://api.example.com" }, /plain http:\/\/ to a non-loopback host.*clear text/],
    [{ apiKey: "k-123456", timeoutMs: -1 }, /timeoutMs/],
    [{ apiKey: "k-123456", maxRetries: 50 }, /maxRetries must be at most 10/],
  ])("%p is refused with a message naming the option and the fix", (options, message) => {
    expect(() => new FanslyClient(options as never)).toThrow(message);
  });

  test("plain http is allowed to a loopback emulator, and a path prefix in baseUrl is kept", async () => {
    const local = mockClient({ baseUrl: "http://127.0.0.1:8787/proxy/" });
    local.agent
      .get("http://127.0.0.1:8787")
      .intercept({ path: "/proxy/api/fansly/accounts", method: "GET" })
      .reply(200, { statusCode: 200, message: "ok", data: { accounts: [] } });
    await expect(local.client.accounts.list()).resolves.toEqual([]);
    local.agent.assertNoPendingInterceptors();
  });

  test("close() closes the client's own agent and leaves an injected dispatcher open", async () => {
    const own = new FanslyClient({ apiKey: "k-123456" });
    await own.close();
    await setup.client.close();
    setup.pool.intercept({ path: "/api/fansly/accounts", method: "GET" }).reply(200, { statusCode: 200, message: "ok", data: { accounts: [] } });
    await expect(setup.client.accounts.list()).resolves.toEqual([]);
  });
});
