/**
 * `recover` on the plugin face and on a stack of both faces, through the real Pulumi CLI on a local file backend,
 * against the emulator (test/e2e/faces-project: one program, each link on the face links.json names). Each kill is
 * SIGKILL to the CLI and everything it started (killedRun.ts), with creates in flight (every POST applied at once,
 * its reply held 2 s); then what the README tells a user to do.
 *
 * 1. the plugin face, 60 links, after a finished `up`: kill, `pulumi cancel`, `pulumi refresh --yes` (what
 *    Pulumi's own warning suggests) ten minutes later, recover, `up` → exactly 60, none twice; `destroy` → 0.
 *    "Ten minutes later" is the refresh's history entry moved 10 minutes on: the window recover searches must not
 *    start at it (a refresh makes no link), or the killed run's links (made more than 5 minutes of clock skew
 *    before it) would be cleared and made twice;
 * 2. both faces, each label once per face (30 + 30 identical links): kill, cancel, recover, `up` → exactly 60, no
 *    link in two resources; `destroy` → 0.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import { PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { declareLinks, killWhen, recover, stackState, stateAfterKill, timed, type StackState } from "./killedRun";
import type { PulumiCli } from "./pulumiCli";
import { useE2eWorld } from "./world";

const KEY = "e2e-plugin-recovery-key-2b8d41";
const IN_FLIGHT_REPLY_MS = 2_000;
/** How far the refresh's history entry is moved on: past the 5 minutes of clock skew recover allows. */
const REFRESH_LATER_S = 10 * 60;
const TEMPLATE = join(__dirname, "faces-project");

let emulator: RunningEmulator;
let cli: PulumiCli;
let scratch: string;
const figures: string[] = [];

function customLinks(account: string): readonly { id: string; label: string }[] {
  return emulator.store.customLinks(account);
}

function arrivedSince(method: string, since: number): number {
  return emulator.requests().filter((r) => r.method === method && Date.parse(r.at) >= since).length;
}

/** A project of the template with a stack named after its account (the projects share one backend and project name). */
async function stackFor(account: string): Promise<string> {
  const project = await world.project({ template: TEMPLATE });
  await cli.initStack(project, account, { baseUrl: emulator.url, accountId: account, apiKey: KEY });
  return project;
}

async function cancelIfLocked(project: string, stack: string): Promise<void> {
  const dir = join(scratch, "backend", ".pulumi", "locks", "organization", "fansly-e2e-faces", stack);
  const locks = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".json"));
  if (locks.length > 0) await cli.run(project, ["cancel", "--yes", "--stack", stack]);
}

/** Moves the stack's refresh entries in the file backend's history `seconds` on, as if the refresh had run then. */
async function refreshRanLater(stack: string, seconds: number): Promise<number> {
  const dir = join(scratch, "backend", ".pulumi", "history", "fansly-e2e-faces", stack);
  let moved = 0;
  for (const name of (await readdir(dir)).filter((entry) => entry.endsWith(".history.json"))) {
    const entry = JSON.parse(await readFile(join(dir, name), "utf8")) as { kind: string; startTime: number; endTime: number };
    if (entry.kind !== "refresh") continue;
    await writeFile(join(dir, name), JSON.stringify({ ...entry, startTime: entry.startTime + seconds, endTime: entry.endTime + seconds }));
    moved += 1;
  }
  return moved;
}

/** Every link resource in state holds a distinct link, and together exactly the account's custom links. */
function expectOneOwnerEach(state: StackState, account: string): void {
  const held = state.links.map((r) => r.id ?? "");
  expect(new Set(held).size).toBe(held.length);
  expect([...held].sort()).toEqual(customLinks(account).map((l) => l.id).sort());
}

const world = useE2eWorld({
  name: "plugin-recovery",
  emulator: { apiKeys: [KEY], accounts: ["fansly_plugin_kill", "fansly_faces_kill"] },
  betweenTests: "clear faults",
  setup: () => {
    ({ emulator, cli, scratch } = world);
  },
  summary: () => `plugin-face recovery e2e (file backend, Node ${process.version}):\n  ${figures.join("\n  ")}`,
});

