/**
 * The policy pack (src/policy, installed as node_modules/pulumi-fansly/dist/policy) through the real CLI on a file
 * backend, against the emulator, with a program of both faces (test/e2e/faces-project): `pulumi preview
 * --policy-pack <dir> --policy-pack-config <file>` as a user runs it. The CLI is build-pulumi.sh --with-policy's:
 * CLI 3.222+ starts a Node.js pack through the language host, which must be newer than the one bin/ holds.
 *
 * The engine calls the provider's `check` before any policy (pkg/resource/deploy/step_generator.go), so a preview
 * of new links lists the key's accounts once (check's account check, a GET) whatever the pack decides; what the
 * pack stops is every write.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import type { PulumiCli } from "./pulumiCli";
import { callsOf, writesOf } from "./requestLog";
import { useE2eWorld } from "./world";

const KEY = "e2e-policy-key-5c2e90";
const ACCOUNT = "fansly_policy";
const STACK = "dev";
const TEMPLATE = join(__dirname, "faces-project");
/** The pack as a user names it: the folder inside the installed package. */
const PACK = join("node_modules", "pulumi-fansly", "dist", "policy");
const HOUSE_RULES = {
  "fansly-label-pattern": { patterns: { [ACCOUNT]: "^(Twitter|Reddit) " } },
  // A rule made advisory by the config: reported, never blocking.
  "fansly-forbidden-words": { enforcementLevel: "advisory", words: ["free"] },
};

let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;

async function declare(links: Record<string, { label: string; description?: string; face?: "plugin" }>): Promise<void> {
  await writeFile(join(project, "links.json"), JSON.stringify(links, null, 2));
}

function preview(): ReturnType<PulumiCli["run"]> {
  return cli.run(project, ["preview", "--stack", STACK, "--policy-pack", PACK, "--policy-pack-config", "house-rules.json"], { allowFailure: true });
}

const world = useE2eWorld({
  name: "policy-home",
  withPolicy: true,
  emulator: { apiKeys: [KEY], accounts: [ACCOUNT] },
  betweenTests: "clear requests",
  setup: async () => {
    ({ emulator, cli } = world);
    project = await world.project({ template: TEMPLATE });
    await writeFile(join(project, "house-rules.json"), JSON.stringify(HOUSE_RULES, null, 2));
    await cli.initStack(project, STACK, { baseUrl: emulator.url, accountId: ACCOUNT, apiKey: KEY });
  },
});

describe("pulumi preview --policy-pack (the house rules) on both faces", () => {
  test("a label breaking the account's pattern fails the preview on each face, naming the link, the rule and the fix; nothing is written", async () => {
    await declare({ "dynamic-bio": { label: "Insta bio", description: "bio" }, "plugin-bio": { label: "Insta bio", description: "story", face: "plugin" } });
    const run = await preview();
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain("[mandatory]  fansly-label-pattern");
    for (const name of ["dynamic-bio", "plugin-bio"]) {
      expect(run.stdout).toContain(`TrackingLink "${name}": label`);
    }
    expect(run.stdout).toContain(`Fix: change the label to match, or fansly-label-pattern.patterns.${ACCOUNT}`);
    // A stack rule sees the links of both faces at preview too: one label twice in one account.
    expect(run.stdout).toContain("[mandatory]  fansly-unique-label-per-account");
    expect(writesOf(emulator)).toEqual([]);
    expect(new Set(callsOf(emulator))).toEqual(new Set(["GET /api/fansly/accounts"]));
  });

  test("a compliant program passes; a rule the config makes advisory (and the description rule) only warn", async () => {
    await declare({ "dynamic-bio": { label: "Twitter bio", description: "free stuff" }, "plugin-post": { label: "Reddit post", face: "plugin" } });
    const run = await preview();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("[advisory]  fansly-forbidden-words");
    expect(run.stdout).toContain('TrackingLink "dynamic-bio": description "free stuff" holds the forbidden word "free"');
    expect(run.stdout).toContain("[advisory]  fansly-description-required");
    expect(run.stdout).toContain('TrackingLink "plugin-post" has no description');
    expect(run.stdout).not.toContain("fansly-label-pattern");
    expect(writesOf(emulator)).toEqual([]);
  });
});
