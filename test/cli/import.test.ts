/**
 * `pulumi-fansly import`, in-process through the exported subcommand, against the emulator holding 250 seeded links
 * plus Fansly's built-in ones: what it writes, what it asks the API (GET only), and what a re-run keeps.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runImport } from "../../src/cli/importCommand";
import { runCaptured, type CliRun } from "./capturedIo";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { LINK_KEY_PATTERN, parseLinkSetText, type LinkSetData } from "../../src/linkSet/file";

const KEY = "import-canary-key-7d1e0c";
const ACCOUNT = "fansly_import";
const OTHER = "fansly_other";
const SEEDED = 250;

let emulator: RunningEmulator;
let dir: string;

type Run = CliRun;

function run(argv: string[], env: NodeJS.ProcessEnv = { FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: emulator.url }): Promise<Run> {
  return runCaptured(runImport, argv, { env, cwd: dir });
}

function methods(): string[] {
  return [...new Set(emulator.requests().map((r) => r.method))];
}

function idsByKey(data: LinkSetData): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(data.links).map(([key, spec]) => [key, spec.trackingLinkId]));
}

async function readOut(name = "links.yaml"): Promise<{ text: string; data: LinkSetData }> {
  const text = await readFile(join(dir, name), "utf8");
  return { text, data: parseLinkSetText(text, name).data };
}

function customIds(account = ACCOUNT): string[] {
  return emulator.store.customLinks(account).map((link) => link.id);
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT, OTHER] });
  emulator.store.seedLinks(ACCOUNT, SEEDED, "Campaign ");
  for (const label of ["Twitter bio", "Twitter bio", "Twitter Bio!", "🎉", "Campaign 1", "Reddit post #3"]) {
    emulator.store.createLink(ACCOUNT, { label, description: label === "Twitter bio" ? "pinned" : "" });
  }
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-import-"));
  emulator.clearRequests();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a first import", () => {
  test("writes every custom link with its trackingLinkId to stdout, leaves the built-ins out, and only GETs", async () => {
    const { code, stdout, stderr } = await run(["--account", ACCOUNT]);
    expect(code).toBe(0);
    const { data } = parseLinkSetText(stdout, "stdout.yaml");
    expect(data.accountId).toBe(ACCOUNT);
    expect(Object.values(data.links).map((spec) => spec.trackingLinkId).sort()).toEqual(customIds().sort());
    const builtIns = emulator.store.listLinks(ACCOUNT).filter((link) => link.type === 1);
    expect(builtIns.map((link) => link.label)).toEqual(["For You", "Search", "Suggestions"]);
    for (const builtIn of builtIns) expect(stdout).not.toContain(builtIn.id);
    expect(methods()).toEqual(["GET"]);
    expect(stderr).toContain(`page 1 received`);
    expect(stderr).toContain(`${SEEDED + 9} links in ${ACCOUNT} (3 built-in, left out); ${SEEDED + 6} written to stdout`);
    expect(stdout + stderr).not.toContain(KEY);
  });

  test("keys are unique, readable slugs of the labels, suffixed -2, -3 … on collisions", async () => {
    const { stdout } = await run(["--account", ACCOUNT]);
    const { data } = parseLinkSetText(stdout, "stdout.yaml");
    const keys = Object.keys(data.links);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(LINK_KEY_PATTERN);
    expect(keys.slice(0, 3)).toEqual(["campaign-1", "campaign-2", "campaign-3"]);
    expect(keys.slice(-6)).toEqual(["twitter-bio", "twitter-bio-2", "twitter-bio-3", "link", "campaign-1-2", "reddit-post-3"]);
    expect(data.links["twitter-bio"]).toMatchObject({ label: "Twitter bio", description: "pinned" });
    expect(data.links["reddit-post-3"]?.label).toBe("Reddit post #3");
  });

  test("--out with .json writes JSON with the same entries", async () => {
    const { code } = await run(["--account", ACCOUNT, "--out", "links.json"]);
    expect(code).toBe(0);
    const text = await readFile(join(dir, "links.json"), "utf8");
    const json = JSON.parse(text) as LinkSetData;
    expect(Object.keys(json.links)).toHaveLength(SEEDED + 6);
    expect(json.accountId).toBe(ACCOUNT);
  });

  test("a paginated list is followed to the end, with progress for each page", async () => {
    const paged = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT], pageSize: 100 });
    try {
      paged.store.seedLinks(ACCOUNT, SEEDED, "Paged ");
      const result = await run(["--account", ACCOUNT], { FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: paged.url });
      expect(result.code).toBe(0);
      expect(Object.keys(parseLinkSetText(result.stdout, "stdout.yaml").data.links)).toHaveLength(SEEDED);
      expect(result.stderr).toContain("page 3 received");
      expect(paged.requests().map((r) => `${r.method} ${r.query.offset ?? "-"}`)).toEqual(["GET -", "GET 100", "GET 200"]);
    } finally {
      await paged.close();
    }
  });
});

describe("--format pulumi-import (Pulumi's bulk import file, for the plugin face)", () => {
  test("lists every custom link as a fansly:index:TrackingLink named by its link-set key, id `<accountId>/<linkId>`, with GETs only", async () => {
    const { code, stderr } = await run(["--account", ACCOUNT, "--format", "pulumi-import", "--out", "import.json"]);
    expect(code).toBe(0);
    const file = JSON.parse(await readFile(join(dir, "import.json"), "utf8")) as { resources: { type: string; name: string; id: string }[] };
    expect(file.resources.map((r) => r.id).sort()).toEqual(customIds().map((id) => `${ACCOUNT}/${id}`).sort());
    expect(new Set(file.resources.map((r) => r.type))).toEqual(new Set(["fansly:index:TrackingLink"]));
    const names = file.resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => LINK_KEY_PATTERN.test(name))).toBe(true);
    expect(Object.keys(file.resources[0] ?? {})).toEqual(["type", "name", "id"]);
    expect(methods()).toEqual(["GET"]);
    expect(stderr).toContain("pulumi import --file import.json");
  });

  test("--prune with it is a usage error (that file is written afresh)", async () => {
    const { code, stderr } = await run(["--account", ACCOUNT, "--format", "pulumi-import", "--out", "import.json", "--prune"]);
    expect(code).toBe(2);
    expect(stderr).toContain("leave out --prune");
    expect(emulator.requests()).toEqual([]);
  });
});

describe("running it again on the same account and file", () => {
  test("keeps every key and a person's edits and comments, adds a new link, reports and marks a deleted one", async () => {
    expect((await run(["--account", ACCOUNT, "--out", "links.yaml"])).code).toBe(0);
    const first = await readOut();
    const edited = first.text
      .replace("  campaign-7:\n    label: Campaign 7\n", "  # the spring promo, renamed by hand\n  campaign-7:\n    label: Spring promo\n    description: edited by a person\n")
      .concat("# a note at the end\n");
    expect(edited).not.toBe(first.text);
    await writeFile(join(dir, "links.yaml"), edited);
    const created = emulator.store.createLink(ACCOUNT, { label: "New launch", description: "" });
    const goneId = first.data.links["campaign-9"]?.trackingLinkId ?? "";
    emulator.store.deleteLink(ACCOUNT, goneId);
    emulator.clearRequests();

    const again = await run(["--account", ACCOUNT, "--out", "links.yaml"]);
    expect(again.code).toBe(0);
    expect(methods()).toEqual(["GET"]);
    const second = await readOut();

    // Every key still names the same link; the new link is added under a new key.
    const { "new-launch": added, ...kept } = idsByKey(second.data);
    expect(kept).toEqual(idsByKey(first.data));
    expect(added).toBe(created.id);
    // The person's edit and comments survive, word for word.
    expect(second.data.links["campaign-7"]).toEqual({ label: "Spring promo", description: "edited by a person", trackingLinkId: first.data.links["campaign-7"]?.trackingLinkId });
    expect(second.text).toContain("  # the spring promo, renamed by hand\n  campaign-7:\n");
    expect(second.text).toContain("# a note at the end\n");
    // Only lines were added: the edited text is the new text minus the marker and the new entry.
    const addedLines = second.text.split("\n").filter((line) => !edited.split("\n").includes(line));
    expect(addedLines).toEqual([
      `  # pulumi-fansly import: link ${goneId} is gone from ${ACCOUNT}: delete this entry, or remove its trackingLinkId to create the link again`,
      "  new-launch:",
      "    label: New launch",
      `    trackingLinkId: "${created.id}"`,
    ]);
    // The gone entry is kept (a person decides), and reported on stderr.
    expect(second.data.links["campaign-9"]?.trackingLinkId).toBe(goneId);
    expect(again.stderr).toContain(`1 entry of links.yaml is gone from ${ACCOUNT} (kept, marked with a comment: delete each entry, or rerun with --prune):\n  campaign-9 (trackingLinkId ${goneId})\n`);
    expect(again.stderr).toContain("1 entry differs from the account; the file wins at the next `pulumi up`");
    expect(again.stderr).toContain("  campaign-7 (label, description)\n");
    expect(again.stderr).toContain(`links.yaml now has ${SEEDED + 7} entries: ${SEEDED + 5} kept as they were, 1 added`);

    // A third run changes nothing: the marker is not added twice.
    const third = await run(["--account", ACCOUNT, "--out", "links.yaml"]);
    expect(third.code).toBe(0);
    expect((await readOut()).text).toBe(second.text);

    // --prune removes the gone entry and its marker, and nothing else.
    const pruned = await run(["--account", ACCOUNT, "--out", "links.yaml", "--prune"]);
    expect(pruned.stderr).toContain("(removed from the file)");
    const after = await readOut();
    expect(Object.keys(after.data.links)).toEqual(Object.keys(second.data.links).filter((key) => key !== "campaign-9"));
    expect(after.text).not.toContain("pulumi-fansly import: link");
    expect(after.text).toContain("# the spring promo, renamed by hand");
  });

  test("an entry without a trackingLinkId that matches an account link by label is not added a second time", async () => {
    await writeFile(join(dir, "links.yaml"), `accountId: ${OTHER}\nlinks:\n  bio:\n    label: Bio\n`);
    emulator.store.createLink(OTHER, { label: "Bio", description: "" });
    emulator.store.createLink(OTHER, { label: "Other", description: "" });
    const result = await run(["--account", OTHER, "--out", "links.yaml"]);
    expect(result.code).toBe(0);
    const { data } = await readOut();
    expect(Object.keys(data.links)).toEqual(["bio", "other"]);
    expect(data.links.bio).toEqual({ label: "Bio" });
    expect(result.stderr).toContain("1 entry without a trackingLinkId matched an account link by label and was left as it is");
  });

  test("a JSON file, or YAML in flow style, is rewritten whole: same keys and edits, new links added, with a note for the YAML", async () => {
    const [firstId, secondId] = customIds();
    await writeFile(join(dir, "links.json"), JSON.stringify({ accountId: ACCOUNT, links: { mine: { label: "Renamed by me", trackingLinkId: firstId } } }));
    const json = await run(["--account", ACCOUNT, "--out", "links.json"]);
    expect(json.code).toBe(0);
    const jsonData = (JSON.parse(await readFile(join(dir, "links.json"), "utf8")) as LinkSetData).links;
    expect(Object.keys(jsonData)).toHaveLength(SEEDED + 6);
    expect(jsonData.mine).toEqual({ label: "Renamed by me", trackingLinkId: firstId });

    await writeFile(join(dir, "links.yaml"), `accountId: ${ACCOUNT}\nlinks: { mine: { label: Mine, trackingLinkId: "${secondId ?? ""}" } }\n`);
    const flow = await run(["--account", ACCOUNT, "--out", "links.yaml"]);
    expect(flow.stderr).toContain("links.yaml's layout could not be edited line by line, so it was rewritten (its comments are lost)");
    const { data } = await readOut();
    expect(data.links.mine).toEqual({ label: "Mine", trackingLinkId: secondId });
    expect(Object.keys(data.links)).toHaveLength(SEEDED + 6);
  });

  test("the file of another account is refused before any request", async () => {
    await writeFile(join(dir, "links.yaml"), `accountId: ${OTHER}\nlinks: {}\n`);
    const result = await run(["--account", ACCOUNT, "--out", "links.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`links.yaml: is the file of account ${OTHER} (its accountId:): pass --account ${OTHER}, or --out another file`);
    expect(emulator.requests()).toEqual([]);
  });

  test("a broken existing file is refused with its line, before any request, and left as it was", async () => {
    const broken = "links:\n  bio:\n    label: Bio\n    colour: red\n";
    await writeFile(join(dir, "links.yaml"), broken);
    const result = await run(["--account", ACCOUNT, "--out", "links.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('links.yaml:4: link "bio": "colour" is not a link field');
    expect(result.stderr).toContain("fix the problems above, or --out another file");
    expect(emulator.requests()).toEqual([]);
    expect(await readFile(join(dir, "links.yaml"), "utf8")).toBe(broken);
  });
});

describe("links the link-set file cannot declare as they are", () => {
  const HOSTILE = "fansly_hostile";
  const BAD_LABELS = ["line\nbreak", "red \u001b[31m alert", "\u202Eevil.exe", "", "   ", "x".repeat(300)];

  beforeAll(() => {
    if (!emulator.store.hasAccount(HOSTILE)) emulator.store.addAccount(HOSTILE);
    for (const label of BAD_LABELS) emulator.store.createLink(HOSTILE, { label, description: "" });
    emulator.store.createLink(HOSTILE, { label: "Long description", description: "d".repeat(600) });
    emulator.store.createLink(HOSTILE, { label: "Fine link", description: "a \u001b[2J description \u202E kept exact" });
  });

  test.each(["links.yaml", "links.json"])("are listed with why, left out of %s (which parses), and the exit status is 1", async (name) => {
    const { code, stderr } = await run(["--account", HOSTILE, "--out", name]);

    expect(code).toBe(1);
    const { text, data } = await readOut(name);
    expect(Object.values(data.links).map((spec) => spec.label)).toEqual(["Fine link"]);
    // The one declarable link keeps its description exact, written with the format's own escapes.
    expect(Object.values(data.links)[0]?.description).toBe("a \u001b[2J description \u202E kept exact");
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u202E");
    expect(stderr).toContain(`7 links of ${HOSTILE} cannot be declared in a link-set file as they are and were left out of ${name}`);
    const bad = emulator.store.customLinks(HOSTILE).filter((link) => link.label !== "Fine link");
    for (const link of bad) expect(stderr).toContain(`link ${link.id}: `);
    expect(stderr).toContain("label holds U+000A (line feed (a new line))");
    expect(stderr).toContain("label holds U+001B (escape)");
    expect(stderr).toContain("label holds U+202E (right-to-left override)");
    expect(stderr).toContain("label must not be empty or only spaces");
    expect(stderr).toContain("label must be at most 100 characters");
    expect(stderr).toContain("description must be at most 500 characters");
  });

  test("--format pulumi-import leaves them out too, and exits 1", async () => {
    const { code, stderr } = await run(["--account", HOSTILE, "--format", "pulumi-import", "--out", "import.json"]);
    expect(code).toBe(1);
    const file = JSON.parse(await readFile(join(dir, "import.json"), "utf8")) as { resources: { name: string }[] };
    expect(file.resources.map((resource) => resource.name)).toEqual(["fine-link"]);
    expect(stderr).toContain("7 links of fansly_hostile cannot be declared");
  });
});

describe("usage and failures", () => {
  test("--help prints the options and exits 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("usage: pulumi-fansly import --account <id> [--out <file>]");
    expect(result.stdout).toContain("FANSLY_API_KEY");
  });

  test.each([
    [[], "--account is required"],
    [["--account", "not an id"], "--account must be apifansly's account id"],
    [["--account", ACCOUNT, "--colour"], "Unknown option '--colour'"],
    [["--account", ACCOUNT, "--format", "toml"], "--format must be yaml, json or pulumi-import"],
    [["--account", ACCOUNT, "--prune"], "--prune updates an existing file: pass --out <file> too"],
  ])("%j is a usage error (exit 2): %s", async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("usage: pulumi-fansly import");
    expect(emulator.requests()).toEqual([]);
  });

  test("a key given as a flag is refused (exit 2), never echoed, and FANSLY_API_KEY is named", async () => {
    const result = await run(["--account", ACCOUNT, "--api-key", "flag-canary-key-0099"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--api-key is not accepted");
    expect(result.stderr).toContain("set FANSLY_API_KEY instead");
    expect(result.stderr).not.toContain("flag-canary-key-0099");
  });

  test("no FANSLY_API_KEY is a usage error that says how to set it", async () => {
    const result = await run(["--account", ACCOUNT], { FANSLY_API_BASE_URL: emulator.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("FANSLY_API_KEY is not set: export FANSLY_API_KEY=<your apifansly key>");
  });

  test("a plain-http base URL to a remote host is refused before any request (exit 2)", async () => {
    const result = await run(["--account", ACCOUNT, "--base-url", "http://example.com"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("baseUrl uses plain http:// to a non-loopback host");
    // Where to fix it on this command line, and only that: the key is fine, so FANSLY_API_KEY is not named.
    expect(result.stderr).toContain("(here: --base-url or FANSLY_API_BASE_URL)");
    expect(result.stderr).not.toContain("FANSLY_API_KEY");
  });

  test("a wrong key fails (exit 1) naming FANSLY_API_KEY, without the key, and writes no file", async () => {
    const result = await run(["--account", ACCOUNT, "--out", "links.yaml"], { FANSLY_API_KEY: "wrong-canary-key-4242", FANSLY_API_BASE_URL: emulator.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("401");
    expect(result.stderr).toContain("check the apiKey option (here: FANSLY_API_KEY)");
    // Advice for this command line only: the stack config of a Pulumi program is not where this key comes from.
    expect(result.stderr).not.toContain("pulumi config");
    expect(result.stderr).not.toContain("wrong-canary-key-4242");
    await expect(readFile(join(dir, "links.yaml"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  test("an --out folder that does not exist fails (exit 1) naming the fix, and claims nothing was written", async () => {
    const result = await run(["--account", ACCOUNT, "--out", join("no-such-folder", "links.yaml")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("check that --out's folder exists and is writable");
    expect(result.stderr).not.toContain("written to");
  });

  test("an unknown account fails (exit 1) and says to check --account", async () => {
    const result = await run(["--account", "fansly_nobody"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("check --account fansly_nobody");
    // A listing names no link: the advice must not send the user looking for a tracking link id.
    expect(result.stderr).not.toContain("tracking link id");
  });

  test("a misspelt flag is a usage error that names the flag it most likely meant", async () => {
    const result = await run(["--acount", ACCOUNT]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--acount'; did you mean --account?");
    expect(emulator.requests()).toEqual([]);
  });
});
