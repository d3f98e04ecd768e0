import { FanslyNotFoundError, FanslyProtocolError, FanslyValidationError } from "../../src/client";
import { ACCOUNT, LINKS_PATH, errorEnvelope, linkJson, mockClient, scoped, type MockSetup } from "./helpers";

let setup: MockSetup;

beforeEach(() => {
  setup = mockClient();
});

afterEach(async () => {
  setup.agent.assertNoPendingInterceptors();
  await setup.agent.close();
});

function bodyOf(body: unknown): unknown {
  return JSON.parse(String(body));
}

describe("create", () => {
  test("posts label and description and returns the new link with a string id", async () => {
    let sent: unknown;
    setup.pool
      .intercept({ path: LINKS_PATH, method: "POST", body: (b) => ((sent = bodyOf(b)), true) })
      .reply(200, scoped(linkJson({ id: 845759434926862337n.toString(), label: "Reddit post #3" })));
    const link = await setup.client.trackingLinks.create(ACCOUNT, { label: "Reddit post #3" });
    expect(sent).toEqual({ label: "Reddit post #3", description: "" });
    expect(link).toMatchObject({ id: "845759434926862337", label: "Reddit post #3", description: "" });
  });

  test("accepts the link at data.data itself, not only at data.data.response", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "POST" })
      .reply(200, { statusCode: 201, message: "Created", data: { status_code: 201, data: linkJson({ id: "42" }) } });
    const link = await setup.client.trackingLinks.create(ACCOUNT, { label: "Twitter bio" });
    expect(link.id).toBe("42");
  });

  test("an 18-digit numeric id in the reply keeps every digit", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "POST" })
      .reply(
        200,
        '{"statusCode":200,"message":"Success","data":{"status_code":200,"data":{"success":true,"response":{"id":845759434926862336,"label":"Twitter bio","description":"id: 845759434926862336"}}}}',
      );
    const link = await setup.client.trackingLinks.create(ACCOUNT, { label: "Twitter bio", description: "id: 845759434926862336" });
    expect(link.id).toBe("845759434926862336");
    expect(link.description).toBe("id: 845759434926862336");
  });

  test("a reply without the link finds it in the list by label, description and creation time", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, scoped(null));
    const old = linkJson({ id: "1", label: "Twitter bio", createdAt: Date.now() - 3_600_000 });
    const fresh = linkJson({ id: "2", label: "Twitter bio", createdAt: Date.now() });
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([old, fresh]));
    const link = await setup.client.trackingLinks.create(ACCOUNT, { label: "Twitter bio" });
    expect(link.id).toBe("2");
  });

  test("a reply without the link and no match in the list is a protocol error, not a guess", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, scoped(null));
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson({ id: "1", label: "Other" })]));
    await expect(setup.client.trackingLinks.create(ACCOUNT, { label: "Twitter bio" })).rejects.toThrow(FanslyProtocolError);
  });

  test("a blank label is refused before any request", async () => {
    await expect(setup.client.trackingLinks.create(ACCOUNT, { label: "   " })).rejects.toThrow(/label must be a non-empty string/);
  });

  test("an account id that could not be one is refused before any request, without echoing it", async () => {
    const error = await setup.client.trackingLinks.create("../accounts", { label: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyValidationError);
    expect(String(error)).toMatch(/accountId must be apifansly's account id/);
    expect(String(error)).not.toContain("../accounts");
  });
});

describe("createWithoutDuplicates", () => {
  test("a 503 on the POST: the list shows no such link, so it posts again, once", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(503, errorEnvelope(503, "Service Unavailable"));
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([]));
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, scoped(linkJson({ id: "7", label: "Bio" })));
    const link = await setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" });
    expect(link.id).toBe("7");
  });

  test("a 502 after the server made the link: it is found in the list and not posted again", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(502, "Bad Gateway");
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson({ id: "8", label: "Bio", createdAt: Date.now() })]));
    const link = await setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" });
    expect(link.id).toBe("8");
  });

  test("a twin this process already manages is not taken for the new link", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(504, "Gateway Timeout");
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson({ id: "9", label: "Bio", createdAt: Date.now() })]));
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, scoped(linkJson({ id: "10", label: "Bio" })));
    const link = await setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" }, new Set(["9"]));
    expect(link.id).toBe("10");
  });

  test("a 500 or a 422 is thrown at once: no list, no second POST", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(500, errorEnvelope(500, "Internal Server Error"));
    await expect(setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" })).rejects.toMatchObject({ status: 500 });
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(422, errorEnvelope(422, "label is too long"));
    await expect(setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" })).rejects.toBeInstanceOf(FanslyValidationError);
  });

  test("503 on every attempt gives up after the retry budget with the last error, having posted maxRetries + 1 times", async () => {
    const retrying = mockClient({ maxRetries: 2 });
    retrying.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(503, "Service Unavailable").times(3);
    retrying.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([])).times(3);
    await expect(retrying.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" })).rejects.toMatchObject({ status: 503 });
    retrying.agent.assertNoPendingInterceptors();
    await retrying.agent.close();
  });
});

