/**
 * Layer 2: the TrackingLink provider through the real dynamic-provider host process, over gRPC, against the
 * emulator, asserting on what reached the API (the emulator's request log) and what the engine would store.
 */
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { preparedStackDir } from "./stack";
import { Engine, ProviderHost, serializedProvider, urnOf, type ResourceState } from "./providerHost";

const KEY = "host-lifecycle-canary-key-3b9d";
const ACCOUNT = "fansly_host1";
const OTHER_ACCOUNT = "fansly_host2";

let emulator: RunningEmulator;
let host: ProviderHost;
let engine: Engine;
let providerText: string;

/** The API calls made since the last `clearRequests`, as "METHOD path" plus body. */
function calls(): { call: string; body: unknown }[] {
  return emulator.requests().map((r) => ({ call: `${r.method} ${r.path}`, body: r.body }));
}

const LINKS = `/api/fansly/${ACCOUNT}/tracking-links`;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT, OTHER_ACCOUNT] });
  providerText = await serializedProvider();
  host = await ProviderHost.start(preparedStackDir());
  // Each test stands for its own `pulumi` command, but they share one host process: reads share only a listing in
  // flight (a real command's process would not keep one from the previous command).
  await host.configure({
    "fansly:apiKey": KEY,
    "fansly:baseUrl": emulator.url,
    "fansly:accountId": ACCOUNT,
    "fansly:maxRetryTimeMs": "20000",
    "fansly:listingReuseMs": "0",
  });
  engine = new Engine(host, providerText);
});

afterAll(async () => {
  await host.stop();
  await emulator.close();
});

beforeEach(() => {
  emulator.clearRequests();
  emulator.clearFaults();
});

