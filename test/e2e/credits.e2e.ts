/**
 * What an update costs, through the real CLI against the emulator (src/provider/costs.ts, costReport.ts): the
 * preview's "fansly estimate:" line against the requests the emulator then logs, the update's "fansly sent:" line
 * against the same log, and `fansly:maxCreditsPerUpdate` stopping a preview before any link request. The dynamic
 * face from test/e2e/project, the plugin face from test/e2e/plugin-project (both TypeScript; yaml.e2e.ts checks
 * the line from Pulumi YAML).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import { costLinesIn, requestsIn, SENT_PREFIX } from "../../src/provider/costs";
import type { CliRun, PulumiCli } from "./pulumiCli";
import { callsOf, writesOf } from "./requestLog";
import { useE2eWorld } from "./world";

const KEY = "e2e-credits-key-5b81c2";
const ACCOUNT = "fansly_credits";
const SECOND_ACCOUNT = "fansly_credits2";
const STACK = "dev";

let emulator: RunningEmulator;
let cli: PulumiCli;

type Declared = Record<string, { label: string; description?: string; accountId?: string }>;

async function projectFrom(template: string): Promise<string> {
  const dir = await world.project({ template: join(__dirname, template) });
  await cli.initStack(dir, STACK, { baseUrl: emulator.url, apiKey: KEY, accountId: ACCOUNT });
  return dir;
}

async function declare(project: string, links: Declared): Promise<void> {
  await writeFile(join(project, "links.json"), JSON.stringify(links, null, 2));
}

/** The one estimate line of a run (one provider process), and its request count. */
function estimateOf(run: CliRun): { line: string; requests: number } {
  const lines = costLinesIn(run.stdout);
  expect(lines).toHaveLength(1);
  const line = lines[0] ?? "";
  const requests = requestsIn(line);
  // Without an adoption the estimate is one number, not a range.
  expect(requests?.max).toBe(requests?.min);
  return { line, requests: requests?.min ?? -1 };
}

/** The previewed estimate, then `up --skip-preview` (no second preview): the emulator logs the update alone. */
async function previewThenUpdate(project: string): Promise<{ estimate: { line: string; requests: number }; update: CliRun }> {
  const preview = await cli.run(project, ["preview", "--stack", STACK]);
  const estimate = estimateOf(preview);
  emulator.clearRequests();
  const update = await cli.run(project, ["up", "--yes", "--skip-preview", "--stack", STACK]);
  return { estimate, update };
}

const world = useE2eWorld({
  name: "credits",
  emulator: { apiKeys: [KEY], accounts: [ACCOUNT, SECOND_ACCOUNT] },
  setup: () => {
    ({ emulator, cli } = world);
  },
  betweenTests: "clear requests",
});

