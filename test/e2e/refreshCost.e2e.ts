/**
 * What a drift check costs, through the real Pulumi CLI: 250 links in two accounts, `pulumi refresh` and the daily
 * drift job's `pulumi preview --refresh --expect-no-changes` each list an account at most twice (the API has no
 * single-link GET; before, every link cost a whole listing). The emulator pages its list (100 a page), so a listing
 * of 125 links is two GETs; a listing is counted by its first page.
 *
 * And it still sees what a person did in the dashboard: a label edited by hand and a link deleted by hand before
 * the refresh.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import type { PulumiCli } from "./pulumiCli";
import { DYNAMIC_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { writesOf } from "./requestLog";
import { DYNAMIC_PROJECT, useE2eWorld } from "./world";

const KEY = "e2e-refresh-cost-key-1d70c";
const ACCOUNTS = ["fansly_cost_a", "fansly_cost_b"] as const;
const PER_ACCOUNT = 125;
const PAGE_SIZE = 100;
const STACK = "dev";

let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;

/** Listings of each account since the last `clearRequests`: first pages only (a paged listing is one listing). */
function listingsPerAccount(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(ACCOUNTS.map((account) => [account, 0]));
  for (const request of emulator.requests()) {
    const account = /^\/api\/fansly\/([^/]+)\/tracking-links$/.exec(request.path)?.[1];
    const firstPage = request.query.offset === undefined || request.query.offset === "0";
    if (request.method === "GET" && account !== undefined && firstPage) counts[account] = (counts[account] ?? 0) + 1;
  }
  return counts;
}

async function linksInState(): Promise<{ id: string; label: unknown }[]> {
  const { resources } = await cli.exportStack(project, STACK);
  return resources.filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE).map((r) => ({ id: r.id ?? "", label: r.outputs?.label }));
}

const world = useE2eWorld({
  name: "cost",
  emulator: { apiKeys: [KEY], accounts: [...ACCOUNTS], pageSize: PAGE_SIZE, rateLimitPerMinute: 1_000_000 },
  setup: async () => {
    ({ emulator, cli } = world);
    project = await world.project({ template: DYNAMIC_PROJECT });
    const declared = Object.fromEntries(
      ACCOUNTS.flatMap((accountId, a) =>
        Array.from({ length: PER_ACCOUNT }, (_, i) => [`link-${a}-${i}`, { label: `Source ${a}-${i}`, description: `cost ${i}`, accountId }]),
      ),
    );
    await writeFile(join(project, "links.json"), JSON.stringify(declared, null, 2));
    await cli.initStack(project, STACK, { baseUrl: emulator.url, apiKey: KEY });
    world.afterTests(() => cli.run(project, ["destroy", "--yes", "--skip-preview", "--stack", STACK], { allowFailure: true }));
    await cli.run(project, ["up", "--yes", "--skip-preview", "--stack", STACK]);
    expect(ACCOUNTS.map((account) => emulator.store.customLinks(account).length)).toEqual([PER_ACCOUNT, PER_ACCOUNT]);
  },
});

test("`pulumi refresh` of 250 links in two accounts lists each account at most twice, and takes a hand edit and a hand delete", async () => {
  const [first, second] = ACCOUNTS;
  const edited = emulator.store.customLinks(first)[7];
  const deleted = emulator.store.customLinks(second)[3];
  if (edited === undefined || deleted === undefined) throw new Error("the up made no links");
  emulator.store.updateLink(first, edited.id, { label: "Edited in the dashboard", description: edited.description });
  emulator.store.deleteLink(second, deleted.id);

  emulator.clearRequests();
  await cli.run(project, ["refresh", "--yes", "--skip-preview", "--stack", STACK]);
  const listings = listingsPerAccount();
  console.log(`refresh: listings per account ${JSON.stringify(listings)}, ${emulator.requests().length} requests in all`);
  expect(Object.values(listings).every((count) => count >= 1 && count <= 2)).toBe(true);
  expect(writesOf(emulator)).toEqual([]);

  const state = await linksInState();
  expect(state).toHaveLength(2 * PER_ACCOUNT - 1);
  expect(state.find((link) => link.id === edited.id)?.label).toBe("Edited in the dashboard");
  expect(state.some((link) => link.id === deleted.id)).toBe(false);
});

test("the next `pulumi up` puts both back: one PUT and one POST", async () => {
  emulator.clearRequests();
  await cli.run(project, ["up", "--yes", "--skip-preview", "--stack", STACK]);
  expect(writesOf(emulator).sort()).toEqual([`POST /api/fansly/${ACCOUNTS[1]}/tracking-links`, `PUT /api/fansly/${ACCOUNTS[0]}/tracking-links`]);
  expect(ACCOUNTS.map((account) => emulator.store.customLinks(account).length)).toEqual([PER_ACCOUNT, PER_ACCOUNT]);
});

test("the drift check (`pulumi preview --refresh --expect-no-changes`) passes, listing each account at most twice", async () => {
  emulator.clearRequests();
  const run = await cli.run(project, ["preview", "--refresh", "--expect-no-changes", "--stack", STACK]);
  expect(run.code).toBe(0);
  const listings = listingsPerAccount();
  console.log(`drift check: listings per account ${JSON.stringify(listings)}, ${emulator.requests().length} requests in all`);
  expect(Object.values(listings).every((count) => count >= 1 && count <= 2)).toBe(true);
  expect(writesOf(emulator)).toEqual([]);
  // No link is new to its account: check does not list the key's accounts (src/provider/accountCheck.ts).
  expect(emulator.requests().filter((r) => r.path === "/api/fansly/accounts")).toEqual([]);
});

test("the drift check fails when a label was edited by hand", async () => {
  const [first] = ACCOUNTS;
  const link = emulator.store.customLinks(first)[0];
  if (link === undefined) throw new Error("no link");
  emulator.store.updateLink(first, link.id, { label: "Changed behind our back", description: link.description });
  const run = await cli.run(project, ["preview", "--refresh", "--expect-no-changes", "--stack", STACK], { allowFailure: true });
  expect(run.code).not.toBe(0);
  expect(`${run.stdout}${run.stderr}`).toMatch(/Changed behind our back|1 to update/);
});
