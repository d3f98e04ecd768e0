/**
 * End to end through the real Pulumi CLI: the example stacks (examples/from-file, examples/import-existing,
 * examples/multi-account) copied as they are into scratch folders with the compiled package installed, against the
 * emulator, asserting on what reached the API (the emulator's request log).
 *
 * - A TrackingLinkSet over links.yaml makes exactly the requests each edit calls for: add → one POST, a label
 *   renamed → one PUT, an entry removed → one DELETE, entries reordered → no request at all.
 * - `pulumi-fansly import` (the package's bin) writes links.yaml from an account with 250 links and the built-in
 *   ones; the next `pulumi up` adopts them all with GETs only, and `pulumi preview --expect-no-changes` passes.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { parseLinkSetText } from "../../src/linkSet/file";
import { buildStack } from "../host/stack";
import { PulumiCli, pulumiBinFor, type ExportedResource } from "./pulumiCli";
import { DYNAMIC_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { callsOf, writesOf } from "./requestLog";
import { exampleProject } from "./exampleProject";

const KEY = "e2e-linkset-canary-key-9f3a61";
const SET_ACCOUNT = "fansly_set";
const IMPORT_ACCOUNT = "fansly_agency";
const MULTI_ACCOUNTS = ["fansly_demo", "fansly_second"]; // examples/multi-account's default `accounts`
const SEEDED = 250;
const STACK = "dev";
const REPO_NODE_MODULES = join(__dirname, "..", "..", "node_modules");
const SDK_NODE_MODULES = process.env.PULUMI_FANSLY_E2E_SDK_NODE_MODULES ?? REPO_NODE_MODULES;

let emulator: RunningEmulator;
let cli: PulumiCli;
let scratch: string;
let built: string;
const projects: string[] = [];
const timings: string[] = [];

function linksPath(account: string): string {
  return `/api/fansly/${account}/tracking-links`;
}

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** A copy of the built scratch stack (the package in node_modules) holding one example's own files. */
async function projectFrom(example: string, files: string[]): Promise<string> {
  const dir = await exampleProject(built, example, files);
  projects.push(dir);
  return dir;
}

async function initStack(project: string, accountId: string | undefined): Promise<void> {
  await cli.initStack(project, STACK, { baseUrl: emulator.url, apiKey: KEY, ...(accountId === undefined ? {} : { accountId }) });
}

async function trackingLinksInState(project: string): Promise<ExportedResource[]> {
  return (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE);
}

beforeAll(async () => {
  const bin = await pulumiBinFor(SDK_NODE_MODULES);
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [SET_ACCOUNT, IMPORT_ACCOUNT, ...MULTI_ACCOUNTS] });
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-e2e-linkset-"));
  built = await buildStack({ sdkNodeModules: SDK_NODE_MODULES, forPrograms: true });
  cli = new PulumiCli(bin, scratch);
  await cli.prepare();
}, 20 * 60_000);

afterAll(async () => {
  await emulator.close();
  for (const dir of [scratch, built, ...projects]) await rm(dir, { recursive: true, force: true });
  console.log(`linkSet e2e timings (${SEEDED} links):\n  ${timings.join("\n  ")}`);
});

beforeEach(() => {
  emulator.clearRequests();
});

describe("a TrackingLinkSet over links.yaml (examples/from-file) through the real CLI", () => {
  const LINKS = linksPath(SET_ACCOUNT);
  let project: string;

  async function declare(lines: string[]): Promise<void> {
    await writeFile(join(project, "links.yaml"), `links:\n${lines.join("\n")}\n`);
  }

  const BIO = ["  twitter-bio:", "    label: Twitter bio", "    description: pinned profile link"];
  const REDDIT = ["  reddit-post-3:", '    label: "Reddit post #3"'];
  const STORY = ["  instagram-story:", "    label: Instagram story"];
  const PROMO = ["  spring-promo:", "    label: Spring promo"];

  beforeAll(async () => {
    project = await projectFrom("from-file", ["links.yaml"]);
    await initStack(project, SET_ACCOUNT);
  });

  test("1. up with the example's links.yaml creates its three links under the set", async () => {
    const up = await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(up.stdout).toContain("fansly:index:TrackingLinkSet");
    expect(writesOf(emulator)).toEqual([`POST ${LINKS}`, `POST ${LINKS}`, `POST ${LINKS}`]);
    expect(emulator.store.customLinks(SET_ACCOUNT).map((l) => l.label).sort()).toEqual(["Instagram story", "Reddit post #3", "Twitter bio"]);
    const urns = (await trackingLinksInState(project)).map((r) => r.urn.split("::").at(-1)).sort();
    expect(urns).toEqual(["links-instagram-story", "links-reddit-post-3", "links-twitter-bio"]);
  });

  test("2. a new entry: exactly one POST", async () => {
    await declare([...BIO, ...REDDIT, ...STORY, ...PROMO]);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`POST ${LINKS}`]);
    expect(emulator.requests().find((r) => r.method === "POST")?.body).toEqual({ label: "Spring promo", description: "" });
  });

  test("3. a label renamed: preview shows one update in place; up sends exactly one PUT", async () => {
    await declare([...BIO, "  reddit-post-3:", '    label: "Reddit post #4"', ...STORY, ...PROMO]);
    const preview = await cli.run(project, ["preview", "--diff", "--stack", STACK]);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`PUT ${LINKS}`]);
    expect(emulator.requests().find((r) => r.method === "PUT")?.body).toMatchObject({ label: "Reddit post #4" });
  });

  test("4. entries reordered (and restyled): preview --expect-no-changes passes; up sends no request at all", async () => {
    await writeFile(
      join(project, "links.yaml"),
      [
        "# reordered by hand",
        "links:",
        "  spring-promo: { label: Spring promo }",
        "  instagram-story:",
        "    label: Instagram story",
        '  reddit-post-3: { label: "Reddit post #4" }',
        ...BIO,
        "",
      ].join("\n"),
    );
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([]);
  });

  test("5. an entry removed: exactly one DELETE, of that link", async () => {
    const promo = emulator.store.customLinks(SET_ACCOUNT).find((l) => l.label === "Spring promo");
    await declare([...STORY, "  reddit-post-3:", '    label: "Reddit post #4"', ...BIO]);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`DELETE ${LINKS}`]);
    expect(emulator.requests().find((r) => r.method === "DELETE")?.body).toEqual({ trackingLinkId: promo?.id });
  });

  test("6. a bad entry fails preview with the file, line, key and field, before any request", async () => {
    await declare([...BIO, "    colour: red"]);
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain('links.yaml:5: link "twitter-bio": "colour" is not a link field');
    expect(callsOf(emulator)).toEqual([]);
  });

  test("7. an entry copied with the same trackingLinkId under another key fails preview naming both keys and lines, before any request", async () => {
    const handMade = emulator.store.createLink(SET_ACCOUNT, { label: "Made by hand", description: "" });
    const adopting = (key: string): string[] => [`  ${key}:`, "    label: Made by hand", `    trackingLinkId: "${handMade.id}"`];
    await declare([...STORY, "  reddit-post-3:", '    label: "Reddit post #4"', ...BIO, ...adopting("hand-made"), ...adopting("hand-made-copy")]);
    emulator.clearRequests();
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(
      `links.yaml:14: trackingLinkId ${handMade.id} is declared by both link "hand-made" (line 11) and link "hand-made-copy" (line 14)`,
    );
    expect(callsOf(emulator)).toEqual([]);
    // Each declared link exactly once, and the hand-made one untouched.
    expect(emulator.store.customLinks(SET_ACCOUNT).map((l) => l.label).sort()).toEqual(["Instagram story", "Made by hand", "Reddit post #4", "Twitter bio"]);
  });
});