describe("the dynamic face: estimate and truth for a create/update/delete mix", () => {
  let project: string;

  beforeAll(async () => {
    project = await projectFrom("project");
  }, 5 * 60_000);

  test("a preview's estimate equals the requests the update then sends, and `up` says what it sent", async () => {
    await declare(project, { a: { label: "A" }, b: { label: "B" }, c: { label: "C" } });
    const created = await previewThenUpdate(project);
    expect(created.estimate.line).toContain("4 requests = 4 credits, no wait at 600/min (3 POST, 1 listing)");
    expect(callsOf(emulator)).toHaveLength(created.estimate.requests);

    // Rename one, remove one, add one, move one to another account (a replacement: POST + DELETE).
    await declare(project, { a: { label: "A renamed" }, c: { label: "C", accountId: SECOND_ACCOUNT }, d: { label: "D" } });
    const mixed = await previewThenUpdate(project);
    // The removed link's DELETE comes from the stack's state: no provider is told of it at preview.
    expect(mixed.estimate.line).toContain("6 requests = 6 credits, no wait at 600/min (2 POST, 1 PUT, 2 DELETE, 1 listing)");
    expect(callsOf(emulator)).toHaveLength(mixed.estimate.requests);
    expect(writesOf(emulator).map((call) => call.split(" ")[0]).sort()).toEqual(["DELETE", "DELETE", "POST", "POST", "PUT"]);
    const sent = costLinesIn(mixed.update.stdout, SENT_PREFIX);
    expect(sent).toEqual([expect.stringMatching(/^fansly sent: 6 requests = 6 credits in [\d.]+ s \(2 POST, 1 PUT, 2 DELETE, 1 listing\); estimated 6$/)]);
  }, 5 * 60_000);

  test("under faults the update sends more than estimated, by the retries and confirmations its line names", async () => {
    await declare(project, { a: { label: "A again" }, c: { label: "C", accountId: SECOND_ACCOUNT }, d: { label: "D" }, e: { label: "E" } });
    const preview = await cli.run(project, ["preview", "--stack", STACK]);
    const estimate = estimateOf(preview);
    emulator.clearRequests();
    // A POST answered 503 (maybe applied: the client lists, then posts again) and a PUT answered 429 (sent again).
    emulator.addFault({ method: "POST", status: 503, times: 1 });
    emulator.addFault({ method: "PUT", status: 429, retryAfter: 0, times: 1 });
    const update = await cli.run(project, ["up", "--yes", "--skip-preview", "--stack", STACK]);
    const logged = callsOf(emulator).length;
    // Documented: a 5xx'd POST costs a listing and a second POST; a 429'd PUT a second PUT.
    expect(logged).toBe(estimate.requests + 3);
    const [sent] = costLinesIn(update.stdout, SENT_PREFIX);
    expect(requestsIn(sent ?? "")?.min).toBe(logged);
    expect(sent).toContain(`estimated ${String(estimate.requests)}, +3 from retries and confirmations`);
  }, 5 * 60_000);
});

describe("the plugin face: 250 new links in two accounts", () => {
  let project: string;
  const links: Declared = Object.fromEntries(
    Array.from({ length: 250 }, (_, i) => [`link-${String(i)}`, { label: `Link ${String(i)}`, accountId: i % 2 === 0 ? ACCOUNT : SECOND_ACCOUNT }]),
  );

  beforeAll(async () => {
    project = await projectFrom("plugin-project");
    await declare(project, links);
  }, 5 * 60_000);

  test("a budget of 100 credits stops the preview before any link request, naming the estimate and the setting", async () => {
    await cli.run(project, ["config", "set", "fansly:maxCreditsPerUpdate", "100", "--stack", STACK]);
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toContain("more than fansly:maxCreditsPerUpdate allows (100), so this step was refused before sending anything");
    expect(preview.stdout).toContain("pulumi config set fansly:maxCreditsPerUpdate <credits>");
    // The engine stops at the refused link: the line counts up to there, and says so.
    const { line, requests } = estimateOf(preview);
    expect(requests).toBe(101);
    expect(line).toContain("not counted: the rest of the program (the engine stopped at fansly:maxCreditsPerUpdate, 100)");
    // The accounts check of the first links ran before the budget was reached; nothing touched a link.
    expect(callsOf(emulator)).toEqual(["GET /api/fansly/accounts"]);
    await cli.run(project, ["config", "rm", "fansly:maxCreditsPerUpdate", "--stack", STACK]);
  }, 5 * 60_000);

  test("the preview says 251 requests = 251 credits (250 POSTs and the accounts listing), and the update sends exactly those", async () => {
    const { estimate, update } = await previewThenUpdate(project);
    expect(estimate.line).toBe("fansly estimate: 251 requests = 251 credits, no wait at 600/min (250 POST, 1 listing); this preview itself sent 1");
    const calls = callsOf(emulator);
    expect(calls.filter((call) => call.startsWith("POST "))).toHaveLength(250);
    expect(calls).toHaveLength(251);
    expect(costLinesIn(update.stdout, SENT_PREFIX)).toEqual([expect.stringMatching(/^fansly sent: 251 requests = 251 credits in [\d.]+ s \(250 POST, 1 listing\); estimated 251$/)]);
  }, 5 * 60_000);
});