describe("list", () => {
  test("returns every link with ids as strings, descriptions never null, and unknown fields kept", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(
      200,
      scoped([
        linkJson({ id: 7, type: 1, label: "For You", description: null, createdAt: "2026-01-02T03:04:05Z", shareCode: "abc" }),
        linkJson({ id: "845759434926862336", createdAt: 1774000000 }),
      ]),
    );
    const links = await setup.client.trackingLinks.list(ACCOUNT);
    expect(links.map((l) => l.id)).toEqual(["7", "845759434926862336"]);
    expect(links[0]).toMatchObject({ description: "", createdAt: "2026-01-02T03:04:05.000Z", shareCode: "abc" });
    // Epoch seconds and epoch milliseconds both come out as the same kind of ISO time.
    expect(links[1]?.createdAt).toBe(new Date(1774000000 * 1000).toISOString());
  });

  test("an unreadable list reply is read once more; a second one is reported", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, "<html>502 from a proxy</html>");
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson({ id: "5" })]));
    expect((await setup.client.trackingLinks.list(ACCOUNT)).map((l) => l.id)).toEqual(["5"]);
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, "<html>").times(2);
    await expect(setup.client.trackingLinks.list(ACCOUNT)).rejects.toBeInstanceOf(FanslyProtocolError);
  });

  test("accepts the list wrapped as data.data.trackingLinks", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "GET" })
      .reply(200, { statusCode: 200, message: "ok", data: { status_code: 200, data: { trackingLinks: [linkJson()] } } });
    expect(await setup.client.trackingLinks.list(ACCOUNT)).toHaveLength(1);
  });

  test("follows offset paging to the last page", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "GET" })
      .reply(200, scoped({ list: [linkJson({ id: "1" }), linkJson({ id: "2" })], offset: 0, limit: 2, hasMore: true }));
    setup.pool
      .intercept({ path: `${LINKS_PATH}?offset=2&limit=2`, method: "GET" })
      .reply(200, scoped({ list: [linkJson({ id: "3" })], offset: 2, limit: 2, hasMore: false }));
    const links = await setup.client.trackingLinks.list(ACCOUNT);
    expect(links.map((l) => l.id)).toEqual(["1", "2", "3"]);
  });

  test("follows a next cursor to the last page", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "GET" })
      .reply(200, scoped({ items: [linkJson({ id: "1" })], nextCursor: "c2" }));
    setup.pool
      .intercept({ path: `${LINKS_PATH}?cursor=c2`, method: "GET" })
      .reply(200, scoped({ items: [linkJson({ id: "2" })], nextCursor: null }));
    const links = await setup.client.trackingLinks.list(ACCOUNT);
    expect(links.map((l) => l.id)).toEqual(["1", "2"]);
  });

  test("a link without an id is a protocol error that says where (after reading once more)", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([{ label: "no id" }])).times(2);
    await expect(setup.client.trackingLinks.list(ACCOUNT)).rejects.toThrow(/expected a list of tracking links .*0\.id/);
  });
});

describe("get", () => {
  test("finds the link by id in the list", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson({ id: "1" }), linkJson({ id: "2", label: "B" })]));
    expect(await setup.client.trackingLinks.get(ACCOUNT, "2")).toMatchObject({ id: "2", label: "B" });
  });

  test("returns undefined when the account has no such link", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped([linkJson({ id: "1" })]));
    expect(await setup.client.trackingLinks.get(ACCOUNT, "999")).toBeUndefined();
  });

  test("a malformed id is refused before any request", async () => {
    await expect(setup.client.trackingLinks.get(ACCOUNT, "abc")).rejects.toThrow(/id must be a tracking link id/);
  });
});

describe("update", () => {
  test("puts id, label and description together and returns the link from the reply", async () => {
    let sent: unknown;
    setup.pool
      .intercept({ path: LINKS_PATH, method: "PUT", body: (b) => ((sent = bodyOf(b)), true) })
      .reply(200, scoped(linkJson({ id: "5", label: "New" })));
    const link = await setup.client.trackingLinks.update(ACCOUNT, { id: "5", label: "New", description: "" });
    expect(sent).toEqual({ id: "5", label: "New", description: "" });
    expect(link?.label).toBe("New");
  });

  test("a reply of only success: true returns undefined", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "PUT" })
      .reply(200, { statusCode: 200, message: "Success", data: { status_code: 200, data: { success: true } } });
    await expect(setup.client.trackingLinks.update(ACCOUNT, { id: "5", label: "New", description: "d" })).resolves.toBeUndefined();
  });
});