describe(`importing an account of ${SEEDED} links (examples/import-existing) through the real CLI`, () => {
  let project: string;

  beforeAll(async () => {
    emulator.store.seedLinks(IMPORT_ACCOUNT, SEEDED, "Campaign ");
    project = await projectFrom("import-existing", []);
    // No fansly:accountId: the account comes from the file the import writes.
    await initStack(project, undefined);
  });

  test("npx pulumi-fansly import (the package's bin) writes links.yaml with GET requests only, built-ins left out", async () => {
    const main = join(project, "node_modules", "pulumi-fansly", "dist", "cli", "main.js");
    const env = { PATH: process.env.PATH, FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: emulator.url };
    const { stderr } = await timed("pulumi-fansly import", () =>
      promisify(execFile)(process.execPath, [main, "import", "--account", IMPORT_ACCOUNT, "--out", "links.yaml"], { cwd: project, env }),
    );
    expect(stderr).toContain(`${SEEDED + 3} links in ${IMPORT_ACCOUNT} (3 built-in, left out); ${SEEDED} written to links.yaml`);
    expect(stderr).not.toContain(KEY);
    const { data } = parseLinkSetText(await readFile(join(project, "links.yaml"), "utf8"), "links.yaml");
    expect(data.accountId).toBe(IMPORT_ACCOUNT);
    expect(Object.values(data.links).map((spec) => spec.trackingLinkId).sort()).toEqual(emulator.store.customLinks(IMPORT_ACCOUNT).map((l) => l.id).sort());
    expect([...new Set(emulator.requests().map((r) => r.method))]).toEqual(["GET"]);
  });

  test(`pulumi up adopts all ${SEEDED} links: no POST, PUT or DELETE`, async () => {
    await timed(`pulumi up (adopting ${SEEDED})`, () => cli.run(project, ["up", "--yes", "--stack", STACK]));
    timings.push(`requests during that up: ${callsOf(emulator).length} (${writesOf(emulator).length} not GET)`);
    expect(writesOf(emulator)).toEqual([]);
    expect(callsOf(emulator).length).toBeGreaterThan(0);
    const inState = await trackingLinksInState(project);
    expect(inState).toHaveLength(SEEDED);
    expect(inState.every((r) => r.outputs?.adopted === true && r.outputs.accountId === IMPORT_ACCOUNT)).toBe(true);
    expect(emulator.store.customLinks(IMPORT_ACCOUNT)).toHaveLength(SEEDED);
  });

  test("pulumi preview --expect-no-changes then passes, without a request", async () => {
    await timed(`pulumi preview --expect-no-changes (${SEEDED})`, () => cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]));
    expect(callsOf(emulator)).toEqual([]);
  });

  test("the state and every command's output are free of the API key", async () => {
    const { stdout } = await cli.run(project, ["stack", "export", "--stack", STACK]);
    expect(stdout).not.toContain(KEY);
    for (const run of cli.runs) expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});

describe("examples/multi-account through the real CLI", () => {
  let project: string;

  beforeAll(async () => {
    project = await projectFrom("multi-account", []);
    await initStack(project, undefined);
  });

  test("up puts the three standard links in each account of the default `accounts` list; preview then shows no change", async () => {
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator).sort()).toEqual(MULTI_ACCOUNTS.flatMap((account) => Array<string>(3).fill(`POST ${linksPath(account)}`)).sort());
    for (const account of MULTI_ACCOUNTS) {
      expect(emulator.store.customLinks(account).map((l) => l.label).sort()).toEqual(["Instagram story", "Reddit profile", "Twitter bio"]);
    }
    emulator.clearRequests();
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    expect(callsOf(emulator)).toEqual([]);
  });
});
