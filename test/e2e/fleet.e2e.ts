/**
 * An agency's fleet through the real Pulumi CLI (examples/agency-fleet, the package's own bin), against an emulator
 * that enforces a small requests-per-minute limit:
 *
 * - `pulumi-fansly import --all-accounts` writes a stack per account (its Pulumi.<stack>.yaml and links/<stack>.yaml).
 * - `pulumi-fansly fleet up` runs the stacks side by side: one failing stack (its account does not exist) fails alone
 *   (exit 1, the summary says which), the others converge, and the stacks together never draw a 429: they share one
 *   budget. Each stack on its own would believe it had the whole minute (the emulator advertises it) and, side by
 *   side, together send more than the limit allows. This run waits out one window (about a minute) by design.
 */
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import { parseLinkSetText } from "../../src/linkSet/file";
import type { CliRun, PulumiCli } from "./pulumiCli";
import { REPO, useE2eWorld } from "./world";

const KEY = "e2e-fleet-canary-key-70c2d4";
const ACCOUNTS = ["fansly_east", "fansly_north", "fansly_south"];
/** The stacks the import names after the accounts (the emulator's account names are their ids). */
const STACKS = ["fansly-east", "fansly-north", "fansly-south"];
/** The key's limit at the emulator. */
const KEY_LIMIT = 12;
/** What the fleet shares: the key's limit less the import's requests, which are still in the emulator's window. */
const FLEET_LIMIT = 8;
const WINDOW_MS = 60_000;

let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;

/** The package's bin, run in the project with the CLI's environment (pulumi on PATH, backend, passphrase) and the key. */
function pulumiFansly(args: string[]): Promise<CliRun> {
  return cli.exec(project, process.execPath, [join(project, "node_modules", "pulumi-fansly", "dist", "cli", "main.js"), ...args], { allowFailure: true });
}

/** The most requests that arrived within any one window, by the emulator's clock. */
function busiestWindow(): number {
  const times = emulator.requests().map((r) => Date.parse(r.at)).sort((a, b) => a - b);
  let most = 0;
  for (const [i, start] of times.entries()) most = Math.max(most, times.filter((t, j) => j >= i && t < start + WINDOW_MS).length);
  return most;
}

const world = useE2eWorld({
  name: "fleet",
  emulator: { apiKeys: [KEY], accounts: ACCOUNTS, rateLimitPerMinute: KEY_LIMIT },
  cli: ({ emulator: running }) => ({ env: { FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: running.url } }),
  setup: async () => {
    ({ emulator, cli } = world);
    for (const account of ACCOUNTS) emulator.store.createLink(account, { label: `Bio of ${account}`, description: "made in the dashboard" });
    project = await world.project({ template: join(REPO, "examples", "agency-fleet") });
    await mkdir(join(project, "links"));
    const projectFile = join(project, "Pulumi.yaml");
    await writeFile(projectFile, (await readFile(projectFile, "utf8")).replace("http://127.0.0.1:8787", emulator.url));
  },
});

describe("pulumi-fansly import --all-accounts", () => {
  test("writes a stack per account: Pulumi.<stack>.yaml naming the account and links/<stack>.yaml adopting its links", async () => {
    const run = await pulumiFansly(["import", "--all-accounts"]);
    expect(run.code).toBe(0);
    for (const [i, stack] of STACKS.entries()) {
      const account = ACCOUNTS[i] ?? "";
      expect(await readFile(join(project, `Pulumi.${stack}.yaml`), "utf8")).toContain(`fansly:accountId: ${account}`);
      const { data } = parseLinkSetText(await readFile(join(project, "links", `${stack}.yaml`), "utf8"), stack);
      expect(Object.values(data.links).map((link) => link.trackingLinkId)).toEqual(emulator.store.customLinks(account).map((link) => link.id));
    }
    expect([...new Set(emulator.requests().map((r) => r.method))]).toEqual(["GET"]);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});

describe("pulumi-fansly fleet up", () => {
  let run: CliRun;

  beforeAll(async () => {
    // Two new links in each account's file, and a fourth stack whose account the key does not have.
    for (const stack of STACKS) {
      await appendFile(join(project, "links", `${stack}.yaml`), `  promo-${stack}:\n    label: Promo\n  story-${stack}:\n    label: Story\n`);
    }
    await writeFile(join(project, "Pulumi.broken.yaml"), "config:\n  fansly:accountId: fansly_gone\n");
    await writeFile(join(project, "links", "broken.yaml"), "links:\n  promo:\n    label: Promo\n");
    run = await pulumiFansly(["fleet", "up", "--concurrency", "4", "--max-requests-per-minute", String(FLEET_LIMIT)]);
    console.log(`fleet up (${FLEET_LIMIT}/min shared):\n${run.stdout}`);
  });

  test("a failing stack fails alone: the others converge, the summary says which failed, the exit code is 1", () => {
    expect(run.code).toBe(1);
    for (const [i, stack] of STACKS.entries()) {
      expect(run.stdout).toMatch(new RegExp(`^${stack}\\s+3\\s+\\d+\\s+[\\d.]+ s\\s+succeeded$`, "m"));
      expect(emulator.store.customLinks(ACCOUNTS[i] ?? "").map((link) => link.label).sort()).toEqual([`Bio of ${ACCOUNTS[i] ?? ""}`, "Promo", "Story"]);
    }
    expect(run.stdout).toMatch(/^broken\s+\d+\s+\d+\s+[\d.]+ s\s+failed$/m);
    expect(run.stdout).toMatch(/^4 stacks .* 3 succeeded, 1 failed$/m);
    expect(run.stderr).toContain("broken failed:");
    expect(run.stderr).toMatch(/\[4\/4\]/);
  });

  test("the stacks together stay within the key's limit: no 429, no window over the limit", () => {
    expect(emulator.requests().filter((r) => r.status === 429)).toEqual([]);
    expect(busiestWindow()).toBeLessThanOrEqual(KEY_LIMIT);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});
