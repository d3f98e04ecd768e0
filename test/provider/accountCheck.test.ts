/**
 * `check` refuses an account the key does not have, at preview, with one accounts listing per provider process.
 * The client runs on a MockAgent whose accounts route counts its calls (a second listing would be a second credit).
 */
import { MockAgent } from "undici";
import { FanslyClient } from "../../src/client";
import { TrackingLinkImplementation } from "../../src/provider";
import { UNKNOWN_VALUE } from "../../src/provider/schemas";

const ORIGIN = "https://v1.apifansly.com";
const KEY = "account-check-key-3c8e1a";
const ACCOUNTS_PATH = "/api/fansly/accounts";
const KEY_ACCOUNTS = ["fansly_demo", "fansly_other"];

let agent: MockAgent;
let provider: TrackingLinkImplementation;
let listings: number;

function accountsReply(accounts: readonly string[]): Record<string, unknown> {
  return {
    statusCode: 200,
    message: "Success",
    data: { success: true, count: accounts.length, accounts: accounts.map((accountId) => ({ accountId, email: `${accountId}@example.com`, name: accountId })) },
  };
}

/** The accounts route answers `status` with `body`, counting each call, for as many calls as arrive. */
function serveAccounts(status: number, body: Record<string, unknown>): void {
  agent
    .get(ORIGIN)
    .intercept({ path: ACCOUNTS_PATH, method: "GET" })
    .reply(() => {
      listings++;
      return { statusCode: status, data: body };
    })
    .persist();
}

async function providerWith(config: Record<string, string>): Promise<TrackingLinkImplementation> {
  const made = new TrackingLinkImplementation((settings) => new FanslyClient({ ...settings.client, dispatcher: agent, retryBaseDelayMs: 1, maxRetries: 0 }), {});
  await made.configure({ config: { get: (key) => ({ "fansly:apiKey": KEY, ...config })[key] } });
  return made;
}

beforeEach(async () => {
  listings = 0;
  agent = new MockAgent();
  agent.disableNetConnect();
  provider = await providerWith({ "fansly:accountId": "fansly_dmeo" });
});

afterEach(async () => {
  await provider.close();
  await agent.close();
});

describe("check of the account", () => {
  test("a typo'd default account fails at check naming the key's accounts, the likely one, and the config fix", async () => {
    serveAccounts(200, accountsReply(KEY_ACCOUNTS));
    const result = await provider.check({}, { label: "Twitter bio" });
    expect(result.failures).toEqual([{ property: "accountId", reason: expect.any(String) as unknown }]);
    const reason = result.failures?.[0]?.reason ?? "";
    expect(reason).toMatch(/^fansly_dmeo, the provider's default account, is not an account of this apifansly key, which has fansly_demo, fansly_other; did you mean fansly_demo\?/);
    expect(reason).toContain("pulumi config set fansly:accountId fansly_demo");
    // Only ids: the accounts' emails are not for a CI log.
    expect(reason).not.toContain("@example.com");
  });

  test("a typo'd accountId argument names the link's own accountId as the fix", async () => {
    serveAccounts(200, accountsReply(KEY_ACCOUNTS));
    const result = await provider.check({}, { label: "Twitter bio", accountId: "fansly_othre" });
    expect(result.failures?.[0]?.reason).toMatch(/^fansly_othre is not an account .*did you mean fansly_other\?: fix this link's accountId/);
  });

  test("two hundred checks of new links, right and wrong, send one accounts listing", async () => {
    serveAccounts(200, accountsReply(KEY_ACCOUNTS));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => provider.check({}, { label: `Link ${i}`, accountId: i % 2 === 0 ? "fansly_demo" : "fansly_nope" })),
    );
    expect(results.filter((result) => (result.failures ?? []).length > 0)).toHaveLength(100);
    expect(listings).toBe(1);
  });

  test("a link staying in its account is not looked up (a no-change check sends nothing); one moved to another is", async () => {
    serveAccounts(200, accountsReply(KEY_ACCOUNTS));
    const staying = { label: "Twitter bio", description: "", accountId: "fansly_gone" };
    expect((await provider.check(staying, { label: "Twitter bio v2", accountId: "fansly_gone" })).failures).toEqual([]);
    expect(listings).toBe(0);
    const moved = { label: "Twitter bio", description: "", accountId: "fansly_demo" };
    expect((await provider.check(moved, { label: "Twitter bio" })).failures).toEqual([{ property: "accountId", reason: expect.stringMatching(/^fansly_dmeo, the provider's default account, is not/) as unknown }]);
    expect(listings).toBe(1);
  });

  test("an account not known until up, and bad input, are not looked up; the first new known account is", async () => {
    serveAccounts(200, accountsReply(KEY_ACCOUNTS));
    expect((await provider.check({}, { label: "Twitter bio", accountId: UNKNOWN_VALUE })).failures).toEqual([]);
    expect((await provider.check({}, { label: "" })).failures).toHaveLength(1);
    expect(listings).toBe(0);
    expect((await provider.check({}, { label: "Twitter bio", accountId: "fansly_demo" })).failures).toEqual([]);
    expect(listings).toBe(1);
  });

  test("configured again with the same key (the dynamic face meets another provider text), it does not list again; with another key it does", async () => {
    serveAccounts(200, accountsReply(KEY_ACCOUNTS));
    const config = (key: string) => ({ config: { get: (name: string) => ({ "fansly:apiKey": key, "fansly:accountId": "fansly_demo" })[name] } });
    await provider.configure(config(KEY));
    expect((await provider.check({}, { label: "A" })).failures).toEqual([]);
    await provider.configure(config(KEY));
    expect((await provider.check({}, { label: "B" })).failures).toEqual([]);
    expect(listings).toBe(1);
    await provider.configure(config("another-key-5e7f9a2b"));
    expect((await provider.check({}, { label: "C" })).failures).toEqual([]);
    expect(listings).toBe(2);
  });

  test("a key with no account connected says so", async () => {
    serveAccounts(200, accountsReply([]));
    const result = await provider.check({}, { label: "Twitter bio" });
    expect(result.failures?.[0]?.reason).toMatch(/has no account connected \(connect one in the apifansly dashboard\)/);
  });

  test("a rejected key (401) fails each resource's check with the key's fix where the stack sets it, listing once", async () => {
    serveAccounts(401, { statusCode: 401, message: "Invalid API key", data: null });
    const checks = await Promise.all([1, 2, 3].map((i) => provider.check({}, { label: `Link ${i}` })));
    for (const { failures } of checks) {
      expect(failures?.map((failure) => failure.property)).toEqual([""]);
      const reason = failures?.[0]?.reason ?? "";
      expect(reason).toMatch(/^401 Unauthorized \(GET \/api\/fansly\/accounts\)/);
      expect(reason).toContain("check the apiKey option (apiKey: run \u0060pulumi config set --secret fansly:apiKey");
      expect(reason).not.toContain(KEY);
    }
    expect(listings).toBe(1);
  });

  test.each([
    [403, "Forbidden"],
    [404, "Cannot GET /api/fansly/accounts"],
    [500, "Internal error"],
  ])("a listing answering %i does not block: the check passes and the link's own requests will say", async (status, message) => {
    serveAccounts(status, { statusCode: status, message, data: null });
    expect((await provider.check({}, { label: "A" })).failures).toEqual([]);
    expect((await provider.check({}, { label: "B" })).failures).toEqual([]);
    expect(listings).toBe(1);
  });
});
