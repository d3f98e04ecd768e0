/**
 * One listing per account: reads that arrive together (a refresh) share one account listing, through the real
 * dynamic-provider host and its default settings. Each describe starts its own host, as each `pulumi` command is
 * its own process; what a user would notice is the number of requests (= credits) and that nothing stale is shown.
 */
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { preparedStackDir } from "./stack";
import { Engine, ProviderHost, serializedProvider, type ResourceState } from "./providerHost";

const KEY = "host-shared-listing-key-5c1e";
const ACCOUNT = "fansly_shared1";
const OTHER_ACCOUNT = "fansly_shared2";

let emulator: RunningEmulator;
let providerText: string;

beforeAll(async () => {
  // Pages of 40: a listing of 60 links is two GETs, followed once per account, not once per link.
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT, OTHER_ACCOUNT], pageSize: 40 });
  providerText = await serializedProvider();
});

afterAll(async () => {
  await emulator.close();
});

/** A new host process (one `pulumi` command) with the default settings. */
async function command(): Promise<{ host: ProviderHost; engine: Engine }> {
  const host = await ProviderHost.start(preparedStackDir());
  await host.configure({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT });
  return { host, engine: new Engine(host, providerText) };
}

/** GETs of an account's list since the last `clearRequests`, pages included. */
function listingRequests(accountId: string): number {
  return emulator.requests().filter((r) => r.method === "GET" && r.path === `/api/fansly/${accountId}/tracking-links`).length;
}

function writes(): string[] {
  return emulator.requests().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}

/** Creates links through one command, as `pulumi up` would, and returns their state. */
async function upLinks(accountId: string, count: number, prefix: string): Promise<ResourceState[]> {
  const { host, engine } = await command();
  try {
    return await Promise.all(
      Array.from({ length: count }, async (_, i) => (await engine.up(`${prefix}-${i}`, { label: `${prefix} ${i}`, accountId })).state),
    );
  } finally {
    await host.stop();
  }
}

async function destroyAll(states: readonly ResourceState[]): Promise<void> {
  const { host, engine } = await command();
  try {
    await Promise.all(states.map((state) => engine.destroy(state)));
  } finally {
    await host.stop();
  }
}

describe("refresh", () => {
  let first: ResourceState[];
  let second: ResourceState[];

  beforeAll(async () => {
    first = await upLinks(ACCOUNT, 60, "one");
    second = await upLinks(OTHER_ACCOUNT, 60, "two");
  });

  afterAll(async () => {
    await destroyAll([...first, ...second]);
  });

  beforeEach(() => {
    emulator.clearRequests();
  });

  test("120 links in two accounts cost one listing per account (two pages each), and every link reads back", async () => {
    const { host, engine } = await command();
    try {
      const read = await Promise.all([...first, ...second].map((state) => engine.refresh(state)));
      expect(read.map((state) => state?.outputs.label)).toEqual([...first, ...second].map((state) => state.outputs.label));
    } finally {
      await host.stop();
    }
    expect(listingRequests(ACCOUNT)).toBe(2);
    expect(listingRequests(OTHER_ACCOUNT)).toBe(2);
    expect(writes()).toEqual([]);
  });

  test("a label edited by hand and a link deleted by hand before the refresh are seen", async () => {
    const [edited, deleted] = [first[0], first[1]] as [ResourceState, ResourceState];
    emulator.store.updateLink(ACCOUNT, edited.id, { label: "edited in the dashboard", description: "" });
    emulator.store.deleteLink(ACCOUNT, deleted.id);
    const { host, engine } = await command();
    try {
      const [editedRead, deletedRead, untouched] = await Promise.all([edited, deleted, first[2] as ResourceState].map((s) => engine.refresh(s)));
      expect(editedRead?.outputs.label).toBe("edited in the dashboard");
      expect(editedRead?.inputs.label).toBe("edited in the dashboard");
      expect(deletedRead).toBeUndefined();
      expect(untouched?.outputs.label).toBe("one 2");
    } finally {
      await host.stop();
    }
    expect(listingRequests(ACCOUNT)).toBe(2);
    first = first.filter((state) => state.id !== deleted.id);
  });

  test("a listing that failed is not reused: the next read lists again", async () => {
    emulator.addFault({ method: "GET", path: "/tracking-links", status: 500, times: 1 });
    const { host, engine } = await command();
    try {
      await expect(engine.refresh(first[0] as ResourceState)).rejects.toThrow(/500 Internal Server Error/);
      const read = await engine.refresh(first[0] as ResourceState);
      expect(read?.id).toBe(first[0]?.id);
    } finally {
      await host.stop();
    }
    // The failed GET (one page), then a whole listing.
    expect(listingRequests(ACCOUNT)).toBe(3);
  });
});

