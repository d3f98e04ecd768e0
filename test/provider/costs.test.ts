/** What an update costs: the estimate's rule, its line, the budget, and what the provider's client really sent. */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { FanslyConfigError } from "../../src/client";
import { resolveProviderSettings, TrackingLinkImplementation, type ConfigSource } from "../../src/provider";
import { costLinesIn, estimateLine, overBudget, pacingFloorMs, RequestCounts, requestsIn, sentLine, UpdatePlan } from "../../src/provider/costs";
import { costLine, removedLinks } from "../../src/provider/costReport";
import type { ProcessCosts } from "../../src/provider/implementation";
import { SentRequests } from "../../src/provider/sentRequests";

const KEY = "provider-costs-key-8d21";
const ACCOUNT = "fansly_costs";

function counts(entries: Partial<Record<"POST" | "PUT" | "DELETE" | "listing", number>>): RequestCounts {
  const made = new RequestCounts();
  for (const [kind, count] of Object.entries(entries)) made.add(kind as "POST", count);
  return made;
}

describe("the estimate line", () => {
  test("250 new links and the accounts listing: 251 requests, sent at once at 600 a minute", () => {
    expect(estimateLine(counts({ POST: 250, listing: 1 }), 600)).toBe("fansly estimate: 251 requests = 251 credits, no wait at 600/min (250 POST, 1 listing)");
  });

  test("more than a minute's worth waits one minute per 600 beyond the first", () => {
    expect(pacingFloorMs(600, 600)).toBe(0);
    expect(pacingFloorMs(601, 600)).toBe(60_000);
    expect(pacingFloorMs(1_201, 600)).toBe(120_000);
    expect(estimateLine(counts({ POST: 1_000 }), 600)).toBe("fansly estimate: 1000 requests = 1000 credits, ≥ 60 s at 600/min (1000 POST)");
  });

  test("a plan with nothing to do says so", () => {
    expect(estimateLine(new RequestCounts(), 600)).toBe("fansly estimate: 0 requests = 0 credits, no wait at 600/min (nothing to send)");
  });

  test("what it could not count is named", () => {
    expect(estimateLine(counts({ PUT: 1 }), 1_000, ["links removed from the program (x)"])).toBe(
      "fansly estimate: 1 request = 1 credit, no wait at 1000/min (1 PUT); not counted: links removed from the program (x)",
    );
  });
});

describe("the plan of one provider process", () => {
  test("adoptions in one account share a listing and may each PUT: a range", () => {
    const plan = new UpdatePlan();
    plan.link({ accountId: ACCOUNT, trackingLinkId: "1" });
    plan.link({ accountId: ACCOUNT, trackingLinkId: "2" });
    expect(estimateLine(plan.counts, 600)).toBe("fansly estimate: 1–6 requests = 1–6 credits, no wait at 600/min (0–2 PUT, 1–4 listings)");
  });

  test("a replacement's diff counts the old link's DELETE, and its delete is not counted again", () => {
    const plan = new UpdatePlan();
    plan.diffed("100", "replace");
    plan.diffed("200", "update");
    plan.diffed("300", "none");
    plan.deleted("100");
    plan.deleted("400"); // a removed resource: never diffed
    plan.accountsListing();
    plan.accountsListing();
    expect(estimateLine(plan.counts, 600)).toContain("(1 PUT, 2 DELETE, 1 listing)");
  });
});

