/**
 * End to end through the real Pulumi CLI and Pulumi YAML's language host (built from the Go module proxy by
 * build-pulumi.sh --with-yaml): examples/yaml as written — a YAML program on the provider plugin the package ships
 * (`./node_modules/pulumi-fansly/dist/plugin`), links in two accounts, the second through an explicit provider
 * with a second key — against one emulator that accepts both keys, asserting on what reached the API.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import { diagnosticsOf, occurrences, type ExportedResource, type PulumiCli } from "./pulumiCli";
import { PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { callsOf, labelsIn, writesOf } from "./requestLog";
import { REPO, useE2eWorld } from "./world";
import { costLinesIn, SENT_PREFIX } from "../../src/provider/costs";

const KEY = "e2e-yaml-stack-key-51c2d8";
const AGENCY_KEY = "e2e-yaml-agency-key-7e04b9";
const ACCOUNT = "fansly_demo"; // examples/yaml's fansly:accountId
const AGENCY_ACCOUNT = "fansly_second"; // its agencyAccountId default
const STACK = "dev";
const EXAMPLE = join(REPO, "examples", "yaml");

let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;

const linksOf = (account: string): string => `/api/fansly/${account}/tracking-links`;

/** Each write since the log was cleared, with the key (by place: 0 the stack's, 1 the agency's) it carried. */
function writesWithKeys(): string[] {
  return emulator
    .requests()
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path} key#${String(r.apiKeyIndex)}`);
}

async function editProgram(edit: (text: string) => string): Promise<void> {
  const file = join(project, "Pulumi.yaml");
  const before = await readFile(file, "utf8");
  const after = edit(before);
  if (after === before) throw new Error("the edit changed nothing in Pulumi.yaml");
  await writeFile(file, after);
}

async function linksInState(): Promise<ExportedResource[]> {
  return (await cli.exportStack(project, STACK)).resources.filter((r) => r.type === PLUGIN_TRACKING_LINK_TYPE);
}

