/**
 * The API key rotated, and the drift check's exit status, through the real Pulumi CLI with examples/from-file.
 *
 * - `refresh` and `destroy` configure the provider from the state the last update wrote, not from the stack config:
 *   after `pulumi config set --secret fansly:apiKey <new>` they still send the old key and get 401. The 401 message
 *   names the step that saves the new key (`pulumi refresh --run-program`); after it, `destroy` leaves no link.
 * - `pulumi preview --refresh --expect-no-changes` exits 7 when it finds changes (pulumi/pulumi#22176, in 3.226 and
 *   later), and otherwise non-zero with an error: the GitOps drift jobs tell drift from failure by it. CI runs this
 *   file with the pinned CLI and again with the newest one (the CLI is built to match the SDK).
 */
import { join } from "node:path";
import { createStore, type RunningEmulator } from "../../src/emulator";
import { occurrences, type PulumiCli } from "./pulumiCli";
import { labelsIn } from "./requestLog";
import { REPO, useE2eWorld } from "./world";

const OLD_KEY = "e2e-rotation-old-key-5b81c2";
const NEW_KEY = "e2e-rotation-new-key-0d47e9";
const ACCOUNT = "fansly_rotation";
const STACK = "dev";
const EXAMPLE = join(REPO, "examples", "from-file");
/** pulumi's exit status when `--expect-no-changes` finds changes (pkg/cmd/pulumi/cmd/exit_codes.go `ExitNoChanges`). */
const EXIT_CHANGES_FOUND = 7;
const DRIFT_CHECK = ["preview", "--refresh", "--expect-no-changes", "--diff", "--stack", STACK];

const store = createStore({ accounts: [ACCOUNT] });
let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;

const world = useE2eWorld({
  name: "rotation",
  emulator: { store, apiKeys: [OLD_KEY] },
  setup: async () => {
    ({ emulator, cli } = world);
    project = await world.project({ template: EXAMPLE, extraFiles: ["links.yaml"] });
    await cli.initStack(project, STACK, { baseUrl: emulator.url, apiKey: OLD_KEY, accountId: ACCOUNT });
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
  },
});

/** The emulator restarted on the same port and data, accepting only `key`: the key rotated at apifansly. */
async function rotateTo(key: string): Promise<void> {
  emulator = await world.restartEmulator({ store, apiKeys: [key] });
}

describe("the drift check's exit status", () => {
  test("a link edited by hand: exit 7, the changes found", async () => {
    const link = store.customLinks(ACCOUNT)[0];
    if (link === undefined) throw new Error("up made no link");
    store.updateLink(ACCOUNT, link.id, { label: "Edited by hand", description: link.description });
    const drift = await cli.run(project, DRIFT_CHECK, { allowFailure: true });
    expect(drift.code).toBe(EXIT_CHANGES_FOUND);
    expect(drift.stdout).toMatch(/~ 1 to update/);
  });

  test("a check that cannot read the links (the key rejected): non-zero, but not 7", async () => {
    await rotateTo(NEW_KEY);
    const failed = await cli.run(project, DRIFT_CHECK, { allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.code).not.toBe(EXIT_CHANGES_FOUND);
    expect(failed.stdout + failed.stderr).toContain("401 Unauthorized");
    // Each of the 3 links' refresh fails once, with its fix, and no stack frame (the provider host prints no repeat).
    const output = failed.stdout + failed.stderr;
    expect({ failures: occurrences(output, "401 Unauthorized (GET"), frames: output.includes("    at ") }).toEqual({ failures: 3, frames: false });
  });
});

describe("a rotated API key", () => {
  test("after `pulumi config set` alone, destroy still sends the old key, and the 401 says which step saves the new one", async () => {
    await cli.run(project, ["config", "set", "--secret", "fansly:apiKey", NEW_KEY, "--stack", STACK]);
    const destroy = await cli.run(project, ["destroy", "--yes", "--stack", STACK], { allowFailure: true });
    expect(destroy.code).not.toBe(0);
    expect(destroy.stdout + destroy.stderr).toContain("401 Unauthorized");
    expect(destroy.stdout + destroy.stderr).toContain("`pulumi refresh --run-program`");
    expect(labelsIn(emulator, ACCOUNT)).toHaveLength(3);
  });

  test("the step the message names, then destroy: no link left", async () => {
    await cli.run(project, ["refresh", "--run-program", "--yes", "--stack", STACK]);
    await cli.run(project, ["destroy", "--yes", "--stack", STACK]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual([]);
  });
});
