/**
 * The team backend (examples/team-backend): Pulumi's DIY backend on a real PostgreSQL server, through the real CLI,
 * against the emulator. `pulumi login postgres://pulumi@127.0.0.1:<port>/pulumi` with the password in PGPASSWORD,
 * as the example tells a CI job to do; the stack's state lives in the `pulumi_state` table.
 *
 * 1. `up` of 20 links; the state is in the database;
 * 2. two `pulumi up` of the same stack started together: one proceeds, the other is refused with the lock
 *    message, and the links are exact;
 * 3. a `pulumi up` killed mid-way (creates in flight), then `pulumi-fansly recover --cancel-lock` (what the
 *    pipelines run) and `up`: exactly 60 links, none twice;
 * 4. `destroy` leaves 0.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { RunningEmulator } from "../../src/emulator";
import { declareLinks, killWhen, recover, stackState, timed } from "./killedRun";
import { startPostgres, type RunningPostgres } from "./postgresServer";
import type { PulumiCli } from "./pulumiCli";
import { DYNAMIC_PROJECT, useE2eWorld } from "./world";

const KEY = "e2e-postgres-canary-key-c41d0b";
const ACCOUNT = "fansly_team";
const STACK = "prod";
/** How far apart the two concurrent `up` start: both well inside each other's run. */
const SECOND_UP_DELAY_MS = 1_000;

let postgres: RunningPostgres;
let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;
const figures: string[] = [];

function customLabels(): string[] {
  return emulator.store.customLinks(ACCOUNT).map((link) => link.label);
}

const world = useE2eWorld({
  name: "postgres",
  emulator: { apiKeys: [KEY], accounts: [ACCOUNT] },
  betweenTests: "clear faults",
  before: async () => {
    const started = await timed(() => startPostgres());
    postgres = started.result;
    // Stopped after the tests even when the setup fails later.
    world.afterTests(() => postgres.stop());
    figures.push(`PostgreSQL server: initdb + start + examples/team-backend/setup.sql in ${started.ms} ms, port ${postgres.port}`);
  },
  cli: () => ({ backendUrl: null, env: { PGPASSWORD: postgres.password } }),
  setup: async () => {
    ({ emulator, cli } = world);
    project = await world.project({ template: DYNAMIC_PROJECT });
    await cli.run(project, ["login", postgres.url]);
    await cli.initStack(project, STACK, { baseUrl: emulator.url, accountId: ACCOUNT, apiKey: KEY });
  },
  summary: () => `team backend e2e (PostgreSQL, Node ${process.version}):\n  ${figures.join("\n  ")}`,
});

describe("state on a shared PostgreSQL backend", () => {
  test("pulumi login postgres://… and up: 20 links, the stack's state in the pulumi_state table", async () => {
    await declareLinks(project, 20);
    const up = await timed(() => cli.run(project, ["up", "--yes", "--stack", STACK]));

    expect(customLabels()).toHaveLength(20);
    expect((await stackState(cli, project, STACK)).links).toHaveLength(20);
    const keys = (await postgres.query("SELECT key FROM pulumi_state ORDER BY key")).split("\n");
    expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(/\.pulumi\/stacks\/(organization\/)?fansly-e2e\/prod\.json$/)]));
    figures.push(`up of 20 links: ${up.ms} ms; ${keys.length} rows in pulumi_state`);
  });

  test("two pulumi up of the same stack started together: one proceeds, the other is refused with the lock message; links exact", async () => {
    await declareLinks(project, 40);
    const first = cli.start(project, ["up", "--yes", "--stack", STACK]);
    await sleep(SECOND_UP_DELAY_MS);
    const second = cli.start(project, ["up", "--yes", "--stack", STACK]);
    const runs = await Promise.all([first.done, second.done]);

    const succeeded = runs.filter((run) => run.code === 0);
    const refused = runs.filter((run) => run.code !== 0);
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const refusal = refused.map((run) => run.stdout + run.stderr).join("\n");
    expect(refusal).toContain("the stack is currently locked");
    // The lock message names the lock's row, never the database password.
    expect(refusal).not.toContain(postgres.password);
    const labels = customLabels();
    expect(labels).toHaveLength(40);
    expect(new Set(labels).size).toBe(40);
    expect((await stackState(cli, project, STACK)).links).toHaveLength(40);
    expect(await recover(cli, project, ["--stack", STACK])).toMatchObject({ code: 0, stdout: "", stderr: "" });
    figures.push(`two concurrent ups: exit codes ${runs.map((r) => r.code).join(" and ")}; links after: ${labels.length} (${new Set(labels).size} distinct)`);
  });

  test("a killed up (creates in flight), then recover --cancel-lock and up: exactly 60 links, none twice; destroy leaves 0", async () => {
    await declareLinks(project, 60);
    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: 2_000, times: 1_000 });
    const killed = await killWhen(cli, project, ["up", "--yes", "--stack", STACK], () => customLabels().length >= 48);
    emulator.clearFaults();
    const before = await stackState(cli, project, STACK);
    expect(before.pendingCreates.length).toBeGreaterThan(0);

    // What the pipelines run: no other job can hold this stack, so the lock the killed run left is cleared first.
    const recovered = await timed(() => recover(cli, project, ["--stack", STACK, "--cancel-lock"]));
    expect(recovered.result.code).toBe(0);
    expect(recovered.result.stdout).toContain("brought into state");
    const after = await stackState(cli, project, STACK);
    expect(after.pendingCreates).toEqual([]);
    expect(after.links.map((r) => r.id).sort()).toEqual(emulator.store.customLinks(ACCOUNT).map((l) => l.id).sort());

    const idsBeforeUp = emulator.store.customLinks(ACCOUNT).map((l) => l.id);
    const linksBeforeUp = idsBeforeUp.length;
    const upStarted = Date.now();
    const up = await timed(() => cli.run(project, ["up", "--yes", "--stack", STACK]));
    const labels = customLabels();
    expect(labels).toHaveLength(60);
    expect(new Set(labels).size).toBe(60);
    // Counted by arrival: the emulator logs a request when it replies, so a POST of the killed run whose reply was
    // still held would otherwise count as one of this run's.
    const arrived = (method: string) => emulator.requests().filter((r) => r.method === method && Date.parse(r.at) >= upStarted);
    expect(arrived("POST")).toHaveLength(60 - linksBeforeUp);
    // None replaced: every recovered link is still there, and the up deleted nothing.
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual(expect.arrayContaining(idsBeforeUp));
    expect(arrived("DELETE")).toHaveLength(0);

    const destroy = await timed(() => cli.run(project, ["destroy", "--yes", "--stack", STACK]));
    expect(customLabels()).toEqual([]);
    expect((await stackState(cli, project, STACK)).links).toEqual([]);
    figures.push(
      `kill mid-up: after ${killed.ms} ms, ${before.links.length} links in state + ${before.pendingCreates.length} pending creates ` +
        `(${before.pendingCreates.filter((p) => p.id !== undefined).length} with an id); recover --cancel-lock ${recovered.ms} ms; ` +
        `up ${up.ms} ms (${60 - linksBeforeUp} POSTs) → ${labels.length} links (${new Set(labels).size} distinct); destroy ${destroy.ms} ms → ${customLabels().length} left`,
    );
  });

  test("no CLI output shows the API key or the database password", () => {
    for (const run of cli.runs) {
      for (const secret of [KEY, postgres.password]) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
  });
});
