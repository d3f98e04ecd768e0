import { MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import {
  ACCOUNT,
  call,
  createLink,
  LINKS_PATH,
  linksOf,
  messageOf,
  responseOf,
  startTestEmulator,
} from "./helpers";

let emulator: RunningEmulator;

afterEach(async () => {
  await emulator.close();
});

describe("GET /api/fansly/{account_id}/tracking-links", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });

  test("a new account lists Fansly's three built-in links, type 1", async () => {
    const reply = await call(emulator, "GET", LINKS_PATH);

    expect(reply.status).toBe(200);
    expect(linksOf(reply).map((link) => [link.label, link.type])).toEqual([
      ["For You", 1],
      ["Search", 1],
      ["Suggestions", 1],
    ]);
  });

  test("the list is Fansly's answer wrapped in the two-layer envelope", async () => {
    const reply = await call(emulator, "GET", LINKS_PATH);

    expect(reply.json).toEqual({
      statusCode: 200,
      message: "Success",
      data: { status_code: 200, data: { success: true, response: expect.any(Array) as unknown } },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
    });
    expect(reply.headers["content-type"]).toMatch(/^application\/json/);
  });

  test("a created link appears in the list, after the built-ins", async () => {
    const first = await createLink(emulator, "twitter bio");
    const second = await createLink(emulator, "reddit");

    const links = linksOf(await call(emulator, "GET", LINKS_PATH));

    expect(links).toHaveLength(5);
    expect(links.slice(3).map((link) => link.id)).toEqual([first.id, second.id]);
    expect(links.slice(3).map((link) => link.type)).toEqual([1000, 1000]);
  });

  test("an unknown account gets 404 Account not found", async () => {
    const reply = await call(emulator, "GET", "/api/fansly/fansly_nobody/tracking-links");

    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ statusCode: 404, message: "Account not found", data: null });
  });

  test("without pageSize the list ignores offset and limit and answers a plain array", async () => {
    emulator.store.seedLinks(ACCOUNT, 5, "seed-");

    const reply = await call(emulator, "GET", `${LINKS_PATH}?offset=2&limit=1`);

    expect(linksOf(reply)).toHaveLength(8);
  });
});

describe("GET tracking-links with paging (pageSize set)", () => {
  interface Page {
    list: { label: string }[];
    offset: number;
    limit: number;
    hasMore: boolean;
  }
  const pageOf = (reply: Awaited<ReturnType<typeof call>>): Page => responseOf(reply) as Page;

  beforeEach(async () => {
    emulator = await startTestEmulator({ pageSize: 4 });
    emulator.store.seedLinks(ACCOUNT, 7, "seed-");
  });

  test("following offset until hasMore is false yields every link once", async () => {
    const labels: string[] = [];
    let offset = 0;
    for (;;) {
      const page = pageOf(await call(emulator, "GET", `${LINKS_PATH}?offset=${offset}`));
      labels.push(...page.list.map((link) => link.label));
      if (!page.hasMore) break;
      offset += page.list.length;
    }

    const seeded = Array.from({ length: 7 }, (_, i) => `seed-${i + 1}`);
    expect(labels).toEqual(["For You", "Search", "Suggestions", ...seeded]);
  });

  test("a page holds pageSize links by default and says where it starts", async () => {
    const page = pageOf(await call(emulator, "GET", LINKS_PATH));

    expect(page).toMatchObject({ offset: 0, limit: 4, hasMore: true });
    expect(page.list).toHaveLength(4);
  });

  test("a limit above pageSize is capped at pageSize", async () => {
    const page = pageOf(await call(emulator, "GET", `${LINKS_PATH}?limit=100`));

    expect(page.limit).toBe(4);
    expect(page.list).toHaveLength(4);
  });

  test("a smaller limit is honoured", async () => {
    const page = pageOf(await call(emulator, "GET", `${LINKS_PATH}?offset=8&limit=1`));

    expect(page).toMatchObject({ offset: 8, limit: 1, hasMore: true });
    expect(page.list.map((link) => link.label)).toEqual(["seed-6"]);
  });

  test("a bad offset gets 400 naming offset", async () => {
    const reply = await call(emulator, "GET", `${LINKS_PATH}?offset=-1`);

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toBe("Invalid request parameters: offset must be an integer of at least 0");
  });
});

