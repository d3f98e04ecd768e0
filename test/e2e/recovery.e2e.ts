/**
 * A killed run recovers exactly, through the real Pulumi CLI on a local file backend, against the emulator.
 * Each kill is SIGKILL to the CLI and everything it started (its plugins run in process groups of their own), as a
 * CI runner ends a job; then what the README tells a user to do: `pulumi cancel` when the stack is locked,
 * `npx pulumi-fansly recover`, and the next `pulumi up` or `pulumi destroy`.
 *
 * 1. killed before any link existed (every POST held and refused), and the file backend's state write cut short
 *    (made certain here; src/cli/fileBackendState.ts): every pulumi command fails with "failed to load checkpoint:
 *    EOF" until recover finishes that write; then recover clears the pending creates;
 * 2. killed mid-`up` of 60 links with many creates in flight (every POST applied at once, its reply held 2 s):
 *    recover brings the made links into state; the next `up` ends with exactly 60 links, none twice, none replaced;
 * 3. killed mid-`destroy` (every DELETE applied at once, its reply held): the next `destroy` leaves 0.
 *
 * Each holds on the locked CLI (3.248) and the newest (CI's second e2e run; 3.276 on 2026-12-02). A kill mid-`up`
 * or mid-`destroy` cuts the state write short in some runs and not in others; `stateAfterKill` takes either path.
 */
import { copyFile, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import { declareLinks, killWhen, parseStackState, recover, stackState, stateAfterKill, timed, UNREADABLE_STATE } from "./killedRun";
import type { PulumiCli } from "./pulumiCli";
import { DYNAMIC_PROJECT, useE2eWorld } from "./world";

const KEY = "e2e-recovery-canary-key-7c1e44";
const ACCOUNT = "fansly_recovery";
const STACK = "dev";
const LINKS = 60;
const IN_FLIGHT_REPLY_MS = 2_000;

let emulator: RunningEmulator;
let cli: PulumiCli;
let scratch: string;
let project: string;
const figures: string[] = [];

function customLinks(): readonly { id: string; label: string }[] {
  return emulator.store.customLinks(ACCOUNT);
}

/**
 * Requests of `method` that arrived since `since` (epoch ms). By arrival, not by clearing the log: the emulator
 * records a request when it replies, so a POST of the killed run whose reply was still held would otherwise be
 * counted as one of the next run's.
 */
function arrivedSince(method: string, since: number): number {
  return emulator.requests().filter((r) => r.method === method && Date.parse(r.at) >= since).length;
}

/** The file backend's lock files for the stack: a killed run leaves its own behind. */
async function locks(): Promise<string[]> {
  const dir = join(scratch, "backend", ".pulumi", "locks", "organization", "fansly-e2e", STACK);
  return (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".json"));
}

/**
 * What a kill between fileblob's emptying of the sidecar and its rename leaves (src/cli/fileBackendState.ts): the
 * state just written in `<stack>.json.<hex>.tmp`, the one before it still in place, the sidecar empty. Made here
 * from a whole state: the current checkpoint becomes the finished write, its `.bak` (the state before it) goes back.
 */
async function cutStateWriteShort(): Promise<void> {
  const checkpoint = join(scratch, "backend", ".pulumi", "stacks", "fansly-e2e", `${STACK}.json`);
  await rename(checkpoint, `${checkpoint}.${(Date.now() * 1_000_000).toString(16)}.tmp`);
  await copyFile(`${checkpoint}.bak`, checkpoint);
  await writeFile(`${checkpoint}.attrs`, "");
}

const world = useE2eWorld({
  name: "recovery",
  emulator: { apiKeys: [KEY], accounts: [ACCOUNT] },
  betweenTests: "clear faults",
  setup: async () => {
    ({ emulator, cli, scratch } = world);
    project = await world.project({ template: DYNAMIC_PROJECT });
    await declareLinks(project, LINKS);
    await cli.initStack(project, STACK, { baseUrl: emulator.url, accountId: ACCOUNT, apiKey: KEY });
  },
  summary: () => `recovery e2e (file backend, ${LINKS} links, Node ${process.version}):\n  ${figures.join("\n  ")}`,
});

