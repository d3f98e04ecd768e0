import { connect } from "node:net";
import { createStore, startEmulator } from "../../src/emulator";
import { ACCOUNT, call, LINKS_PATH, linksOf, startTestEmulator } from "./helpers";

function connectTo(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

describe("createStore", () => {
  test("every account starts with the three built-in links and no custom ones", () => {
    const store = createStore({ accounts: ["a", "b"] });

    expect(store.accountIds()).toEqual(["a", "b"]);
    expect(store.listLinks("b").map((l) => [l.label, l.type])).toEqual([
      ["For You", 1],
      ["Search", 1],
      ["Suggestions", 1],
    ]);
    expect(store.customLinks("b")).toEqual([]);
  });

  test("the default account is fansly_demo", () => {
    expect(createStore().accountIds()).toEqual(["fansly_demo"]);
  });

  test("the first id is the snowflake from the API notes, and ids are 18 digits", () => {
    const store = createStore();

    const ids = store.listLinks(ACCOUNT).map((l) => l.id);

    expect(ids[0]).toBe("845759434926862336");
    expect(ids.every((id) => /^\d{18}$/.test(id))).toBe(true);
  });

  test("seedLinks adds n custom links labelled with the prefix, in order", () => {
    const store = createStore();

    const seeded = store.seedLinks(ACCOUNT, 250, "bulk-");

    expect(seeded).toHaveLength(250);
    expect(store.customLinks(ACCOUNT).map((l) => l.label).slice(0, 2)).toEqual(["bulk-1", "bulk-2"]);
    expect(store.customLinks(ACCOUNT).at(-1)?.label).toBe("bulk-250");
    expect(store.customLinks(ACCOUNT).every((l) => l.type === 1000)).toBe(true);
  });

  test("customLinks holds only type 1000 links", () => {
    const store = createStore();
    store.createLink(ACCOUNT, { label: "mine", description: "" });

    expect(store.customLinks(ACCOUNT).map((l) => l.label)).toEqual(["mine"]);
  });

  test("returned links are copies: changing one does not change the store", () => {
    const store = createStore();
    const link = store.createLink(ACCOUNT, { label: "original", description: "" });

    link.label = "mutated";
    const listed = store.listLinks(ACCOUNT)[3];
    if (listed) listed.label = "mutated too";

    expect(store.findLink(ACCOUNT, link.id)?.label).toBe("original");
  });

  test("createdAt comes from the injected clock", () => {
    const store = createStore({ now: () => 1_700_000_000_000 });

    expect(store.createLink(ACCOUNT, { label: "x", description: "" }).createdAt).toBe(1_700_000_000_000);
  });

  test("seeding an unknown account throws Account not found", () => {
    expect(() => createStore().seedLinks("fansly_nobody", 1, "x")).toThrow("Account not found");
  });

  test("a snapshot round-trips through toJSON and load", () => {
    const store = createStore();
    store.seedLinks(ACCOUNT, 2, "s");
    const copy = createStore({ accounts: [] });

    copy.load(JSON.parse(JSON.stringify(store.toJSON())));

    expect(copy.toJSON()).toEqual(store.toJSON());
    expect(copy.createLink(ACCOUNT, { label: "n", description: "" }).id).toBe(
      store.createLink(ACCOUNT, { label: "n", description: "" }).id,
    );
  });

  test("load moves the id counter past every id it holds, so ids are never reused", () => {
    const store = createStore();
    const snapshot = store.toJSON();
    const stale = { ...snapshot, nextId: "845759434926862336" };

    store.load(stale);
    const created = store.createLink(ACCOUNT, { label: "new", description: "" });

    expect(store.listLinks(ACCOUNT).filter((l) => l.id === created.id)).toHaveLength(1);
  });

  test("load refuses a snapshot with a bad link, naming where", () => {
    const snapshot = createStore().toJSON();
    const broken = { ...snapshot, accounts: { [ACCOUNT]: [{ id: "1", label: 5 }] } };

    expect(() => {
      createStore().load(broken);
    }).toThrow(/accounts\.fansly_demo\[0\]\.label/);
  });
});

describe("startEmulator with an injected store", () => {
  test("serves the injected store's links", async () => {
    const store = createStore({ accounts: ["fansly_seeded"] });
    store.seedLinks("fansly_seeded", 2, "pre-");
    const emulator = await startTestEmulator({ store });
    try {
      const reply = await call(emulator, "GET", "/api/fansly/fansly_seeded/tracking-links");

      expect(linksOf(reply).map((l) => l.label).slice(3)).toEqual(["pre-1", "pre-2"]);
      expect(emulator.store.accountIds()).toEqual(["fansly_seeded"]);
    } finally {
      await emulator.close();
    }
  });

  test("listens on 127.0.0.1 only, with dev-key accepted by default", async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
      expect((await call(emulator, "GET", LINKS_PATH, { key: "dev-key" })).status).toBe(200);
      // Another loopback address reaches a server bound to every interface, but not one bound to 127.0.0.1.
      await expect(connectTo("127.0.0.2", emulator.port)).rejects.toThrow();
    } finally {
      await emulator.close();
    }
  });

  test.each([
    [{ apiKeys: [] }, /apiKeys must list at least one non-empty key/],
    [{ latencyMs: -1 }, /latencyMs must be a whole number/],
    [{ pageSize: 0 }, /pageSize must be a whole number of links, 1 or more/],
    [{ port: 70_000 }, /port must be a whole number from 0 to 65535/],
    [{ faults: [{ kind: "status" as const }] }, /fault\.status is required/],
  ])("bad options are refused, naming the option (%o)", async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  test("close is safe to call twice", async () => {
    const emulator = await startEmulator();

    await emulator.close();
    await expect(emulator.close()).resolves.toBeUndefined();
  });
});