describe("POST /api/fansly/{account_id}/tracking-links", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator({ accounts: [ACCOUNT, "fansly_other"] });
  });

  test("creating answers HTTP 200 with the new custom link", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: "bio", description: "link in bio" } });

    expect(reply.status).toBe(200);
    expect(responseOf(reply)).toEqual({
      id: expect.stringMatching(/^\d{18}$/) as unknown,
      label: "bio",
      description: "link in bio",
      type: 1000,
      internalId: expect.any(String) as unknown,
      status: 1,
      createdAt: expect.any(Number) as unknown,
      clicks: 0,
      claims: 0,
      follows: 0,
      subscriptions: 0,
      totalGross: 0,
      totalNet: 0,
    });
    expect(emulator.store.customLinks(ACCOUNT).map((link) => link.label)).toEqual(["bio"]);
  });

  test("a missing description is stored as empty", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: "bio" } });

    expect(responseOf(reply)).toMatchObject({ description: "" });
  });

  test("ids are 18-digit, increase, and are unique across accounts", async () => {
    const a = await createLink(emulator, "a");
    const b = (responseOf(
      await call(emulator, "POST", "/api/fansly/fansly_other/tracking-links", { body: { label: "b" } }),
    ) as { id: string }).id;
    const c = await createLink(emulator, "c");

    expect(BigInt(a.id) < BigInt(b)).toBe(true);
    expect(BigInt(b) < BigInt(c.id)).toBe(true);
    const allIds = [ACCOUNT, "fansly_other"].flatMap((account) => emulator.store.listLinks(account).map((l) => l.id));
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  test("an unknown account gets 404 even with a bad body", async () => {
    const reply = await call(emulator, "POST", "/api/fansly/fansly_nobody/tracking-links", { body: {} });

    expect(reply.status).toBe(404);
    expect(messageOf(reply)).toBe("Account not found");
  });

  test.each([
    ["no label", { description: "x" }, "label is required"],
    ["an empty label", { label: "" }, "label must not be empty or only whitespace"],
    ["a whitespace label", { label: "  \t " }, "label must not be empty or only whitespace"],
    [
      "a label too long",
      { label: "x".repeat(MAX_LABEL_LENGTH + 1) },
      `label must be at most ${MAX_LABEL_LENGTH} characters`,
    ],
    ["a numeric label", { label: 7 }, "label must be a string"],
    ["a null description", { label: "ok", description: null }, "description must be a string"],
    [
      "a description too long",
      { label: "ok", description: "x".repeat(MAX_DESCRIPTION_LENGTH + 1) },
      `description must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
    ],
    ["an array body", ["label"], "body must be a JSON object"],
  ])("%s gets 400 naming the field", async (_case, body, problem) => {
    const reply = await call(emulator, "POST", LINKS_PATH, { body });

    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({
      statusCode: 400,
      message: `Invalid request parameters: ${problem}`,
      data: null,
    });
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("a label and description at their limits are accepted", async () => {
    const body = { label: "x".repeat(MAX_LABEL_LENGTH), description: "y".repeat(MAX_DESCRIPTION_LENGTH) };

    const reply = await call(emulator, "POST", LINKS_PATH, { body });

    expect(reply.status).toBe(200);
  });

  test("limits count characters, not UTF-16 units, as the provider does: a label of 100 emoji is accepted", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: "🎉".repeat(MAX_LABEL_LENGTH) } });

    expect(reply.status).toBe(200);
  });

  test("every bad field is named in one message", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: 1, description: 2 } });

    expect(messageOf(reply)).toBe("Invalid request parameters: label must be a string; description must be a string");
  });

  test("a body that is not JSON gets 400", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH, { rawBody: "{label:" });

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toBe("Invalid request parameters: body is not valid JSON");
  });

  test("a body sent without Content-Type: application/json gets 400 saying so", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH, { body: { label: "x" }, contentType: "text/plain" });

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toMatch(/Content-Type: application\/json/);
  });

  test("an empty body gets 400 naming the body", async () => {
    const reply = await call(emulator, "POST", LINKS_PATH);

    expect(messageOf(reply)).toBe("Invalid request parameters: body must be a JSON object");
  });
});

describe("PUT /api/fansly/{account_id}/tracking-links", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });

  test("updating changes label and description and answers with the link", async () => {
    const link = await createLink(emulator, "old", "old text");

    const body = { id: link.id, label: "new", description: "new text" };

    const reply = await call(emulator, "PUT", LINKS_PATH, { body });

    expect(reply.status).toBe(200);
    expect(responseOf(reply)).toMatchObject({ id: link.id, label: "new", description: "new text", type: 1000 });
    expect(emulator.store.findLink(ACCOUNT, link.id)).toMatchObject({ label: "new", description: "new text" });
  });

  test("an unknown id gets 404 Tracking link not found", async () => {
    const reply = await call(emulator, "PUT", LINKS_PATH, {
      body: { id: "999999999999999999", label: "x", description: "" },
    });

    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ statusCode: 404, message: "Tracking link not found", data: null });
  });

  test("built-in links cannot be updated", async () => {
    const forYou = emulator.store.listLinks(ACCOUNT)[0];

    const reply = await call(emulator, "PUT", LINKS_PATH, { body: { id: forYou?.id, label: "mine", description: "" } });

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toMatch(/built-in tracking links .* cannot be changed/i);
    expect(emulator.store.listLinks(ACCOUNT)[0]?.label).toBe("For You");
  });

  test("a numeric id is refused: ids travel as digit strings", async () => {
    const link = await createLink(emulator, "x");

    const reply = await call(emulator, "PUT", LINKS_PATH, {
      rawBody: `{"id":${link.id},"label":"y","description":""}`,
    });

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toBe("Invalid request parameters: id must be a string");
  });

  test("a description is required, so a client never relies on how an omitted one is treated", async () => {
    const link = await createLink(emulator, "x", "keep?");

    const reply = await call(emulator, "PUT", LINKS_PATH, { body: { id: link.id, label: "y" } });

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toBe("Invalid request parameters: description is required");
  });
});

describe("DELETE /api/fansly/{account_id}/tracking-links", () => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });

  test("deleting answers exactly the documented reply and removes the link", async () => {
    const link = await createLink(emulator, "gone soon");

    const reply = await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: link.id } });

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      statusCode: 200,
      message: "Success",
      data: { status_code: 200, data: { success: true } },
      timestamp: expect.any(String) as unknown,
    });
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("deleting an already deleted link gets 404 Tracking link not found", async () => {
    const link = await createLink(emulator, "twice");
    await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: link.id } });

    const reply = await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: link.id } });

    expect(reply.status).toBe(404);
    expect(messageOf(reply)).toBe("Tracking link not found");
  });

  test("built-in links cannot be deleted", async () => {
    const search = emulator.store.listLinks(ACCOUNT)[1];

    const reply = await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: search?.id } });

    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ statusCode: 400, data: null });
    expect(messageOf(reply)).toMatch(/built-in tracking links .* cannot be changed/i);
    expect(emulator.store.listLinks(ACCOUNT)).toHaveLength(3);
  });

  test("a trackingLinkId that is not a digit string gets 400 naming trackingLinkId", async () => {
    const reply = await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: "abc" } });

    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toBe("Invalid request parameters: trackingLinkId must be a string of digits");
  });

  test("a deleted link's id is never given out again", async () => {
    const doomed = await createLink(emulator, "doomed");
    await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: doomed.id } });

    const next = await createLink(emulator, "next");

    expect(next.id).not.toBe(doomed.id);
    expect(BigInt(next.id) > BigInt(doomed.id)).toBe(true);
  });
});