describe("reads after this process's own writes", () => {
  let host: ProviderHost;
  let engine: Engine;
  let states: ResourceState[];

  beforeAll(async () => {
    ({ host, engine } = await command());
    states = await Promise.all(["a", "b", "c"].map(async (name) => (await engine.up(`own-${name}`, { label: `own ${name}` })).state));
  });

  afterAll(async () => {
    await Promise.all(states.map((state) => engine.destroy(state).catch(() => undefined)));
    await host.stop();
  });

  beforeEach(() => {
    emulator.clearRequests();
  });

  test("a read right after our own update, create and delete sees each of them, from the listing already taken", async () => {
    const [a, b, c] = states as [ResourceState, ResourceState, ResourceState];
    // Take the shared listing.
    await engine.refresh(a);
    expect(listingRequests(ACCOUNT)).toBe(1);

    const renamed = (await engine.up(b.name, { label: "own b renamed" }, b)).state;
    const added = (await engine.up("own-d", { label: "own d" })).state;
    await engine.destroy(c);
    states = [a, renamed, added];

    const [bRead, dRead, cRead] = await Promise.all([renamed, added, c].map((state) => engine.refresh(state)));
    expect(bRead?.outputs.label).toBe("own b renamed");
    expect(dRead?.id).toBe(added.id);
    expect(cRead).toBeUndefined();
    // Still the one listing: the writes were applied on top of it.
    expect(listingRequests(ACCOUNT)).toBe(1);
  });

  test("an update whose reply was unreadable is confirmed by a listing sent after it, not by the one already taken", async () => {
    const a = states[0] as ResourceState;
    await engine.refresh(a);
    const before = listingRequests(ACCOUNT);
    emulator.addFault({ method: "PUT", path: "/tracking-links", kind: "malformed-json" });
    const updated = (await engine.up(a.name, { label: "own a renamed" }, a)).state;
    expect(updated.outputs.label).toBe("own a renamed");
    expect(listingRequests(ACCOUNT)).toBe(before + 1);
    states[0] = updated;
  });

  test("a DELETE answered 404 is checked against a listing sent after it, which still shows the link", async () => {
    const target = states[2] as ResourceState;
    await engine.refresh(target);
    const before = listingRequests(ACCOUNT);
    emulator.addFault({ method: "DELETE", path: "/tracking-links", status: 404 });
    await expect(engine.destroy(target)).rejects.toThrow(/answered 404, yet account .* still lists the link/);
    expect(listingRequests(ACCOUNT)).toBe(before + 1);
    // And the link is still readable: the failed delete was not taken as a deletion.
    expect((await engine.refresh(target))?.id).toBe(target.id);
  });
});

describe("adoption", () => {
  test("adopting 50 links lists the account once", async () => {
    const made = emulator.store.seedLinks(ACCOUNT, 50, "bulk ");
    emulator.clearRequests();
    const { host, engine } = await command();
    try {
      const adopted = (await Promise.all(made.map((link, i) => engine.up(`bulk-${i}`, { label: link.label, trackingLinkId: link.id })))).map(
        ({ state }) => state,
      );
      expect(writes()).toEqual([]);
      // 50 seeded + whatever other tests left: two pages of 40 at most.
      expect(listingRequests(ACCOUNT)).toBeLessThanOrEqual(2);
      await Promise.all(adopted.map((state) => engine.destroy(state)));
    } finally {
      await host.stop();
    }
    expect(emulator.store.customLinks(ACCOUNT).filter((link) => link.label.startsWith("bulk "))).toEqual([]);
  });
});