describe("recover on the plugin face and on a stack of both faces (file backend)", () => {
  test("plugin face, 60 links killed mid-up, then cancel, a refresh 10 minutes later, recover, up → exactly 60, none twice; destroy → 0", async () => {
    const account = "fansly_plugin_kill";
    const stack = account;
    const project = await stackFor(account);
    // A finished update on record before the killed one: the window recover searches starts at its end.
    await declareLinks(project, 0);
    await cli.run(project, ["up", "--yes", "--stack", stack]);
    await declareLinks(project, 60, ["plugin"]);

    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: IN_FLIGHT_REPLY_MS, times: 1_000 });
    const killed = await killWhen(cli, project, ["up", "--yes", "--stack", stack], () => customLinks(account).length >= 20);
    emulator.clearFaults();
    const { state: before } = await stateAfterKill(cli, project, stack);
    expect(before.pendingCreates.length).toBeGreaterThan(0);
    expect(before.pendingCreates.every((p) => p.urn.includes(`::${PLUGIN_TRACKING_LINK_TYPE}::`))).toBe(true);

    await cancelIfLocked(project, stack);
    const refresh = await cli.run(project, ["refresh", "--yes", "--stack", stack]);
    expect(await refreshRanLater(stack, REFRESH_LATER_S)).toBe(1);
    const linksAtRecover = customLinks(account).length;
    const recovered = await timed(() => recover(cli, project, ["--stack", stack]));
    const after = await stackState(cli, project, stack);

    expect(recovered.result.code).toBe(0);
    expect(after.pendingCreates).toEqual([]);
    // Every link the killed run made is now held by one resource (none cleared to be made again).
    expectOneOwnerEach(after, account);
    // Adopted exactly as the plugin face's Create stores a link (one the killed run finished, as it wrote it before
    // the refresh): the same fields, no __provider, no counters.
    const pending = new Set(before.pendingCreates.map((p) => p.urn));
    const adopted = after.links.filter((r) => pending.has(r.urn));
    const made = before.links[0];
    expect(adopted.length).toBeGreaterThan(0);
    for (const resource of adopted) {
      expect(Object.keys(resource).sort()).toEqual(Object.keys(made ?? {}).sort());
      expect(Object.keys(resource.outputs ?? {}).sort()).toEqual(Object.keys(made?.outputs ?? {}).sort());
      expect(resource.outputs).not.toHaveProperty("__provider");
      expect(resource.outputs).not.toHaveProperty("clicks");
    }

    const upStarted = Date.now();
    const up = await timed(() => cli.run(project, ["up", "--yes", "--stack", stack]));
    const labels = customLinks(account).map((l) => l.label);
    expect(labels).toHaveLength(60);
    expect(new Set(labels).size).toBe(60);
    expect(arrivedSince("POST", upStarted)).toBe(60 - linksAtRecover);
    expect(arrivedSince("DELETE", upStarted)).toBe(0);
    expectOneOwnerEach(await stackState(cli, project, stack), account);

    await cli.run(project, ["destroy", "--yes", "--stack", stack]);
    expect(customLinks(account)).toEqual([]);
    figures.push(
      `plugin face: killed after ${killed.ms} ms with ${linksAtRecover} links made; ${before.links.length} in state + ${before.pendingCreates.length} pending creates; ` +
        `refresh ${refresh.code === 0 ? "ok" : `exit ${refresh.code}`}; recover ${recovered.ms} ms (${adopted.length} adopted); next up ${up.ms} ms, ` +
        `${60 - linksAtRecover} POSTs; links after: ${labels.length}; after destroy: 0`,
    );
  });

  test("both faces, each label once per face: killed mid-up, cancel, recover, up → exactly 60, no link in two resources; destroy → 0", async () => {
    const account = "fansly_faces_kill";
    const stack = account;
    const project = await stackFor(account);
    await declareLinks(project, 30, ["dynamic", "plugin"]);

    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: IN_FLIGHT_REPLY_MS, times: 1_000 });
    // Later than the plugin-face test: the dynamic face's creates start after the plugin face's (measured: at 20
    // links only plugin-face creates were pending), and both must be in flight.
    const killed = await killWhen(cli, project, ["up", "--yes", "--stack", stack], () => customLinks(account).length >= 36);
    emulator.clearFaults();
    const { state: before } = await stateAfterKill(cli, project, stack);
    const typesOf = (urns: string[]): string => [...new Set(urns.map((urn) => urn.split("::").at(-2)))].join(" + ");

    await cancelIfLocked(project, stack);
    const linksAtRecover = customLinks(account).length;
    const recovered = await timed(() => recover(cli, project, ["--stack", stack]));
    expect(recovered.result.code).toBe(0);
    const after = await stackState(cli, project, stack);
    expect(after.pendingCreates).toEqual([]);
    expectOneOwnerEach(after, account);

    const upStarted = Date.now();
    await cli.run(project, ["up", "--yes", "--stack", stack]);
    const labels = customLinks(account).map((l) => l.label);
    expect(labels).toHaveLength(60);
    // Each label once per face, so exactly twice.
    expect(new Set(labels).size).toBe(30);
    expect(arrivedSince("POST", upStarted)).toBe(60 - linksAtRecover);
    expect(arrivedSince("DELETE", upStarted)).toBe(0);
    expectOneOwnerEach(await stackState(cli, project, stack), account);

    await cli.run(project, ["destroy", "--yes", "--stack", stack]);
    expect(customLinks(account)).toEqual([]);
    figures.push(
      `both faces: killed after ${killed.ms} ms with ${linksAtRecover} links made; ${before.links.length} in state (${typesOf(before.links.map((r) => r.urn))}) + ` +
        `${before.pendingCreates.length} pending creates (${typesOf(before.pendingCreates.map((p) => p.urn))}); recover ${recovered.ms} ms; links after up: ${labels.length}; after destroy: 0`,
    );
  });

  test("no CLI output and no state shows the API key", () => {
    for (const run of cli.runs) {
      expect(run.stdout).not.toContain(KEY);
      expect(run.stderr).not.toContain(KEY);
    }
  });
});