describe("delete", () => {
  test("sends trackingLinkId in the body and reports deleted", async () => {
    let sent: unknown;
    setup.pool
      .intercept({ path: LINKS_PATH, method: "DELETE", body: (b) => ((sent = bodyOf(b)), true) })
      .reply(200, { statusCode: 200, message: "Success", data: { status_code: 200, data: { success: true } }, timestamp: "2026-03-21T04:28:01.816Z" });
    await expect(setup.client.trackingLinks.delete(ACCOUNT, "845759434926862336")).resolves.toEqual({ deleted: true });
    expect(sent).toEqual({ trackingLinkId: "845759434926862336" });
  });

  test("deleting an already deleted link succeeds as alreadyGone", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "DELETE" }).reply(404, errorEnvelope(404, "Tracking link not found"));
    await expect(setup.client.trackingLinks.delete(ACCOUNT, "1")).resolves.toEqual({ alreadyGone: true });
  });

  test("a 404 for an unknown account is an error, not alreadyGone", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "DELETE" }).reply(404, errorEnvelope(404, "Account not found"));
    await expect(setup.client.trackingLinks.delete(ACCOUNT, "1")).rejects.toThrow(FanslyNotFoundError);
  });

  test("an inner 404 inside an HTTP 200 is alreadyGone too", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "DELETE" })
      .reply(200, { statusCode: 200, message: "Success", data: { status_code: 404, data: { success: false, error: { details: "Not found" } } } });
    await expect(setup.client.trackingLinks.delete(ACCOUNT, "1")).resolves.toEqual({ alreadyGone: true });
  });
});

describe("accounts.list", () => {
  test("returns the accounts connected to the key", async () => {
    setup.pool
      .intercept({ path: "/api/fansly/accounts", method: "GET" })
      .reply(200, { statusCode: 200, message: "ok", data: { success: true, count: 1, accounts: [{ accountId: ACCOUNT, name: "A" }] } });
    expect(await setup.client.accounts.list()).toEqual([expect.objectContaining({ accountId: ACCOUNT })]);
  });
});

describe("replies nested at either level (the contract infers the nesting)", () => {
  const envelope = (data: unknown): Record<string, unknown> => ({ statusCode: 200, message: "ok", data, timestamp: "2026-03-21T04:28:01.816Z" });
  const accounts = [{ accountId: ACCOUNT, name: "A" }];

  // `data.accounts` (as seen in use) is the "accounts.list" test above; these are the level below it.
  test.each([
    ["data.data.accounts (one level deeper, as the account routes)", { status_code: 200, data: { success: true, count: 1, accounts } }],
    ["data.data.response.accounts (Fansly's own answer)", { status_code: 200, data: { success: true, response: { accounts } } }],
    ["data.data.response as a bare list", { status_code: 200, data: { success: true, response: accounts } }],
  ])("accounts.list reads %s", async (_where, data) => {
    setup.pool.intercept({ path: "/api/fansly/accounts", method: "GET" }).reply(200, envelope(data));
    expect(await setup.client.accounts.list()).toEqual([expect.objectContaining({ accountId: ACCOUNT })]);
  });

  // Fansly's `data.data.response` is the "list" tests above; this is Fansly's answer one level up.
  test("trackingLinks.list reads Fansly's answer one level up (data.response)", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, envelope({ success: true, response: [linkJson()] }));
    expect(await setup.client.trackingLinks.list(ACCOUNT)).toEqual([expect.objectContaining({ id: "845759434926862336" })]);
  });

  test("create reads the new link in Fansly's answer one level up (data.response)", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).reply(200, envelope({ success: true, response: linkJson({ id: "42" }) }));
    expect((await setup.client.trackingLinks.create(ACCOUNT, { label: "Twitter bio" })).id).toBe("42");
  });

  test("an accounts list that holds no account ids is a protocol error naming where it looked", async () => {
    setup.pool.intercept({ path: "/api/fansly/accounts", method: "GET" }).reply(200, envelope({ status_code: 200, data: { accounts: [{ name: "no id" }] } })).times(2);
    const error = await setup.client.accounts.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanslyProtocolError);
    expect(String(error)).toContain("data.data.accounts");
  });
});

describe("createWithoutDuplicates when the lookup fails too", () => {
  test("a POST whose reply was lost, then a listing that fails, reports the POST (not a GET), with the listing as its cause", async () => {
    const reset = (): Error => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).replyWithError(reset());
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).replyWithError(reset()).times(5);
    const error = await setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Bio" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "FANSLY_NETWORK", method: "POST" });
    expect(String(error)).toContain(`POST ${LINKS_PATH}`);
    expect(String(error)).toContain("may or may not have been applied");
    expect((error as Error).cause).toMatchObject({ method: "GET" });
  });
});
