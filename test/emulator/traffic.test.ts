/**
 * The emulator's traffic: counters set through `POST /__emulator/counters`, and the seeded simulation that grows
 * them (`simulateTraffic`, `--simulate-traffic SEED`). What a report or a demo shows depends on both.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createStore, TrafficSimulator, type EmulatorTrackingLink, type RunningEmulator } from "../../src/emulator";
import { runCli } from "../../src/emulator/cli";
import { ACCOUNT, call, KEY, LINKS_PATH, linksOf, startTestEmulator } from "./helpers";

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function seededStore(): ReturnType<typeof createStore> {
  const store = createStore({ accounts: [ACCOUNT, "fansly_second"], now: () => 1_700_000_000_000 });
  store.seedLinks(ACCOUNT, 5, "Campaign ");
  store.seedLinks("fansly_second", 3, "Promo ");
  return store;
}

function allLinks(store: ReturnType<typeof createStore>): EmulatorTrackingLink[] {
  return store.accountIds().flatMap((accountId) => [...store.listLinks(accountId)]);
}

describe("POST /__emulator/counters", () => {
  test("sets a link's counters, and the API's list then returns them", async () => {
    emulator = await startTestEmulator();
    const [link] = emulator.store.seedLinks(ACCOUNT, 1, "Twitter bio ");
    const reply = await call(emulator, "POST", "/__emulator/counters", {
      body: { accountId: ACCOUNT, trackingLinkId: link?.id, clicks: 120, claims: 30, subscriptions: 4, totalGross: 39960, totalNet: 31968 },
    });
    expect(reply.status).toBe(200);
    const listed = linksOf(await call(emulator, "GET", LINKS_PATH)).find((candidate) => candidate.id === link?.id);
    expect(listed).toMatchObject({ clicks: 120, claims: 30, follows: 0, subscriptions: 4, totalGross: 39960, totalNet: 31968 });
  });

  test("sets a built-in link's counters too (For You gets traffic)", async () => {
    emulator = await startTestEmulator();
    const forYou = emulator.store.listLinks(ACCOUNT).find((link) => link.label === "For You");
    const reply = await call(emulator, "POST", "/__emulator/counters", { body: [{ accountId: ACCOUNT, trackingLinkId: forYou?.id, claims: 9 }] });
    expect(reply.status).toBe(200);
    expect(emulator.store.findLink(ACCOUNT, forYou?.id ?? "")?.claims).toBe(9);
  });

  test("an unknown link changes nothing, even beside a good update, and the reply says where ids are listed", async () => {
    emulator = await startTestEmulator();
    const [link] = emulator.store.seedLinks(ACCOUNT, 1, "Bio ");
    const reply = await call(emulator, "POST", "/__emulator/counters", {
      body: [
        { accountId: ACCOUNT, trackingLinkId: link?.id, clicks: 5 },
        { accountId: ACCOUNT, trackingLinkId: "1", clicks: 5 },
      ],
    });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ error: expect.stringContaining("GET /__emulator/state lists every account and link id") as unknown });
    expect(emulator.store.findLink(ACCOUNT, link?.id ?? "")?.clicks).toBe(0);
  });

  test.each([
    [{ accountId: ACCOUNT, trackingLinkId: "845759434926862336", clicks: -1 }, "clicks must be a whole number of 0 or more"],
    [{ accountId: ACCOUNT, trackingLinkId: "845759434926862336", views: 3 }, "unknown field(s) views"],
    [{ trackingLinkId: "845759434926862336", clicks: 1 }, "accountId is required"],
  ])("a bad body (%j) is a 400 naming the field and showing an example", async (body, message) => {
    emulator = await startTestEmulator();
    const reply = await call(emulator, "POST", "/__emulator/counters", { body });
    expect(reply.status).toBe(400);
    const error = (reply.json as { error: string }).error;
    expect(error).toContain(message);
    expect(error).toContain('example: {"accountId":"fansly_demo"');
  });
});

describe("simulated traffic", () => {
  test("the same seed grows the same counters; another seed, others", () => {
    const runs = [7, 7, 8].map((seed) => {
      const store = seededStore();
      new TrafficSimulator(store, seed).tick(50);
      return allLinks(store);
    });
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
  });

  test("every link's funnel holds (claims ≤ clicks, follows and subscriptions ≤ claims, net ≤ gross), and links differ", () => {
    const store = seededStore();
    new TrafficSimulator(store, 3).tick(200);
    const links = allLinks(store);
    for (const link of links) {
      expect(link.clicks).toBeGreaterThan(0);
      expect(link.claims).toBeLessThanOrEqual(link.clicks);
      expect(link.follows).toBeLessThanOrEqual(link.claims);
      expect(link.subscriptions).toBeLessThanOrEqual(link.claims);
      expect(link.totalNet).toBeLessThanOrEqual(link.totalGross);
      expect(link.totalNet > 0).toBe(link.subscriptions > 0);
    }
    expect(new Set(links.map((link) => link.clicks)).size).toBeGreaterThan(links.length / 2);
  });

  test("counters only grow, tick after tick", () => {
    const store = seededStore();
    const simulator = new TrafficSimulator(store, 11);
    let before = allLinks(store);
    for (let tick = 0; tick < 20; tick++) {
      simulator.tick();
      const after = allLinks(store);
      after.forEach((link, i) => {
        expect(link.clicks).toBeGreaterThanOrEqual(before[i]?.clicks ?? 0);
        expect(link.totalNet).toBeGreaterThanOrEqual(before[i]?.totalNet ?? 0);
      });
      before = after;
    }
  });

  test("startEmulator({ simulateTraffic }) grows counters on its own timer, and close() stops it", async () => {
    emulator = await startTestEmulator({ simulateTraffic: { seed: 5, intervalMs: 10 } });
    const running = emulator;
    running.store.seedLinks(ACCOUNT, 2, "Link ");
    const clicks = (): number => running.store.listLinks(ACCOUNT).reduce((sum, link) => sum + link.clicks, 0);
    for (let attempt = 0; attempt < 200 && clicks() === 0; attempt++) await sleep(10);
    expect(clicks()).toBeGreaterThan(0);
    await running.close();
    const atClose = clicks();
    await sleep(50);
    expect(clicks()).toBe(atClose);
  });

  test("`fansly-emulator --simulate-traffic SEED` starts with traffic on; a seed that is not a number is a usage error", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
    expect(await runCli(["--port", "0", "--api-key", KEY, "--simulate-traffic", "x"], io)).toEqual({ status: "exited", code: 2 });
    expect(err.join("\n")).toContain("--simulate-traffic must be a whole number of at least 0, e.g. --simulate-traffic 7");
    const result = await runCli(["--port", "0", "--api-key", KEY, "--simulate-traffic", "7"], io);
    if (result.status !== "running") throw new Error(`the emulator did not start: ${err.join("\n")}`);
    emulator = result.emulator;
    expect(out.join("\n")).toContain("traffic: simulated, seed 7");
  });
});