describe("fansly:maxCreditsPerUpdate", () => {
  test("is read from stack config; unset means no limit; 0 or a word is refused with the command that fixes it", () => {
    const config = (value?: string): ConfigSource => ({ get: (key) => ({ "fansly:apiKey": KEY, "fansly:maxCreditsPerUpdate": value })[key] });
    expect(resolveProviderSettings(config("250"), {}).maxCreditsPerUpdate).toBe(250);
    expect(resolveProviderSettings(config(), {}).maxCreditsPerUpdate).toBeUndefined();
    expect(resolveProviderSettings(config("250"), {}).client).not.toHaveProperty("maxCreditsPerUpdate");
    for (const [value, reason] of [["0", "must be at least 1"], ["lots", "must be a whole number"]]) {
      const attempt = (): unknown => resolveProviderSettings(config(value), {});
      expect(attempt).toThrow(FanslyConfigError);
      expect(attempt).toThrow(`fansly:maxCreditsPerUpdate ${String(reason)}: run \`pulumi config set fansly:maxCreditsPerUpdate 2000\``);
    }
  });

  test("a plan within the budget passes; one certainly over it is refused, naming the setting and how to raise it", () => {
    expect(overBudget(counts({ POST: 99, listing: 1 }), 100)).toBeUndefined();
    expect(overBudget(counts({ POST: 1_000 }), undefined)).toBeUndefined();
    expect(overBudget(counts({ POST: 100, listing: 1 }), 100)).toMatch(
      /^this update needs at least 101 requests = 101 credits so far \(100 POST, 1 listing\), more than fansly:maxCreditsPerUpdate allows \(100\).*`pulumi config set fansly:maxCreditsPerUpdate <credits>` \(on an explicit provider: set its `maxCreditsPerUpdate`\)/,
    );
  });

  test("only the certain part counts: an adoption's possible PUT does not trip it", () => {
    const plan = new UpdatePlan();
    plan.link({ accountId: ACCOUNT, trackingLinkId: "1" });
    expect(overBudget(plan.counts, 1)).toBeUndefined();
  });
});

describe("the sent line and reading lines back", () => {
  test("more sent than estimated is put down to retries and confirmations", () => {
    expect(sentLine(counts({ POST: 3, listing: 1 }), 1_234, counts({ POST: 2 }))).toBe(
      "fansly sent: 4 requests = 4 credits in 1.2 s (3 POST, 1 listing); estimated 2, +2 from retries and confirmations",
    );
  });

  test("only diagnostics lines count, not the copy on the stack's progress row", () => {
    const output = [
      " +  pulumi:pulumi:Stack p-dev create fansly estimate: 3 requests = 3 credits, no wait at 600/min (3 POST)",
      "Diagnostics:",
      "  pulumi:pulumi:Stack (p-dev):",
      "    fansly estimate: 3 requests = 3 credits, no wait at 600/min (3 POST)",
    ].join("\n");
    expect(costLinesIn(output)).toEqual(["fansly estimate: 3 requests = 3 credits, no wait at 600/min (3 POST)"]);
    expect(requestsIn("fansly estimate: 3–5 requests = 3–5 credits, …")).toEqual({ min: 3, max: 5 });
    expect(requestsIn("fansly estimate: lots")).toBeUndefined();
  });
});

describe("links removed from the program, from the stack's state", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-costs-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in `pulumi` whose `stack export` prints `state`. */
  async function pulumiPrinting(state: unknown): Promise<string> {
    const exe = join(dir, "pulumi");
    await writeFile(join(dir, "state.json"), JSON.stringify(state));
    await writeFile(exe, `#!/bin/sh\ncat "${join(dir, "state.json")}"\n`);
    await chmod(exe, 0o755);
    return exe;
  }

  const costsWith = (keptIds: string[], providerUrn?: string): ProcessCosts => ({
    planned: new RequestCounts(),
    keptIds: new Set(keptIds),
    sent: new SentRequests(),
    wrote: false,
    perMinute: 600,
    providerUrn,
    stoppedAtBudget: undefined,
  });

  test("are this provider's links in state that the engine did not diff", async () => {
    const provider = "urn:pulumi:dev::p::pulumi:providers:fansly::default";
    const exe = await pulumiPrinting({
      deployment: {
        resources: [
          { type: "fansly:index:TrackingLink", id: "1", provider: `${provider}::u1` },
          { type: "fansly:index:TrackingLink", id: "2", provider: `${provider}::u1` },
          { type: "fansly:index:TrackingLink", id: "3", provider: "urn:pulumi:dev::p::pulumi:providers:fansly::agency::u2" },
          { type: "pulumi-nodejs:dynamic/fansly:TrackingLink", id: "4" },
        ],
      },
    });
    const parent = { exe, cwd: dir, args: ["preview", "--stack", "dev"] };
    expect(await removedLinks("plugin", costsWith(["1"], provider), parent)).toBe(1);
    expect(await removedLinks("dynamic", costsWith([]), parent)).toBe(1);
    expect(await removedLinks("dynamic", costsWith([]), { ...parent, args: ["refresh"] })).toBe(0);
    expect(await removedLinks("dynamic", costsWith([]), { ...parent, args: ["preview", "--target", "x"] })).toMatch(/--target/);
    expect(await removedLinks("dynamic", costsWith([]), undefined)).toMatch(/state was not found/);
  });

  test("a preview's line adds them and its own requests; a refresh, which plans nothing, says what it sent", async () => {
    const exe = await pulumiPrinting({ deployment: { resources: [{ type: "pulumi-nodejs:dynamic/fansly:TrackingLink", id: "9" }] } });
    const costs = costsWith([]);
    costs.planned.add("POST", 2);
    costs.sent.record("GET", 0);
    expect(await costLine("dynamic", costs, { exe, cwd: dir, args: ["preview"] })).toBe(
      "fansly estimate: 3 requests = 3 credits, no wait at 600/min (2 POST, 1 DELETE); this preview itself sent 1",
    );
    expect(await costLine("dynamic", costs, { exe, cwd: dir, args: ["refresh", "--yes"] })).toBe("fansly sent: 1 request = 1 credit in 0 s (1 listing)");
  });
});