const world = useE2eWorld({
  name: "yaml",
  withYaml: true,
  emulator: { apiKeys: [KEY, AGENCY_KEY], accounts: [ACCOUNT, AGENCY_ACCOUNT] },
  betweenTests: "clear requests",
  setup: async () => {
    ({ emulator, cli } = world);
    // The package as npm installs it (node_modules/pulumi-fansly, plugin included), and the example's own file.
    project = await world.project();
    await cp(join(EXAMPLE, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
    await cli.initStack(project, STACK, { baseUrl: emulator.url, apiKey: KEY });
    await cli.run(project, ["config", "set", "--secret", "agencyApiKey", AGENCY_KEY, "--stack", STACK]);
  },
});

describe("examples/yaml through the real CLI and the plugin", () => {
  test("1. up creates two links in the stack's account with its key and one in the agency's account with the second key", async () => {
    const up = await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesWithKeys().sort()).toEqual([`POST ${linksOf(ACCOUNT)} key#0`, `POST ${linksOf(ACCOUNT)} key#0`, `POST ${linksOf(AGENCY_ACCOUNT)} key#1`]);
    // The example runs clean: no warning from the YAML host about the program itself.
    expect(`${up.stdout}${up.stderr}`).not.toMatch(/warning/i);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #3", "Twitter bio"]);
    expect(labelsIn(emulator, AGENCY_ACCOUNT)).toEqual(["Twitter bio"]);
    const state = await linksInState();
    expect(state.map((r) => r.urn.split("::").at(-1)).sort()).toEqual(["agency-twitter-bio", "reddit-post-3", "twitter-bio"]);
    expect(state.find((r) => r.urn.endsWith("::agency-twitter-bio"))?.outputs).toMatchObject({ accountId: AGENCY_ACCOUNT, label: "Twitter bio" });
  });

  test("2. the next preview has nothing to do and writes nothing (the clicks output reads one listing)", async () => {
    const preview = await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK], { allowFailure: true });
    expect({ code: preview.code, writes: writesOf(emulator) }).toEqual({ code: 0, writes: [] });
  });

  test("2b. a typo'd fansly:accountId fails preview naming the key's accounts: one accounts listing, no request for the stack's links", async () => {
    await cli.run(project, ["config", "set", "fansly:accountId", "fansly_dmeo", "--stack", STACK]);
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    // Back to the example's own value (Pulumi.yaml's project config).
    await cli.run(project, ["config", "rm", "fansly:accountId", "--stack", STACK]);
    expect(preview.code).not.toBe(0);
    expect(`${preview.stdout}${preview.stderr}`).toContain(
      "fansly_dmeo, the provider's default account, is not an account of this apifansly key, which has fansly_demo, fansly_second; did you mean fansly_demo?",
    );
    // The stack key's requests; the agency's provider may read its own link for the clicks output meanwhile.
    const stackKeyCalls = emulator.requests().filter((r) => r.apiKeyIndex === 0).map((r) => `${r.method} ${r.path}`);
    expect(stackKeyCalls).toEqual(["GET /api/fansly/accounts"]);
    expect(writesOf(emulator)).toEqual([]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #3", "Twitter bio"]);
  });

  test("3. a label renamed in each account is one PUT, each with its account's key; the clicks output is read live", async () => {
    const [agencyLink] = emulator.store.customLinks(AGENCY_ACCOUNT);
    if (agencyLink === undefined) throw new Error("test 1 made no agency link");
    emulator.store.setCounters([{ accountId: AGENCY_ACCOUNT, linkId: agencyLink.id, counters: { clicks: 57 } }]);
    await editProgram((text) => text.replace('label: "Reddit post #3"', 'label: "Reddit post #4"').replace(/(agency-twitter-bio:\n(?:.*\n)*?\s+label:) Twitter bio/, "$1 Twitter bio (agency)"));
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesWithKeys().sort()).toEqual([`PUT ${linksOf(ACCOUNT)} key#0`, `PUT ${linksOf(AGENCY_ACCOUNT)} key#1`]);
    // fn::invoke through the agency's provider: its listing carries the agency's key.
    expect((await cli.run(project, ["stack", "output", "agencyTwitterBioClicks", "--stack", STACK])).stdout.trim()).toBe("57");
    expect([...new Set(emulator.requests().filter((r) => r.method === "GET").map((r) => r.apiKeyIndex))]).toEqual([1]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #4", "Twitter bio"]);
    expect(labelsIn(emulator, AGENCY_ACCOUNT)).toEqual(["Twitter bio (agency)"]);
  });

  test("4. a link removed from the program is one DELETE, which the preview's estimate already counts (from state)", async () => {
    await editProgram((text) => text.replace(/ {2}reddit-post-3:\n(?: {4}.*\n)+/, ""));
    const up = await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesWithKeys()).toEqual([`DELETE ${linksOf(ACCOUNT)} key#0`]);
    // One line per provider process: the default provider's, with the DELETE; the agency's, with nothing to send.
    expect(costLinesIn(up.stdout)).toContain("fansly estimate: 1 request = 1 credit, no wait at 600/min (1 DELETE)");
    expect(costLinesIn(up.stdout, SENT_PREFIX)).toContainEqual(expect.stringMatching(/^fansly sent: 1 request = 1 credit in [\d.]+ s \(1 DELETE\); estimated 1$/));
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Twitter bio"]);
  });

  // Both are new to their account, so their check costs the command's one accounts listing (accountCheck.ts); the
  // first to claim the link looks it up (one listing of the account), the second is refused without a request.
  test("4b. two resources adopting one link are refused at preview, naming both URNs and the id, before any write", async () => {
    const handMade = emulator.store.createLink(ACCOUNT, { label: "Made by hand", description: "" });
    const adopting = (name: string): string => `  ${name}:\n    type: ${PLUGIN_TRACKING_LINK_TYPE}\n    properties:\n      label: Made by hand\n      trackingLinkId: "${handMade.id}"\n`;
    const original = await readFile(join(project, "Pulumi.yaml"), "utf8");
    await editProgram((text) => text.replace("\noutputs:", `${adopting("hand-made")}${adopting("hand-made-copy")}\noutputs:`));
    emulator.clearRequests();
    const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
    await writeFile(join(project, "Pulumi.yaml"), original);
    expect(preview.code).not.toBe(0);
    const urn = (name: string): string => `urn:pulumi:${STACK}::fansly-yaml::${PLUGIN_TRACKING_LINK_TYPE}::${name}`;
    // Both URNs, in the order their Checks reached the provider (the engine runs them in parallel).
    const [first, second] = [urn("hand-made"), urn("hand-made-copy")];
    expect(preview.stdout + preview.stderr).toMatch(new RegExp(`trackingLinkId ${handMade.id} is declared by both (${first} and ${second}|${second} and ${first})`));
    const links = labelsIn(emulator, ACCOUNT);
    emulator.store.deleteLink(ACCOUNT, handMade.id);
    expect(callsOf(emulator).filter((call) => call !== "GET /api/fansly/accounts")).toEqual([`GET ${linksOf(ACCOUNT)}`]);
    expect(links).toEqual(["Made by hand", "Twitter bio"]);
  });

  test("5. neither key is in the state or in anything the CLI printed", async () => {
    const { text: stdout } = await cli.exportStack(project, STACK);
    const printed = cli.runs.map((run) => `${run.stdout}${run.stderr}`).join("\n");
    for (const key of [KEY, AGENCY_KEY]) expect({ inState: stdout.includes(key), printed: printed.includes(key) }).toEqual({ inState: false, printed: false });
  });

  test("6. destroy deletes every link of both accounts", async () => {
    await cli.run(project, ["destroy", "--yes", "--stack", STACK]);
    expect(writesWithKeys().sort()).toEqual([`DELETE ${linksOf(ACCOUNT)} key#0`, `DELETE ${linksOf(AGENCY_ACCOUNT)} key#1`]);
    expect([...labelsIn(emulator, ACCOUNT), ...labelsIn(emulator, AGENCY_ACCOUNT)]).toEqual([]);
  });

  test("7. no fansly:apiKey, then a wrong one: preview fails with one line each naming the fix, no frame, no colour code", async () => {
    const SET_KEY = "run `pulumi config set --secret fansly:apiKey <your apifansly key>`, or set the FANSLY_API_KEY environment variable";
    const refused = async (fix: string): Promise<string[]> => {
      emulator.clearRequests();
      const preview = await cli.run(project, ["preview", "--stack", STACK], { allowFailure: true });
      const diagnostics = diagnosticsOf(preview);
      expect({ failed: preview.code !== 0, fix: occurrences(diagnostics, fix), frames: diagnostics.includes("    at "), colours: diagnostics.includes("\u001b[") }).toEqual({
        failed: true,
        fix: 1,
        frames: false,
        colours: false,
      });
      return emulator.requests().filter((r) => r.apiKeyIndex !== 1).map((r) => `${r.method} ${r.path}`);
    };
    await cli.run(project, ["config", "rm", "fansly:apiKey", "--stack", STACK]);
    expect(await refused(`property apiKey value {<nil>} has a problem: is not set: ${SET_KEY}`)).toEqual([]);
    await cli.run(project, ["config", "set", "--secret", "fansly:apiKey", "not-the-key-0000", "--stack", STACK]);
    expect(await refused(`401 Unauthorized (GET /api/fansly/accounts) — server said "Invalid or missing API key": the API rejected the key; check the apiKey option (apiKey: ${SET_KEY})`)).toEqual([
      "GET /api/fansly/accounts",
    ]);
  });
});
