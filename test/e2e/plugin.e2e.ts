/**
 * The plugin face end to end: `pulumi-resource-fansly` (dist/plugin of the package, as a user installs it) run by
 * the real CLI, named in Pulumi.yaml's `plugins.providers`, against the emulator; what reached the API is read
 * from the emulator's request log.
 *
 * - a TypeScript program (test/e2e/plugin-project) creates, updates and deletes links;
 * - `pulumi import fansly:index:TrackingLink` adopts existing links (a bare id, and `accountId/id`) without a write,
 *   and the next preview shows no change;
 * - an explicit Provider with a second key manages links of another account in the same stack;
 * - a stack made with the dynamic face (test/e2e/project) moves to the plugin face with no request at all.
 *
 * SDK and CLI: the locked ones, or the newest (PULUMI_FANSLY_E2E_SDK_NODE_MODULES), as scenario.e2e.ts.
 */
import { execFile } from "node:child_process";
import { copyFile, cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../src/emulator";
import { diagnosticsOf, occurrences, type ExportedResource, type PulumiCli } from "./pulumiCli";
import { DYNAMIC_TRACKING_LINK_TYPE, PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { callsOf, labelsIn, writesOf } from "./requestLog";
import { addProgram, DYNAMIC_PROJECT, useE2eWorld } from "./world";

const KEY = "e2e-plugin-canary-key-7d0c1e";
const SECOND_KEY = "e2e-plugin-second-key-3a9f52";
const ACCOUNT = "fansly_plugin";
const SECOND_ACCOUNT = "fansly_second";
const BULK_ACCOUNT = "fansly_bulk";
const OWNER_ACCOUNT = "fansly_owner";
const BOTH_ACCOUNT = "fansly_both";
const STACK = "dev";
const COUNTERS = ["clicks", "claims", "follows", "subscriptions", "totalGross", "totalNet"];
const PLUGIN_TEMPLATE = join(__dirname, "plugin-project");

type Declared = Record<string, { label: string; description?: string; accountId?: string; trackingLinkId?: string; provider?: "second" }>;

let emulator: RunningEmulator;
let cli: PulumiCli;
let built: string;

function linksPath(account: string): string {
  return `/api/fansly/${account}/tracking-links`;
}

/** A project folder: the built package in node_modules, the given template's program and Pulumi.yaml. */
async function projectFrom(template: string): Promise<string> {
  const dir = await world.tempDir("plugin");
  await cp(built, dir, { recursive: true, verbatimSymlinks: true });
  await addProgram(dir, template);
  return dir;
}

/**
 * What a user changes to move a stack to the plugin face: the program's import (`pulumi-fansly/plugin`), and the
 * `plugins:` section added to their own Pulumi.yaml (same project name, so the same stack).
 */
async function moveToPluginFace(dir: string): Promise<void> {
  await copyFile(join(PLUGIN_TEMPLATE, "index.ts"), join(dir, "index.ts"));
  const pluginYaml = await readFile(join(PLUGIN_TEMPLATE, "Pulumi.yaml"), "utf8");
  const pluginsSection = pluginYaml.slice(pluginYaml.indexOf("plugins:"));
  await writeFile(join(dir, "Pulumi.yaml"), `${await readFile(join(dir, "Pulumi.yaml"), "utf8")}${pluginsSection}`);
}

async function declare(project: string, links: Declared): Promise<void> {
  await writeFile(join(project, "links.json"), JSON.stringify(links, null, 2));
}

const world = useE2eWorld({
  name: "plugin-home",
  emulator: { apiKeys: [KEY, SECOND_KEY], accounts: [ACCOUNT, SECOND_ACCOUNT, BULK_ACCOUNT, OWNER_ACCOUNT, BOTH_ACCOUNT] },
  betweenTests: "clear requests",
  setup: async () => {
    ({ emulator, cli } = world);
    built = await world.project({ forPrograms: true });
  },
});

describe("a TypeScript program on the plugin face (pulumi-fansly/plugin) through the real CLI", () => {
  let project: string;
  const LINKS = linksPath(ACCOUNT);
  const BIO = { label: "Twitter bio", description: "pinned profile link" };
  const REDDIT = { label: "Reddit post #3" };

  beforeAll(async () => {
    project = await projectFrom(PLUGIN_TEMPLATE);
    await cli.initStack(project, STACK, { baseUrl: emulator.url, accountId: ACCOUNT, apiKey: KEY });
    await declare(project, { "twitter-bio": BIO, "reddit-post-3": REDDIT });
  });

  test("1. up creates each link with one POST; state holds fansly:index:TrackingLink and the key only as ciphertext", async () => {
    const up = await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(up.stdout).toContain(PLUGIN_TRACKING_LINK_TYPE);
    expect(writesOf(emulator)).toEqual([`POST ${LINKS}`, `POST ${LINKS}`]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #3", "Twitter bio"]);
    const { text, resources } = await cli.exportStack(project, STACK);
    expect(resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE).map((r) => r.urn.split("::").at(-1)).sort()).toEqual(["reddit-post-3", "twitter-bio"]);
    expect(resources.some((r) => r.type.startsWith("pulumi-nodejs:"))).toBe(false);
    expect(resources.find((r) => r.type === "pulumi:providers:fansly")?.inputs?.apiKey).toHaveProperty("ciphertext");
    expect(text).not.toContain(KEY);
    // The stack trace kept with each link ends at the program's line, none of the runtime's frames below it.
    const traces = resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE).map((r) => JSON.stringify(r.stackTrace ?? []));
    for (const trace of traces) expect({ program: trace.includes("project:///index.ts"), runtime: /node_modules|ts-node/.test(trace) }).toEqual({ program: true, runtime: false });
    // No traffic counter is kept in state (they are read live: getTrackingLinkStats).
    const kept = resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE).flatMap((r) => Object.keys(r.outputs ?? {}));
    expect(kept.filter((name) => COUNTERS.includes(name))).toEqual([]);
  });

  test("1b. getTrackingLinkStats gives a link's counters as the API has them now: one listing, no write", async () => {
    const bio = emulator.store.customLinks(ACCOUNT).find((link) => link.label === BIO.label);
    if (bio === undefined) throw new Error("test 1 made no Twitter bio link");
    emulator.store.setCounters([{ accountId: ACCOUNT, linkId: bio.id, counters: { clicks: 120, claims: 30, subscriptions: 4, totalGross: 39960, totalNet: 31968 } }]);
    await cli.run(project, ["config", "set", "statsOf", "twitter-bio", "--stack", STACK]);
    emulator.clearRequests();
    await cli.run(project, ["up", "--yes", "--skip-preview", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([]);
    expect(callsOf(emulator)).toEqual([`GET ${LINKS}`]);
    const output = JSON.parse((await cli.run(project, ["stack", "output", "stats", "--json", "--stack", STACK])).stdout) as unknown;
    expect(output).toEqual({ trackingLinkId: bio.id, accountId: ACCOUNT, label: BIO.label, clicks: 120, claims: 30, follows: 0, subscriptions: 4, totalGross: 39960, totalNet: 31968 });
    await cli.run(project, ["config", "rm", "statsOf", "--stack", STACK]);
  });

  test("2. a label renamed: preview shows one update and makes no request; up sends exactly one PUT", async () => {
    await declare(project, { "twitter-bio": BIO, "reddit-post-3": { label: "Reddit post #4" } });
    const preview = await cli.run(project, ["preview", "--diff", "--stack", STACK]);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    expect(callsOf(emulator)).toEqual([]);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`PUT ${LINKS}`]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #4", "Twitter bio"]);
  });

  test("2b. a typo'd fansly:accountId fails preview naming the key's accounts: one accounts listing, no link request", async () => {
    await cli.run(project, ["config", "set", "fansly:accountId", "fansly_plugn", "--stack", STACK]);
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    await cli.run(project, ["config", "set", "fansly:accountId", ACCOUNT, "--stack", STACK]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(
      "fansly_plugn, the provider's default account, is not an account of this apifansly key, which has fansly_plugin, fansly_second, fansly_bulk, fansly_owner, fansly_both; did you mean fansly_plugin?: " +
        "run `pulumi config set fansly:accountId fansly_plugin`",
    );
    expect(callsOf(emulator)).toEqual(["GET /api/fansly/accounts"]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #4", "Twitter bio"]);
  });

  test("3. a bad label fails preview with the dynamic face's message, before any request", async () => {
    await declare(project, { "twitter-bio": { label: "x".repeat(101) }, "reddit-post-3": { label: "Reddit post #4" } });
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("must be at most 100 characters: shorten it");
    expect(callsOf(emulator)).toEqual([]);
    await declare(project, { "twitter-bio": BIO, "reddit-post-3": { label: "Reddit post #4" } });
  });

  test("3b. a bad provider setting fails preview against the provider, naming the setting and its fix, before any request", async () => {
    await cli.run(project, ["config", "set", "fansly:maxRetries", "four", "--stack", STACK]);
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    await cli.run(project, ["config", "rm", "fansly:maxRetries", "--stack", STACK]);
    expect(preview.code).not.toBe(0);
    // The engine words it "pulumi:providers:fansly resource 'default': property maxRetries value {four} has a problem: …".
    expect(preview.stdout + preview.stderr).toMatch(/pulumi:providers:fansly resource 'default'.*maxRetries.*: must be a whole number: run `pulumi config set fansly:maxRetries 4`/);
    expect(callsOf(emulator)).toEqual([]);
  });

  test("4. pulumi import adopts links by `<id>` and by `<accountId>/<id>` with no write; with them declared, preview shows no change", async () => {
    const here = emulator.store.createLink(ACCOUNT, { label: "Made by hand", description: "before Pulumi" });
    const there = emulator.store.createLink(SECOND_ACCOUNT, { label: "Other account", description: "" });
    emulator.clearRequests();
    await cli.run(project, ["import", PLUGIN_TRACKING_LINK_TYPE, "made-by-hand", here.id, "--yes", "--protect=false", "--generate-code=false", "--stack", STACK]);
    await cli.run(project, ["import", PLUGIN_TRACKING_LINK_TYPE, "other-account", `${SECOND_ACCOUNT}/${there.id}`, "--yes", "--protect=false", "--generate-code=false", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([]);
    const imported = (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE && r.id !== undefined && [here.id, there.id].includes(r.id));
    expect(imported.map((r) => r.inputs).sort((a, b) => String(a?.label).localeCompare(String(b?.label)))).toEqual([
      { label: "Made by hand", description: "before Pulumi", accountId: ACCOUNT },
      { label: "Other account", description: "", accountId: SECOND_ACCOUNT },
    ]);

    await declare(project, {
      "twitter-bio": BIO,
      "reddit-post-3": { label: "Reddit post #4" },
      "made-by-hand": { label: "Made by hand", description: "before Pulumi" },
      "other-account": { label: "Other account", accountId: SECOND_ACCOUNT },
    });
    emulator.clearRequests();
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([]);
  });

  test("4b. `pulumi-fansly import --format pulumi-import` writes the file `pulumi import --file` adopts a whole account from, with no write", async () => {
    for (const label of ["Bulk one", "Bulk two", "Bulk three"]) emulator.store.createLink(BULK_ACCOUNT, { label, description: "" });
    emulator.clearRequests();
    const main = join(project, "node_modules", "pulumi-fansly", "dist", "cli", "main.js");
    const env = { PATH: process.env.PATH, FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: emulator.url };
    await promisify(execFile)(process.execPath, [main, "import", "--account", BULK_ACCOUNT, "--format", "pulumi-import", "--out", "import.json"], { cwd: project, env });
    await cli.run(project, ["import", "--file", "import.json", "--yes", "--protect=false", "--generate-code=false", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([]);
    const inState = (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE && r.inputs?.accountId === BULK_ACCOUNT);
    expect(inState.map((r) => r.id).sort()).toEqual(emulator.store.customLinks(BULK_ACCOUNT).map((l) => l.id).sort());

    const bulk = Object.fromEntries(inState.map((r) => [r.urn.split("::").at(-1) ?? "", { label: String(r.inputs?.label), accountId: BULK_ACCOUNT }]));
    await declare(project, { ...(JSON.parse(await readFile(join(project, "links.json"), "utf8")) as Declared), ...bulk });
    emulator.clearRequests();
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([]);
  });

  test("5. an explicit Provider with a second key: a wrong key fails with the API's 401, the right one creates in its account", async () => {
    await cli.run(project, ["config", "set", "secondAccount", SECOND_ACCOUNT, "--stack", STACK]);
    await cli.run(project, ["config", "set", "--secret", "secondKey", "not-a-valid-key-0000", "--stack", STACK]);
    const declared: Declared = {
      ...(JSON.parse(await readFile(join(project, "links.json"), "utf8")) as Declared),
      "second-bio": { label: "Second key's bio", provider: "second" },
    };
    await declare(project, declared);
    const refused = await cli.run(project, ["up", "--yes", "--stack", STACK], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    // The new link's check lists the key's accounts (accountCheck.ts): the 401 comes there, before any POST.
    expect(refused.stdout + refused.stderr).toMatch(/401 Unauthorized \(GET \/api\/fansly\/accounts\).*check the apiKey option \(apiKey: set this provider's `apiKey`/);
    // Said for this explicit provider: its key is its own input, not stack config.
    expect(refused.stdout + refused.stderr).not.toMatch(/401 Unauthorized.*pulumi config set/);
    expect(writesOf(emulator)).toEqual([]);
    expect(labelsIn(emulator, SECOND_ACCOUNT)).toEqual(["Other account"]);

    await cli.run(project, ["config", "set", "--secret", "secondKey", SECOND_KEY, "--stack", STACK]);
    emulator.clearRequests();
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`POST ${linksPath(SECOND_ACCOUNT)}`]);
    expect(labelsIn(emulator, SECOND_ACCOUNT)).toEqual(["Other account", "Second key's bio"]);
    const { text, resources } = await cli.exportStack(project, STACK);
    const second = resources.find((r) => r.type === "pulumi:providers:fansly" && r.urn.endsWith("::second"));
    expect(second?.inputs?.apiKey).toHaveProperty("ciphertext");
    expect(text).not.toContain(SECOND_KEY);
  });

  test("6. destroy deletes every link of both keys; no command printed a key", async () => {
    await cli.run(project, ["destroy", "--yes", "--stack", STACK]);
    expect(writesOf(emulator).filter((w) => w.startsWith("DELETE")).length).toBe(8);
    expect(labelsIn(emulator, ACCOUNT)).toEqual([]);
    expect(labelsIn(emulator, BULK_ACCOUNT)).toEqual([]);
    expect(labelsIn(emulator, SECOND_ACCOUNT)).toEqual([]);
    for (const run of cli.runs) {
      expect(run.stdout + run.stderr).not.toContain(KEY);
      expect(run.stdout + run.stderr).not.toContain(SECOND_KEY);
    }
  });
});

describe("moving a TypeScript stack from the dynamic face to the plugin face", () => {
  let project: string;
  let dynamicLinks: ExportedResource[];
  const DECLARED: Declared = { bio: { label: "Twitter bio" }, reddit: { label: "Reddit", description: "post #3" }, story: { label: "Story" } };

  beforeAll(async () => {
    project = await projectFrom(DYNAMIC_PROJECT);
    await cli.initStack(project, STACK, { baseUrl: emulator.url, accountId: ACCOUNT, apiKey: KEY });
    await declare(project, DECLARED);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    dynamicLinks = (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE);
    expect(dynamicLinks).toHaveLength(3);
  });

  test("on the dynamic face too, the stack trace kept with each link ends at the program's line, none of the runtime's frames below it", () => {
    const traces = dynamicLinks.map((r) => JSON.stringify(r.stackTrace ?? []));
    for (const trace of traces) expect({ program: trace.includes("project:///index.ts"), runtime: /node_modules|ts-node/.test(trace) }).toEqual({ program: true, runtime: false });
  });

  test("on the dynamic face, a typo'd fansly:accountId fails preview naming the key's accounts: one accounts listing, no link request", async () => {
    await cli.run(project, ["config", "set", "fansly:accountId", "fansly_plugn", "--stack", STACK]);
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    await cli.run(project, ["config", "set", "fansly:accountId", ACCOUNT, "--stack", STACK]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("fansly_plugn, the provider's default account, is not an account of this apifansly key, which has fansly_plugin, fansly_second, fansly_bulk");
    expect(callsOf(emulator)).toEqual(["GET /api/fansly/accounts"]);
    expect(emulator.store.customLinks(ACCOUNT)).toHaveLength(3);
  });

  test("the program switched to pulumi-fansly/plugin: up makes no request at all and every link keeps its id", async () => {
    const ids = emulator.store.customLinks(ACCOUNT).map((l) => l.id).sort();
    await moveToPluginFace(project);
    emulator.clearRequests();
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([]);
    const { resources } = await cli.exportStack(project, STACK);
    expect(resources.filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE)).toEqual([]);
    expect(resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE).map((r) => r.id).sort()).toEqual(ids);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id).sort()).toEqual(ids);
  });

  test("the next preview shows no change, without a request", async () => {
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([]);
  });

  test("a refresh drops what only the dynamic face kept (its provider text, the counters) with one listing and no write", async () => {
    const before = (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE);
    expect(before.every((r) => "__provider" in (r.outputs ?? {}) && "clicks" in (r.outputs ?? {}))).toBe(true);
    await cli.run(project, ["refresh", "--yes", "--skip-preview", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([`GET ${linksPath(ACCOUNT)}`]);
    const after = (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE);
    expect(after.flatMap((r) => Object.keys(r.outputs ?? {})).filter((name) => name === "__provider" || COUNTERS.includes(name))).toEqual([]);
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
  });

  test("destroy then deletes every link", async () => {
    await cli.run(project, ["destroy", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual(Array<string>(3).fill(`DELETE ${linksPath(ACCOUNT)}`));
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });
});

describe("one link, one owner on the plugin face", () => {
  // Its own stack: the project (and so the file backend's stack names) is the first describe's.
  const OWNER_STACK = "owner";
  let project: string;
  let link: string;
  const REDDIT = { label: "Reddit", accountId: OWNER_ACCOUNT };

  beforeAll(async () => {
    project = await projectFrom(PLUGIN_TEMPLATE);
    await cli.initStack(project, OWNER_STACK, { baseUrl: emulator.url, accountId: OWNER_ACCOUNT, apiKey: KEY });
    link = emulator.store.createLink(OWNER_ACCOUNT, { label: "Reddit", description: "" }).id;
  });

  // The program refuses the second resource as it is declared; the first may have been checked by then: a link new to
  // its account costs the command's one accounts listing (accountCheck.ts), and an id new to it one listing of the
  // account (is it there to adopt?). Nothing is written.
  test("two TrackingLinks adopting one link fail preview naming both and the id, before any write", async () => {
    await declare(project, { reddit: { ...REDDIT, trackingLinkId: link }, "reddit-copy": { label: "Reddit copy", trackingLinkId: link } });
    const preview = await cli.run(project, ["preview", "--stack", OWNER_STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(
      `trackingLinkId ${link} is declared by both TrackingLink (pulumi-fansly/plugin) "reddit" and TrackingLink (pulumi-fansly/plugin) "reddit-copy"`,
    );
    expect(callsOf(emulator).filter((call) => call !== "GET /api/fansly/accounts" && call !== `GET ${linksPath(OWNER_ACCOUNT)}`)).toEqual([]);
  });

  test("a second holder made by `pulumi import` is refused at the next preview, naming both URNs; removing it sends no DELETE", async () => {
    await declare(project, { reddit: { ...REDDIT, trackingLinkId: link } });
    await cli.run(project, ["up", "--yes", "--stack", OWNER_STACK]);
    // `pulumi import` runs no program and shows the provider no other resource: it cannot see the first holder.
    await cli.run(project, ["import", PLUGIN_TRACKING_LINK_TYPE, "reddit-copy", link, "--yes", "--protect=false", "--generate-code=false", "--stack", OWNER_STACK]);
    const holders = (await cli.exportStack(project, OWNER_STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE && r.id === link);
    expect(holders.map((r) => r.urn.split("::").at(-1)).sort()).toEqual(["reddit", "reddit-copy"]);
    expect(writesOf(emulator)).toEqual([]);

    await declare(project, { reddit: { ...REDDIT, trackingLinkId: link }, "reddit-copy": REDDIT });
    emulator.clearRequests();
    const preview = await cli.run(project, ["preview", "--stack", OWNER_STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    const urn = (name: string): string => `urn:pulumi:${OWNER_STACK}::fansly-e2e-plugin::${PLUGIN_TRACKING_LINK_TYPE}::${name}`;
    // Both URNs, in the order their Diffs reached the provider (the engine runs them in parallel).
    const [first, second] = [urn("reddit"), urn("reddit-copy")];
    expect(preview.stdout + preview.stderr).toMatch(new RegExp(`trackingLinkId ${link} is declared by both (${first} and ${second}|${second} and ${first})`));
    expect(callsOf(emulator)).toEqual([]);

    await declare(project, { reddit: { ...REDDIT, trackingLinkId: link } });
    await cli.run(project, ["up", "--yes", "--stack", OWNER_STACK]);
    expect(writesOf(emulator)).toEqual([]);
    expect(emulator.store.customLinks(OWNER_ACCOUNT).map((l) => l.id)).toEqual([link]);
    expect((await cli.exportStack(project, OWNER_STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE).map((r) => r.id)).toEqual([link]);
  });

  test("destroy then deletes the link once: none left", async () => {
    await cli.run(project, ["destroy", "--yes", "--stack", OWNER_STACK]);
    expect(writesOf(emulator)).toEqual([`DELETE ${linksPath(OWNER_ACCOUNT)}`]);
    expect(emulator.store.customLinks(OWNER_ACCOUNT)).toEqual([]);
  });
});

describe("one link, one owner in a stack of both faces (two provider processes)", () => {
  const BOTH_STACK = "both-faces";
  let project: string;
  let link: string;
  const BOTH_FACES = [
    'import { readFileSync } from "node:fs";',
    'import * as dynamic from "pulumi-fansly";',
    'import * as plugin from "pulumi-fansly/plugin";',
    'const declared = JSON.parse(readFileSync("links.json", "utf8")) as Record<string, { label: string; face: "dynamic" | "plugin" }>;',
    "for (const [key, { face, label }] of Object.entries(declared)) {",
    '  if (face === "dynamic") new dynamic.TrackingLink(key, { label });',
    "  else new plugin.TrackingLink(key, { label });",
    "}",
    "",
  ].join("\n");

  beforeAll(async () => {
    project = await projectFrom(PLUGIN_TEMPLATE);
    await writeFile(join(project, "index.ts"), BOTH_FACES);
    await cli.initStack(project, BOTH_STACK, { baseUrl: emulator.url, accountId: BOTH_ACCOUNT, apiKey: KEY });
  });

  test("the plugin face imports the link a dynamic TrackingLink made; removing the dynamic one sends no DELETE and the link stays", async () => {
    await writeFile(join(project, "links.json"), JSON.stringify({ made: { label: "Made", face: "dynamic" } }));
    await cli.run(project, ["up", "--yes", "--stack", BOTH_STACK]);
    link = emulator.store.customLinks(BOTH_ACCOUNT).map((l) => l.id).join();
    await cli.run(project, ["import", PLUGIN_TRACKING_LINK_TYPE, "taken", link, "--yes", "--protect=false", "--generate-code=false", "--stack", BOTH_STACK]);
    expect(writesOf(emulator)).toEqual([`POST ${linksPath(BOTH_ACCOUNT)}`]);

    // Both still declared: whichever provider process claims the link second refuses, before any request.
    await writeFile(join(project, "links.json"), JSON.stringify({ made: { label: "Made", face: "dynamic" }, taken: { label: "Made", face: "plugin" } }));
    emulator.clearRequests();
    const preview = await cli.run(project, ["preview", "--stack", BOTH_STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(new RegExp(`trackingLinkId ${link} is declared by both (a TrackingLink of the dynamic face \\(pulumi-fansly\\) and urn:\\S+::taken|urn:\\S+::taken and a TrackingLink of the dynamic face)`));
    expect(callsOf(emulator)).toEqual([]);

    await writeFile(join(project, "links.json"), JSON.stringify({ taken: { label: "Made", face: "plugin" } }));
    emulator.clearRequests();
    await cli.run(project, ["up", "--yes", "--stack", BOTH_STACK]);
    expect(writesOf(emulator)).toEqual([]);
    expect(emulator.store.customLinks(BOTH_ACCOUNT).map((l) => l.id)).toEqual([link]);
    const holders = (await cli.exportStack(project, BOTH_STACK)).resources.filter((r) => r.id === link);
    expect(holders.map((r) => r.type)).toEqual([PLUGIN_TRACKING_LINK_TYPE]);
  });

  test("destroy then deletes the link once: none left", async () => {
    await cli.run(project, ["destroy", "--yes", "--stack", BOTH_STACK]);
    expect(writesOf(emulator)).toEqual([`DELETE ${linksPath(BOTH_ACCOUNT)}`]);
    expect(emulator.store.customLinks(BOTH_ACCOUNT)).toEqual([]);
  });
});

describe("a missing key, a wrong key and a bad link-set file: one line each, naming the fix, on both faces", () => {
  const ERRORS_STACK = "errors";
  const SET_KEY = "run `pulumi config set --secret fansly:apiKey <your apifansly key>`, or set the FANSLY_API_KEY environment variable";
  let project: string;
  // Config `face` picks the resource; none: a link set from links.yaml (a component of the TypeScript face).
  const PROGRAM = [
    'import * as pulumi from "@pulumi/pulumi";',
    'import * as dynamic from "pulumi-fansly";',
    'import * as plugin from "pulumi-fansly/plugin";',
    'const face = new pulumi.Config().get("face");',
    'if (face === "dynamic") new dynamic.TrackingLink("link", { label: "Bio" });',
    'else if (face === "plugin") new plugin.TrackingLink("link", { label: "Bio" });',
    'else new dynamic.TrackingLinkSet("set", { file: "links.yaml" });',
    "",
  ].join("\n");

  /**
   * `pulumi preview` with config `face` (none: the link set), which must fail; its diagnostics must hold `fix` once,
   * with no stack frame, no colour code. Returns what reached the API meanwhile.
   */
  async function refusedPreview(face: "dynamic" | "plugin" | undefined, fix: string): Promise<string[]> {
    await cli.run(project, ["config", ...(face === undefined ? ["rm", "face"] : ["set", "face", face]), "--stack", ERRORS_STACK]);
    emulator.clearRequests();
    const preview = await cli.run(project, ["preview", "--stack", ERRORS_STACK], { allowFailure: true });
    const diagnostics = diagnosticsOf(preview);
    expect({ code: preview.code === 0 ? 0 : "failed", fix: occurrences(diagnostics, fix), frames: diagnostics.includes("    at "), colours: diagnostics.includes("\u001b[") }).toEqual({
      code: "failed",
      fix: 1,
      frames: false,
      colours: false,
    });
    return callsOf(emulator);
  }

  beforeAll(async () => {
    project = await projectFrom(PLUGIN_TEMPLATE);
    await writeFile(join(project, "index.ts"), PROGRAM);
    await cli.run(project, ["stack", "init", ERRORS_STACK]);
    await cli.run(project, ["config", "set", "fansly:baseUrl", emulator.url, "--stack", ERRORS_STACK]);
    await cli.run(project, ["config", "set", "fansly:accountId", ACCOUNT, "--stack", ERRORS_STACK]);
  });

  test.each(["dynamic", "plugin"] as const)("no fansly:apiKey (%s face): one line saying how to set it, before any request", async (face) => {
    expect(await refusedPreview(face, `is not set: ${SET_KEY}`)).toEqual([]);
  });

  test.each(["dynamic", "plugin"] as const)("a wrong fansly:apiKey (%s face): the API's 401 on one line, saying how to set the key", async (face) => {
    await cli.run(project, ["config", "set", "--secret", "fansly:apiKey", "not-the-key-0000", "--stack", ERRORS_STACK]);
    expect(await refusedPreview(face, `401 Unauthorized (GET /api/fansly/accounts) — server said "Invalid or missing API key": the API rejected the key; check the apiKey option (apiKey: ${SET_KEY})`)).toEqual([
      "GET /api/fansly/accounts",
    ]);
  });

  test("a link-set file with a key twice: one line naming the file, the line and the fix, before any request", async () => {
    await writeFile(join(project, "links.yaml"), "links:\n  bio: { label: Bio }\n  bio: { label: Bio again }\n");
    expect(await refusedPreview(undefined, "error: links.yaml:3: duplicated mapping key: fix the syntax there")).toEqual([]);
  });
});

test("the plugin's executable is what the CLI ran: dist/plugin/pulumi-resource-fansly, mode 0755", async () => {
  const { stat } = await import("node:fs/promises");
  const launcher = join(built, "node_modules", "pulumi-fansly", "dist", "plugin", "pulumi-resource-fansly");
  expect((await stat(launcher)).mode & 0o777).toBe(0o755);
  expect((await readFile(launcher, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
});
