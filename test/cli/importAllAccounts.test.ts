/**
 * `pulumi-fansly import --all-accounts`: a stack per account of the key in one project (src/cli/fleetLayout.ts),
 * in-process against the emulator; and the stack names it derives from account names, which are untrusted text.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runImport } from "../../src/cli/importCommand";
import { slugOf, stackNamesFor } from "../../src/cli/fleetLayout";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { parseLinkSetText } from "../../src/linkSet/file";
import { runCaptured, type CliRun } from "./capturedIo";

const KEY = "import-all-canary-key-41b9";
const ACCOUNTS = ["fansly_alpha", "fansly_beta"];

let emulator: RunningEmulator;
let dir: string;

function run(argv: string[]): Promise<CliRun> {
  return runCaptured(runImport, ["--all-accounts", ...argv], { env: { FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: emulator.url }, cwd: dir });
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: ACCOUNTS });
  emulator.store.seedLinks("fansly_alpha", 3, "Alpha ");
  emulator.store.seedLinks("fansly_beta", 2, "Beta ");
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-import-all-"));
  await writeFile(join(dir, "Pulumi.yaml"), "name: agency\nruntime: nodejs\n");
  emulator.clearRequests();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("import --all-accounts", () => {
  test("writes, for every account, Pulumi.<stack>.yaml with its fansly:accountId and links/<stack>.yaml with its links", async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(0);
    expect(await readFile(join(dir, "Pulumi.fansly-alpha.yaml"), "utf8")).toMatch(/^config:\n {2}fansly:accountId: fansly_alpha$/m);
    expect(await readFile(join(dir, "Pulumi.fansly-beta.yaml"), "utf8")).toMatch(/^ {2}fansly:accountId: fansly_beta$/m);
    const beta = parseLinkSetText(await readFile(join(dir, "links", "fansly-beta.yaml"), "utf8"), "beta").data;
    expect(beta.accountId).toBe("fansly_beta");
    expect(Object.values(beta.links).map((link) => link.trackingLinkId).sort()).toEqual(emulator.store.customLinks("fansly_beta").map((l) => l.id).sort());
    expect([...new Set(emulator.requests().map((r) => r.method))]).toEqual(["GET"]);
    expect(stderr).toContain("2 accounts, a stack each");
    expect(stderr).not.toContain(KEY);
  });

  test("run again, it keeps a stack file a person edited and the edits in the links file", async () => {
    await run([]);
    const stackFile = join(dir, "Pulumi.fansly-alpha.yaml");
    await writeFile(stackFile, "config:\n  fansly:accountId: fansly_alpha\n  fansly:maxRequestsPerMinute: \"300\"\n");
    const linksFile = join(dir, "links", "fansly-alpha.yaml");
    await writeFile(linksFile, (await readFile(linksFile, "utf8")).replace("label: Alpha 1", "label: Alpha one # renamed here"));
    expect((await run([])).code).toBe(0);
    expect(await readFile(stackFile, "utf8")).toContain("fansly:maxRequestsPerMinute");
    expect(await readFile(linksFile, "utf8")).toContain("label: Alpha one # renamed here");
  });

  test("a stack file that names another account is not overwritten, and nothing else is written", async () => {
    await writeFile(join(dir, "Pulumi.fansly_alpha.yaml"), "config:\n  fansly:accountId: fansly_zeta\n");
    await writeFile(join(dir, "Pulumi.fansly-alpha.yaml"), "config:\n  fansly:baseUrl: http://127.0.0.1:1\n");
    const { code, stderr } = await run([]);
    expect(code).toBe(1);
    expect(stderr).toContain("Pulumi.fansly_alpha.yaml exists and does not name account fansly_alpha");
    expect(await readFile(join(dir, "Pulumi.fansly-alpha.yaml"), "utf8")).toBe("config:\n  fansly:baseUrl: http://127.0.0.1:1\n");
    expect((await readdir(dir)).sort()).toEqual(["Pulumi.fansly-alpha.yaml", "Pulumi.fansly_alpha.yaml", "Pulumi.yaml"]);
  });

  test("a folder without Pulumi.yaml is refused before any request, naming the example to start from", async () => {
    await rm(join(dir, "Pulumi.yaml"));
    await mkdir(join(dir, "links"));
    const { code, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stderr).toContain("examples/agency-fleet");
    expect(emulator.requests()).toEqual([]);
  });

  test("--account, --out and --format do not go with it", async () => {
    const { code, stderr } = await run(["--out", "links.yaml"]);
    expect(code).toBe(2);
    expect(stderr).toContain("leave out --out");
  });
});

describe("stack names from account names (untrusted text)", () => {
  test.each([
    ["Zoë's   Page!!", "zoe-s-page"],
    ["../../etc/passwd", "etc-passwd"],
    ["line\nbreak; rm -rf /", "line-break-rm-rf"],
    ["Ünïcödé ✨ Studio", "unicode-studio"],
  ])("%p becomes %p", (name, stack) => {
    expect(slugOf(name)).toBe(stack);
  });

  test("a name with nothing usable, or one already taken, gives the account id; a kept stack stays", () => {
    const names = stackNamesFor(
      [
        { accountId: "fansly_1", name: "✨✨" },
        { accountId: "fansly_2", name: "Studio" },
        { accountId: "fansly_3", name: "studio" },
        { accountId: "fansly_4", name: "Renamed since" },
      ],
      new Map([["fansly_4", "old-name"]]),
    );
    expect(Object.fromEntries(names)).toEqual({ fansly_1: "fansly_1", fansly_2: "studio", fansly_3: "fansly_3", fansly_4: "old-name" });
  });
});