describe("a link's whole life through the host", () => {
  let state: ResourceState;

  test("up creates it with one POST, and the state holds string ids, the account and the provider text, never the key", async () => {
    const { step, state: created } = await engine.up("bio", { label: "Twitter bio" });
    state = created;
    expect(step).toBe("create");
    // A link new to its account: check lists the key's accounts first (once per process; accountCheck.ts).
    expect(calls()).toEqual([
      { call: "GET /api/fansly/accounts", body: undefined },
      { call: `POST ${LINKS}`, body: { label: "Twitter bio", description: "" } },
    ]);
    expect(emulator.requests()[0]?.apiKey).toBe("accepted");
    const [link] = emulator.store.customLinks(ACCOUNT);
    expect(state.id).toBe(link?.id);
    expect(state.outputs).toMatchObject({ trackingLinkId: link?.id, accountId: ACCOUNT, label: "Twitter bio", description: "", adopted: false });
    expect(state.outputs.__provider).toBe(providerText);
    expect(JSON.stringify(state)).not.toContain(KEY);
  });

  test("the same program again is no change and makes no request", async () => {
    const { step } = await engine.up("bio", { label: "Twitter bio" }, state);
    expect(step).toBe("same");
    expect(calls()).toEqual([]);
  });

  test("a new label is an in-place update: exactly one PUT with id, label and description", async () => {
    const { step, state: updated } = await engine.up("bio", { label: "Twitter bio (pinned)", description: "profile" }, state);
    state = updated;
    expect(step).toBe("update");
    expect(calls()).toEqual([{ call: `PUT ${LINKS}`, body: { id: state.id, label: "Twitter bio (pinned)", description: "profile" } }]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => [l.label, l.description])).toEqual([["Twitter bio (pinned)", "profile"]]);
    expect(state.outputs).toMatchObject({ label: "Twitter bio (pinned)", description: "profile" });
  });

  test("refresh brings a label changed by hand into state and inputs; the next up puts it back", async () => {
    emulator.store.updateLink(ACCOUNT, state.id, { label: "Edited in the dashboard", description: "profile" });
    emulator.clearRequests();
    const refreshed = await engine.refresh(state);
    expect(calls().map((c) => c.call)).toEqual([`GET ${LINKS}`]);
    expect(refreshed?.outputs).toMatchObject({ label: "Edited in the dashboard", trackingLinkId: state.id });
    expect(refreshed?.inputs).toMatchObject({ label: "Edited in the dashboard", accountId: ACCOUNT });
    state = refreshed ?? state;

    emulator.clearRequests();
    const { step, state: restored } = await engine.up("bio", { label: "Twitter bio (pinned)", description: "profile" }, state);
    state = restored;
    expect(step).toBe("update");
    expect(calls().map((c) => c.call)).toEqual([`PUT ${LINKS}`]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.label)).toEqual(["Twitter bio (pinned)"]);
  });

  test("destroy sends one DELETE with the link's trackingLinkId", async () => {
    await engine.destroy(state);
    expect(calls()).toEqual([{ call: `DELETE ${LINKS}`, body: { trackingLinkId: state.id } }]);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("deleting again (a link already gone) succeeds, after a GET confirms it is gone", async () => {
    await expect(engine.destroy(state)).resolves.toBeUndefined();
    expect(calls().map((c) => c.call)).toEqual([`DELETE ${LINKS}`, `GET ${LINKS}`]);
  });

  test("a DELETE answered 404 while the link is still listed fails, naming the likely cause, and keeps it in state", async () => {
    const { state: live } = await engine.up("misrouted", { label: "Still here" });
    emulator.clearRequests();
    emulator.addFault({ method: "DELETE", status: 404 });
    await expect(engine.destroy(live)).rejects.toThrow(
      /answered 404, yet account fansly_host1 still lists the link: check the baseUrl option .*\(baseUrl: run `pulumi config set fansly:baseUrl/,
    );
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([live.id]);
    await engine.destroy(live);
  });

  test("refresh after the link is gone drops it from state", async () => {
    await expect(engine.refresh(state)).resolves.toBeUndefined();
  });
});

describe("adopting an existing link through the host", () => {
  test("adopt → no change on the next preview → destroy deletes it; no POST at any point", async () => {
    const existing = emulator.store.createLink(ACCOUNT, { label: "Made by hand", description: "old campaign" });
    emulator.clearRequests();
    const program = { label: "Made by hand", description: "old campaign", trackingLinkId: existing.id };

    const adopted = await engine.up("hand", program);
    expect(adopted.step).toBe("create");
    // Check looks the link up (a typo'd id fails preview), then create does (listingReuseMs 0 here: nothing shared).
    expect(calls().map((c) => c.call)).toEqual([`GET ${LINKS}`, `GET ${LINKS}`]);
    expect(adopted.state.id).toBe(existing.id);
    expect(adopted.state.outputs).toMatchObject({ trackingLinkId: existing.id, adopted: true, label: "Made by hand" });

    emulator.clearRequests();
    expect((await engine.up("hand", program, adopted.state)).step).toBe("same");
    expect(calls()).toEqual([]);

    await engine.destroy(adopted.state);
    expect(calls()).toEqual([{ call: `DELETE ${LINKS}`, body: { trackingLinkId: existing.id } }]);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("adopting with a different label makes one PUT and no POST", async () => {
    const existing = emulator.store.createLink(ACCOUNT, { label: "Old name", description: "" });
    emulator.clearRequests();
    const { state } = await engine.up("renamed", { label: "New name", trackingLinkId: existing.id });
    expect(calls().map((c) => c.call)).toEqual([`GET ${LINKS}`, `GET ${LINKS}`, `PUT ${LINKS}`]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.label)).toEqual(["New name"]);
    await engine.destroy(state);
  });

  test("an id that does not exist fails the check (preview) with a message naming the id and the account, and creates nothing", async () => {
    await expect(engine.up("ghost", { label: "Ghost", trackingLinkId: "999999999999999999" })).rejects.toThrow(
      `check failed: trackingLinkId: trackingLinkId 999999999999999999 does not exist in account ${ACCOUNT}`,
    );
    expect(calls().map((c) => c.call)).not.toContain(`POST ${LINKS}`);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("one of Fansly's built-in links cannot be adopted", async () => {
    const builtIn = emulator.store.listLinks(ACCOUNT).find((link) => link.type === 1);
    expect(builtIn).toBeDefined();
    await expect(engine.up("builtin", { label: "Mine now", trackingLinkId: builtIn?.id })).rejects.toThrow(/built-in .* cannot be edited or deleted/);
    expect(calls().filter((c) => !c.call.startsWith("GET "))).toEqual([]);
  });
});

describe("a link changing hands within one run", () => {
  test("a renamed key: the new resource adopts the link, and deleting the old resource leaves the link alone", async () => {
    const existing = emulator.store.createLink(ACCOUNT, { label: "Keyed", description: "" });
    const old = await engine.up("old-key", { label: "Keyed", trackingLinkId: existing.id });
    // The engine creates the new resource first, then deletes the old one, in the same provider process.
    const renamed = await engine.up("new-key", { label: "Keyed", trackingLinkId: existing.id });
    emulator.clearRequests();
    await engine.destroy(old.state);
    expect(calls()).toEqual([]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([existing.id]);
    // The link is the new resource's: deleting that one deletes it.
    await engine.destroy(renamed.state);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });
});

describe("check and diff through the host", () => {
  test("bad inputs fail check, one failure per field, before any request", async () => {
    const checked = await host.check(urnOf("bad"), {}, { label: "", colour: "red", trackingLinkId: "12ab", __provider: providerText });
    expect(checked.failures.map((f) => f.property).sort()).toEqual(["colour", "label", "trackingLinkId"]);
    expect(calls()).toEqual([]);
  });

  test("another account is a replacement; a new provider text alone is no change", async () => {
    const { state } = await engine.up("moving", { label: "Moving" });
    const news = { label: "Moving", description: "", accountId: OTHER_ACCOUNT, __provider: providerText };
    expect(await host.diff(state.id, urnOf("moving"), state.outputs, news)).toEqual({ changes: "some", replaces: ["accountId"] });
    const sameWithNewerShim = { label: "Moving", description: "", accountId: ACCOUNT, __provider: `${providerText}\n// a later release` };
    expect(await host.diff(state.id, urnOf("moving"), state.outputs, sameWithNewerShim)).toEqual({ changes: "none", replaces: [] });

    emulator.clearRequests();
    const replaced = await engine.up("moving", { label: "Moving", accountId: OTHER_ACCOUNT }, state);
    expect(replaced.step).toBe("replace");
    expect(calls().map((c) => c.call)).toEqual([`POST /api/fansly/${OTHER_ACCOUNT}/tracking-links`, `DELETE ${LINKS}`]);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
    expect(emulator.store.customLinks(OTHER_ACCOUNT).map((l) => l.label)).toEqual(["Moving"]);
    await engine.destroy(replaced.state);
  });
});

describe("riding out the API's bad moments through the host", () => {
  test("a 429 with X-RateLimit-Retry-After on the POST is waited out: one link, no duplicate", async () => {
    emulator.addFault({ method: "POST", status: 429, retryAfter: 1 });
    const { state } = await engine.up("limited", { label: "Rate limited" });
    expect(calls().map((c) => c.call)).toEqual([`POST ${LINKS}`, `POST ${LINKS}`]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([state.id]);
    await engine.destroy(state);
  });

  test("a few 503s on every kind of request are ridden out: nothing duplicated, nothing lost", async () => {
    emulator.addFault({ method: "POST", status: 503, times: 2 });
    const { state: created } = await engine.up("flaky", { label: "Flaky" });
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([created.id]);

    emulator.addFault({ method: "PUT", status: 503, times: 2 });
    const { state: updated } = await engine.up("flaky", { label: "Flaky, renamed" }, created);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.label)).toEqual(["Flaky, renamed"]);

    emulator.addFault({ method: "GET", status: 503, times: 2 });
    expect((await engine.refresh(updated))?.outputs).toMatchObject({ label: "Flaky, renamed" });

    emulator.addFault({ method: "DELETE", status: 503, times: 2 });
    await engine.destroy(updated);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
    const statuses = emulator.requests().map((r) => r.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(8);
  });

  test("the host printed nothing that holds the key", () => {
    expect(host.output()).not.toContain(KEY);
  });
});