describe("a killed pulumi up or destroy recovers exactly (file backend)", () => {
  test("killed before any link existed, its state write cut short: recover finishes the write, then clears every pending create", async () => {
    // Every POST is held for a minute, then refused: nothing is created while the run is killed.
    emulator.addFault({ method: "POST", status: 503, latencyMs: 60_000, times: 1_000 });
    // Killed once the first POST is held (its pending create is written before the POST is sent); not at the first
    // connection, which is the accounts listing a new link's check makes first.
    const killed = await killWhen(cli, project, ["up", "--yes", "--stack", STACK], () => (emulator.faults()[0]?.remaining ?? 0) < 1_000);
    // The kill lands in the write's window in most runs on 3.276 and fewer on 3.248; here it is made certain.
    const whole = await cli.run(project, ["stack", "export", "--stack", STACK], { allowFailure: true });
    const cutByKill = whole.code !== 0;
    if (!cutByKill) await cutStateWriteShort();

    expect(customLinks()).toEqual([]);
    expect(await locks()).toHaveLength(1);
    // Nothing reads the stack now, not even the command that would remove the lock.
    const cancel = await cli.run(project, ["cancel", "--yes", "--stack", STACK], { allowFailure: true });
    expect(cancel.code).not.toBe(0);
    expect(cancel.stderr).toContain(`${UNREADABLE_STATE}: EOF`);

    // Recover finishes the write (the lock's holder is provably dead: this machine, its pid gone), then refuses to
    // write into a locked stack, and says what to do.
    const repaired = await recover(cli, project, ["--stack", STACK]);
    expect(repaired.stdout).toContain(`repaired stack ${STACK}'s state`);
    expect(repaired.stdout).toContain(`${STACK}.json.attrs is cut short`);
    expect(repaired.code).toBe(1);
    expect(repaired.stderr).toContain("run `pulumi cancel --stack dev`, then recover again");
    const before = await stackState(cli, project, STACK);
    // The state the killed run had finished writing, not the one before it.
    if (!cutByKill) expect(before).toEqual(parseStackState(whole.stdout));
    expect(before.links).toEqual([]);
    expect(before.pendingCreates.length).toBeGreaterThan(0);

    await cli.run(project, ["cancel", "--yes", "--stack", STACK]);
    expect(await locks()).toEqual([]);
    const recovered = await timed(() => recover(cli, project, ["--stack", STACK]));
    const after = await stackState(cli, project, STACK);

    expect(recovered.result.code).toBe(0);
    expect(recovered.result.stdout).toContain(`done: 0 link(s) brought into state, ${before.pendingCreates.length} pending create(s) cleared`);
    expect(after.pendingCreates).toEqual([]);
    expect(after.links).toEqual([]);
    expect(customLinks()).toEqual([]);
    figures.push(
      `kill before any link: killed ${killed.processes} processes after ${killed.ms} ms; state write cut short by the kill: ${cutByKill ? "yes" : "no (made so)"}; ` +
        `0 links; ${before.pendingCreates.length} pending creates (${before.pendingCreates.filter((p) => p.id !== undefined).length} with an id); ` +
        `recover cleared them in ${recovered.ms} ms`,
    );
  });

  test(`killed mid-up of ${LINKS} links with creates in flight: cancel, recover, up → exactly ${LINKS} links, none twice, none replaced`, async () => {
    // Each POST is applied at once and its reply held: the links exist while the engine still waits for them.
    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: IN_FLIGHT_REPLY_MS, times: 1_000 });
    const killed = await killWhen(cli, project, ["up", "--yes", "--stack", STACK], () => customLinks().length >= 20);
    emulator.clearFaults();
    const { state: before, repair } = await stateAfterKill(cli, project, STACK);
    // Counted after the export: a POST already on the wire when the CLI died may still land.
    const linksAtKill = customLinks().length;

    // The interrupted run made more links than its state holds: the rest are pending creates.
    expect(before.pendingCreates.length).toBeGreaterThan(0);
    expect(before.links.length + before.pendingCreates.length).toBeGreaterThanOrEqual(linksAtKill);

    if ((await locks()).length > 0) await cli.run(project, ["cancel", "--yes", "--stack", STACK]);
    const recovered = await timed(() => recover(cli, project, ["--stack", STACK]));
    const after = await stackState(cli, project, STACK);

    expect(recovered.result.code).toBe(0);
    expect(after.pendingCreates).toEqual([]);
    // Every link the killed run made is now in state, each held by one resource.
    expect(after.links.map((r) => r.id).sort()).toEqual(customLinks().map((l) => l.id).sort());

    const idsBeforeUp = customLinks().map((l) => l.id);
    const loggedBeforeUp = new Set(emulator.requests().map((r) => r.seq));
    const upStarted = Date.now();
    const up = await timed(() => cli.run(project, ["up", "--yes", "--stack", STACK]));
    const labels = customLinks().map((l) => l.label);
    const posts = arrivedSince("POST", upStarted);
    // POSTs of the killed run logged only once the up had begun (their replies were held): what a count taken by
    // clearing the log before the up would have added to this up's POSTs.
    const lateLogged = emulator.requests().filter((r) => r.method === "POST" && Date.parse(r.at) < upStarted && !loggedBeforeUp.has(r.seq)).length;

    expect(labels).toHaveLength(LINKS);
    expect(new Set(labels).size).toBe(LINKS);
    expect(posts).toBe(LINKS - idsBeforeUp.length);
    // None replaced: every link recovered (or made before) is still there, and the up deleted nothing.
    expect(customLinks().map((l) => l.id)).toEqual(expect.arrayContaining(idsBeforeUp));
    expect(arrivedSince("DELETE", upStarted)).toBe(0);
    expect((await stackState(cli, project, STACK)).links).toHaveLength(LINKS);

    // Healthy now: recover is a quiet no-op, and the program matches the state.
    expect(await recover(cli, project, ["--stack", STACK])).toMatchObject({ code: 0, stdout: "", stderr: "" });
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    figures.push(
      `kill mid-up: killed ${killed.processes} processes after ${killed.ms} ms with ${linksAtKill} links made; state write cut short: ${repair === undefined ? "no" : "yes, repaired"}; state held ${before.links.length} ` +
        `+ ${before.pendingCreates.length} pending creates (${before.pendingCreates.filter((p) => p.id !== undefined).length} with an id, ` +
        `${before.pendingCreates.filter((p) => p.id === undefined).length} without); recover ${recovered.ms} ms; next up ${up.ms} ms, ` +
        `${posts} POSTs (+${lateLogged} of the killed run logged meanwhile), 0 DELETEs; links after: ${labels.length} (${new Set(labels).size} distinct)`,
    );
  });

  test("killed mid-destroy: cancel, recover, destroy → 0 links left, an empty state", async () => {
    emulator.addFault({ method: "DELETE", kind: "slow-headers", latencyMs: IN_FLIGHT_REPLY_MS, times: 1_000 });
    const killed = await killWhen(cli, project, ["destroy", "--yes", "--stack", STACK], () => customLinks().length <= LINKS - 20);
    emulator.clearFaults();
    const linksAtKill = customLinks().length;
    const { state: before, repair } = await stateAfterKill(cli, project, STACK);

    // Some links are gone while the state still holds them (their deletes pending).
    expect(before.links.length).toBeGreaterThan(linksAtKill);

    if ((await locks()).length > 0) await cli.run(project, ["cancel", "--yes", "--stack", STACK]);
    const recovered = await recover(cli, project, ["--stack", STACK]);
    expect(recovered.code).toBe(0);
    const destroy = await timed(() => cli.run(project, ["destroy", "--yes", "--stack", STACK]));

    expect(customLinks()).toEqual([]);
    const after = await stackState(cli, project, STACK);
    expect(after.links).toEqual([]);
    expect(after.pendingCreates).toEqual([]);
    figures.push(
      `kill mid-destroy: killed after ${killed.ms} ms with ${linksAtKill} links left; state write cut short: ${repair === undefined ? "no" : "yes, repaired"}; ${before.links.length} in state, ${before.pendingOther} pending deletes; ` +
        `next destroy ${destroy.ms} ms; links after: ${customLinks().length}`,
    );
  });

  test("no CLI output and no state shows the API key", async () => {
    for (const run of cli.runs) {
      expect(run.stdout).not.toContain(KEY);
      expect(run.stderr).not.toContain(KEY);
    }
    const { stdout } = await cli.run(project, ["stack", "export", "--stack", STACK]);
    expect(stdout).not.toContain(KEY);
  });
});