describe("what the provider's own client sent", () => {
  let emulator: RunningEmulator;
  let provider: TrackingLinkImplementation;

  beforeEach(async () => {
    emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
    provider = new TrackingLinkImplementation(undefined, {});
    const config: ConfigSource = { get: (key) => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT })[key] };
    await provider.configure({ config });
  });
  afterEach(async () => {
    await provider.close();
    await emulator.close();
  });

  test("counts every attempt: a create answered 503 costs its listing and a second POST", async () => {
    const { inputs } = await provider.check({}, { label: "Bio" });
    emulator.addFault({ method: "POST", status: 503, times: 1 });
    if (inputs === undefined) throw new Error("check returned no inputs");
    await provider.create(inputs);
    const costs = provider.costs();
    expect(costs.wrote).toBe(true);
    expect(estimateLine(costs.planned, costs.perMinute)).toContain("(1 POST, 1 listing)");
    expect(costs.sent.counts.total().min).toBe(emulator.requests().length);
    expect(sentLine(costs.sent.counts, 0, costs.planned)).toContain("(2 POST, 2 listings); estimated 2, +2 from retries and confirmations");
  });

  test("a check over the budget fails before the account is looked up", async () => {
    const budgeted = new TrackingLinkImplementation(undefined, {});
    const config: ConfigSource = {
      get: (key) => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT, "fansly:maxCreditsPerUpdate": "1" })[key],
    };
    await budgeted.configure({ config });
    const { failures } = await budgeted.check({}, { label: "Bio" });
    await budgeted.close();
    expect(failures).toEqual([{ property: "", reason: expect.stringContaining("more than fansly:maxCreditsPerUpdate allows (1)") as unknown }]);
    expect(emulator.requests()).toEqual([]);
  });

  test("an update never sends past the budget: the delete that would pass it is refused, the one within it is sent", async () => {
    const budgeted = new TrackingLinkImplementation(undefined, {});
    const config: ConfigSource = {
      get: (key) => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:maxCreditsPerUpdate": "1" })[key],
    };
    await budgeted.configure({ config });
    const [first, second] = ["One", "Two"].map((label) => emulator.store.createLink(ACCOUNT, { label, description: "" }));
    const stored = (id: string): Parameters<TrackingLinkImplementation["delete"]>[1] => ({ trackingLinkId: id, accountId: ACCOUNT, label: "x", description: "", adopted: false });
    await budgeted.delete(first?.id ?? "", stored(first?.id ?? ""));
    await expect(budgeted.delete(second?.id ?? "", stored(second?.id ?? ""))).rejects.toThrow("more than fansly:maxCreditsPerUpdate allows (1)");
    await budgeted.close();
    expect(emulator.requests().map((r) => r.method)).toEqual(["DELETE"]);
    expect(emulator.store.customLinks(ACCOUNT).map((link) => link.label)).toEqual(["Two"]);
  });
});
