/**
 * `pulumi-fansly recover`: which link each interrupted create made, and the state that brings it in. The state is
 * real: `pulumi stack export` of a stack whose `pulumi up` of 60 links was killed by SIGKILL (Pulumi CLI 3.248.0;
 * stack traces removed, 2 of the 32 finished links and 3 of the 8 pending creates kept). `pulumi` itself is faked
 * here; test/e2e/recovery.e2e.ts runs the same command through the real CLI.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TrackingLink } from "../../src/client";
import { makeRecover, type PulumiResult } from "../../src/cli/recoverCommand";
import { applyRecovery, canApply, decideRecovery, ExportedStackSchema, type ExportedStack } from "../../src/cli/recoverPlan";
import { DYNAMIC_TRACKING_LINK_TYPE, PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { runCaptured } from "./capturedIo";

const ACCOUNT = "fansly_demo";
const URN = (name: string): string => `urn:pulumi:dev::fansly-e2e::${DYNAMIC_TRACKING_LINK_TYPE}::${name}`;
const LAST_UPDATE_ENDED = Date.parse("2026-12-02T05:20:00Z");
const KILLED_AT = "2026-12-02T05:23:30.000Z";

function killedState(): ExportedStack {
  return ExportedStackSchema.parse(JSON.parse(readFileSync(join(__dirname, "fixtures", "state-killed-up.json"), "utf8")));
}

let nextId = 845759435000000000n;
function link(label: string, description: string, createdAt: string = KILLED_AT, extra: Partial<TrackingLink> = {}): TrackingLink {
  nextId += 1n;
  return { id: String(nextId), label, description, type: 1000, createdAt, clicks: 0, claims: 0, follows: 0, subscriptions: 0, totalGross: 0, totalNet: 0, ...extra };
}

/** The links the two finished resources of the fixture manage, as the API lists them. */
function managedLinks(state: ExportedStack): TrackingLink[] {
  return (state.deployment.resources ?? [])
    .filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE)
    .map((r) => ({ ...link(String(r.outputs?.label), String(r.outputs?.description)), id: String(r.id) }));
}

const PLUGIN_PROVIDER = "urn:pulumi:dev::fansly-e2e::pulumi:providers:fansly::default";
const PLUGIN_URN = (name: string): string => `urn:pulumi:dev::fansly-e2e::${PLUGIN_TRACKING_LINK_TYPE}::${name}`;
const COUNTERS = ["clicks", "claims", "follows", "subscriptions", "totalGross", "totalNet"];

function without(values: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> | undefined {
  return values === undefined ? undefined : Object.fromEntries(Object.entries(values).filter(([key]) => !keys.includes(key)));
}

/**
 * The fixture with the named TrackingLinks (resources and pending creates) on the plugin face, as its state holds
 * them: type `fansly:index:TrackingLink`, the `pulumi:providers:fansly` default provider, no `__provider`, no
 * counters in the outputs (test/e2e/pluginRecovery.e2e.ts checks a real one).
 */
function onPluginFace(state: ExportedStack, names: readonly string[]): ExportedStack {
  const move = <T extends { urn: string; type: string; provider?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>(resource: T): T => {
    const name = resource.urn.split("::").at(-1) ?? "";
    if (resource.type !== DYNAMIC_TRACKING_LINK_TYPE || !names.includes(name)) return resource;
    const outputs = without(resource.outputs, ["__provider", ...COUNTERS]);
    return { ...resource, urn: PLUGIN_URN(name), type: PLUGIN_TRACKING_LINK_TYPE, provider: `${PLUGIN_PROVIDER}::0a1b2c3d`, inputs: without(resource.inputs, ["__provider"]), ...(outputs === undefined ? {} : { outputs }) };
  };
  const resources = state.deployment.resources ?? [];
  const provider = { urn: PLUGIN_PROVIDER, custom: true, id: "0a1b2c3d", type: "pulumi:providers:fansly", inputs: { accountId: ACCOUNT, version: "0.1.0" }, outputs: { accountId: ACCOUNT, version: "0.1.0" } };
  return {
    ...state,
    deployment: {
      ...state.deployment,
      resources: [...resources.slice(0, 2), provider, ...resources.slice(2).map(move)],
      pending_operations: state.deployment.pending_operations?.map((op) => ({ ...op, resource: move(op.resource) })),
    },
  };
}

function listing(...links: TrackingLink[]): Map<string, TrackingLink[]> {
  return new Map([[ACCOUNT, links]]);
}

function decisionFor(plan: ReturnType<typeof decideRecovery>, name: string) {
  return plan.decisions.find((d) => d.urn === URN(name));
}

describe("deciding which link each interrupted create made", () => {
  test("a pending create without an id gets the unmanaged link with its label and description, made since the last update", () => {
    const state = killedState();
    const made = [link("Link 21", "d"), link("Link 43", "d"), link("Link 44", "")];
    const plan = decideRecovery(state, listing(...managedLinks(state), ...made), LAST_UPDATE_ENDED);

    expect(plan.decisions.map((d) => [d.urn.split("::").at(-1), d.kind, d.kind === "adopt" ? d.link.id : ""])).toEqual([
      ["l21", "adopt", made[0]?.id],
      ["l43", "adopt", made[1]?.id],
      ["l44", "adopt", made[2]?.id],
    ]);
  });

  test("the recovered resource has the shape the provider's create() stores, and no pending operation is left", () => {
    const state = killedState();
    const made = link("Link 21", "d");
    const plan = decideRecovery(state, listing(...managedLinks(state), made, link("Link 43", "d"), link("Link 44", "")), LAST_UPDATE_ENDED);
    const edited = applyRecovery(state, plan, new Date(KILLED_AT));

    const created = (edited.deployment.resources ?? []).find((r) => r.urn === URN("l7"));
    const recovered = (edited.deployment.resources ?? []).find((r) => r.urn === URN("l21"));
    expect(recovered?.id).toBe(made.id);
    expect(Object.keys(recovered?.outputs ?? {}).sort()).toEqual(Object.keys(created?.outputs ?? {}).sort());
    expect(Object.keys(recovered ?? {}).sort()).toEqual(Object.keys(created ?? {}).sort());
    expect(recovered?.outputs).toMatchObject({ trackingLinkId: made.id, accountId: ACCOUNT, label: "Link 21", description: "d", adopted: false, type: 1000 });
    expect(recovered?.outputs?.__provider).toBe(created?.outputs?.__provider);
    expect(recovered?.outputs?.ownerToken).toMatch(/^[\w-]{8}$/);
    expect(recovered?.inputs).toEqual(state.deployment.pending_operations?.[0]?.resource.inputs);
    expect(recovered?.parent).toBe(created?.parent);
    expect(recovered?.provider).toBe(created?.provider);
    expect(edited.deployment.pending_operations).toEqual([]);
    // After everything it depends on: its parent and provider come first.
    const urns = (edited.deployment.resources ?? []).map((r) => r.urn);
    expect(urns.indexOf(URN("l21"))).toBeGreaterThan(urns.indexOf(String(recovered?.parent)));
  });

  test("the id the state recorded wins over a twin with the same label", () => {
    const state = killedState();
    const recorded = link("Link 21", "d");
    const twin = link("Link 21", "d");
    const pending = state.deployment.pending_operations?.[0];
    if (pending === undefined) throw new Error("fixture has no pending create");
    pending.resource.id = recorded.id;
    const plan = decideRecovery(state, listing(...managedLinks(state), twin, recorded), LAST_UPDATE_ENDED);

    expect(decisionFor(plan, "l21")).toMatchObject({ kind: "adopt", foundBy: "recorded id", link: { id: recorded.id } });
  });

  test("a link another resource in the state manages is never taken, even with the same label and description", () => {
    const state = killedState();
    const managed = managedLinks(state);
    const l7 = managed.find((l) => l.label === "Link 7");
    const pending = state.deployment.pending_operations?.[0];
    if (pending?.resource.inputs === undefined || l7 === undefined) throw new Error("fixture changed");
    pending.resource.inputs.label = "Link 7";
    const plan = decideRecovery(state, listing(...managed), LAST_UPDATE_ENDED);

    expect(decisionFor(plan, "l21")).toMatchObject({ kind: "clear", reason: "the interrupted run made no link for it" });
  });

  test("a recorded id another resource manages stops recovery instead of sharing the link", () => {
    const state = killedState();
    const pending = state.deployment.pending_operations?.[0];
    const owned = state.deployment.resources?.find((r) => r.urn === URN("l7"));
    if (pending === undefined || owned?.id === undefined) throw new Error("fixture changed");
    pending.resource.id = owned.id;
    const plan = decideRecovery(state, listing(...managedLinks(state)), LAST_UPDATE_ENDED);

    expect(decisionFor(plan, "l21")).toMatchObject({ kind: "stop" });
    expect(decisionFor(plan, "l21")).toHaveProperty("problem", expect.stringContaining(`already managed by ${URN("l7")}`));
    expect(canApply(plan)).toBe(false);
  });

  test("no link made: the pending create is cleared, so the next up creates it once", () => {
    const state = killedState();
    const plan = decideRecovery(state, listing(...managedLinks(state)), LAST_UPDATE_ENDED);
    const edited = applyRecovery(state, plan);

    expect(plan.decisions.map((d) => d.kind)).toEqual(["clear", "clear", "clear"]);
    expect(edited.deployment.resources).toEqual(state.deployment.resources);
    expect(edited.deployment.pending_operations).toEqual([]);
  });

  test("a matching link made before the last finished update (less 5 minutes of clock skew) is not the killed run's", () => {
    const state = killedState();
    const old = link("Link 21", "d", new Date(LAST_UPDATE_ENDED - 6 * 60_000).toISOString());
    const plan = decideRecovery(state, listing(...managedLinks(state), old), LAST_UPDATE_ENDED);

    expect(decisionFor(plan, "l21")?.kind).toBe("clear");
  });

  test("more matching unmanaged links than interrupted creates: stop, list them all, write nothing", () => {
    const state = killedState();
    const a = link("Link 21", "d");
    const b = link("Link 21", "d");
    const plan = decideRecovery(state, listing(...managedLinks(state), a, b), LAST_UPDATE_ENDED);

    const stop = decisionFor(plan, "l21");
    expect(stop?.kind).toBe("stop");
    expect(stop).toHaveProperty("problem", expect.stringContaining(`2 unmanaged links in account ${ACCOUNT} match label "Link 21"`));
    expect(stop).toHaveProperty("problem", expect.stringContaining(a.id));
    expect(stop).toHaveProperty("problem", expect.stringContaining(b.id));
    expect(canApply(plan)).toBe(false);
    expect(() => applyRecovery(state, plan)).toThrow(/nothing may be written/);
  });

  test("two interrupted creates of identical links take two different links", () => {
    const state = killedState();
    const second = state.deployment.pending_operations?.[1];
    if (second?.resource.inputs === undefined) throw new Error("fixture changed");
    second.resource.inputs.label = "Link 21";
    const a = link("Link 21", "d");
    const b = link("Link 21", "d");
    const plan = decideRecovery(state, listing(...managedLinks(state), a, b), LAST_UPDATE_ENDED);

    const ids = [decisionFor(plan, "l21"), decisionFor(plan, "l43")].map((d) => (d?.kind === "adopt" ? d.link.id : d?.kind));
    expect(ids.sort()).toEqual([a.id, b.id].sort());
  });

  test("an interrupted adoption (trackingLinkId) brings in that link, marked adopted", () => {
    const state = killedState();
    const existing = link("Link 21", "d", "2020-01-01T00:00:00.000Z");
    const pending = state.deployment.pending_operations?.[0];
    if (pending?.resource.inputs === undefined) throw new Error("fixture changed");
    pending.resource.inputs.trackingLinkId = existing.id;
    const plan = decideRecovery(state, listing(...managedLinks(state), existing), LAST_UPDATE_ENDED);
    const recovered = applyRecovery(state, { ...plan, decisions: plan.decisions.filter((d) => d.urn === URN("l21")) }).deployment.resources?.find((r) => r.urn === URN("l21"));

    expect(decisionFor(plan, "l21")).toMatchObject({ kind: "adopt", foundBy: "trackingLinkId" });
    expect(recovered?.outputs).toMatchObject({ adopted: true, trackingLinkId: existing.id });
  });

  test("a pending create whose resource is already in state (a later up made it again) is cleared, naming the leftover link", () => {
    const state = killedState();
    const pending = state.deployment.pending_operations?.[0];
    if (pending?.resource.inputs === undefined) throw new Error("fixture changed");
    pending.resource.urn = URN("l7");
    pending.resource.inputs.label = "Link 7";
    const leftover = link("Link 7", "d");
    const plan = decideRecovery(state, listing(...managedLinks(state), leftover), LAST_UPDATE_ENDED);
    const edited = applyRecovery(state, plan);

    expect(decisionFor(plan, "l7")).toMatchObject({ kind: "clear" });
    expect(decisionFor(plan, "l7")).toHaveProperty("reason", expect.stringContaining(`may be left over, to delete in Fansly if nobody made them by hand: ${leftover.id}`));
    // Nothing taken: the resource in state keeps its own link, the leftover is only named.
    expect(edited.deployment.resources?.filter((r) => r.urn === URN("l7"))).toEqual(state.deployment.resources?.filter((r) => r.urn === URN("l7")));
  });
});

describe("both faces, and stacks holding both", () => {
  test("a plugin-face pending create is recovered, stored as the plugin face's Create stores it: no __provider, no counters", () => {
    const state = onPluginFace(killedState(), ["l7", "l3", "l21", "l43", "l44"]);
    const made = link("Link 21", "d");
    const plan = decideRecovery(state, listing(...managedLinks(killedState()), made), LAST_UPDATE_ENDED);
    const edited = applyRecovery(state, plan, new Date(KILLED_AT));

    expect(plan.decisions.map((d) => [d.urn, d.kind])).toEqual([
      [PLUGIN_URN("l21"), "adopt"],
      [PLUGIN_URN("l43"), "clear"],
      [PLUGIN_URN("l44"), "clear"],
    ]);
    const created = edited.deployment.resources?.find((r) => r.urn === PLUGIN_URN("l7"));
    const recovered = edited.deployment.resources?.find((r) => r.urn === PLUGIN_URN("l21"));
    expect(recovered?.id).toBe(made.id);
    expect(Object.keys(recovered?.outputs ?? {}).sort()).toEqual(Object.keys(created?.outputs ?? {}).sort());
    expect(recovered?.outputs).not.toHaveProperty("__provider");
    expect(recovered?.outputs).not.toHaveProperty("clicks");
    expect(recovered?.outputs).toMatchObject({ trackingLinkId: made.id, accountId: ACCOUNT, label: "Link 21", description: "d", adopted: false, type: 1000 });
    expect(recovered?.provider).toBe(`${PLUGIN_PROVIDER}::0a1b2c3d`);
    expect(edited.deployment.pending_operations).toEqual([]);
  });

  test("a link a plugin-face resource manages is never put into a dynamic-face pending create with its label", () => {
    // l7 is on the plugin face; the dynamic face's interrupted l21 has l7's label and description.
    const state = onPluginFace(killedState(), ["l7"]);
    const pending = state.deployment.pending_operations?.[0];
    if (pending?.resource.inputs === undefined) throw new Error("fixture changed");
    pending.resource.inputs.label = "Link 7";
    const plan = decideRecovery(state, listing(...managedLinks(killedState())), LAST_UPDATE_ENDED);

    expect(decisionFor(plan, "l21")).toMatchObject({ kind: "clear", reason: "the interrupted run made no link for it" });
  });

  test("a link a dynamic-face resource manages is never put into a plugin-face pending create, nor its recorded id shared", () => {
    const state = onPluginFace(killedState(), ["l21", "l43"]);
    const [first, second] = state.deployment.pending_operations ?? [];
    const owned = state.deployment.resources?.find((r) => r.urn === URN("l7"));
    if (first?.resource.inputs === undefined || second === undefined || owned?.id === undefined) throw new Error("fixture changed");
    first.resource.inputs.label = "Link 7";
    second.resource.id = owned.id;
    const plan = decideRecovery(state, listing(...managedLinks(state)), LAST_UPDATE_ENDED);

    expect(plan.decisions.find((d) => d.urn === PLUGIN_URN("l21"))).toMatchObject({ kind: "clear" });
    const stopped = plan.decisions.find((d) => d.urn === PLUGIN_URN("l43"));
    expect(stopped?.kind).toBe("stop");
    expect(stopped).toHaveProperty("problem", expect.stringContaining(`already managed by ${URN("l7")}`));
  });

  test("interrupted creates of both faces with the same label take different links, each stored in its own face's shape", () => {
    const state = onPluginFace(killedState(), ["l43"]);
    const second = state.deployment.pending_operations?.[1];
    if (second?.resource.inputs === undefined) throw new Error("fixture changed");
    second.resource.inputs.label = "Link 21";
    const a = link("Link 21", "d");
    const b = link("Link 21", "d");
    const edited = applyRecovery(state, decideRecovery(state, listing(...managedLinks(state), a, b), LAST_UPDATE_ENDED));

    const dynamic = edited.deployment.resources?.find((r) => r.urn === URN("l21"));
    const plugin = edited.deployment.resources?.find((r) => r.urn === PLUGIN_URN("l43"));
    expect([dynamic?.id, plugin?.id].sort()).toEqual([a.id, b.id].sort());
    expect(dynamic?.outputs).toHaveProperty("__provider");
    expect(dynamic?.outputs).toHaveProperty("clicks", 0);
    expect(plugin?.outputs).not.toHaveProperty("__provider");
    expect(plugin?.outputs).not.toHaveProperty("clicks");
  });
});

// ------------------------------------------------------------------ the command, with `pulumi` faked

const API_KEY = "recover-canary-key-3f9a";

interface FakePulumi {
  calls: string[];
  imported: ExportedStack | undefined;
  run: (args: readonly string[]) => Promise<PulumiResult>;
}

/**
 * `historyPages`: what `stack history --json --page N` prints for N = 1, 2, …; `[]` past them. `revealed`: what
 * `stack export --show-secrets` prints.
 */
function fakePulumi(
  state: ExportedStack,
  options: { locked?: boolean; changedOnReread?: boolean; history?: string; historyPages?: unknown[][]; revealed?: ExportedStack } = {},
): FakePulumi {
  let exports = 0;
  let locked = options.locked === true;
  const fake: FakePulumi = {
    calls: [],
    imported: undefined,
    run: (args) => {
      const command = args.filter((a) => !a.startsWith("--stack") && a !== "dev").join(" ");
      fake.calls.push(command);
      const ok = (stdout: string): Promise<PulumiResult> => Promise.resolve({ code: 0, stdout, stderr: "" });
      if (command === "stack export --show-secrets") return ok(JSON.stringify(options.revealed ?? state));
      if (command.startsWith("stack export")) {
        exports += 1;
        // After an import the stack holds what was imported, pending operations dropped, as the CLI's would.
        if (fake.imported !== undefined) return ok(JSON.stringify({ ...fake.imported, deployment: { ...fake.imported.deployment, pending_operations: [] } }));
        const changed = options.changedOnReread === true && exports > 1;
        return ok(JSON.stringify(changed ? { ...state, deployment: { ...state.deployment, pending_operations: [] } } : state));
      }
      if (command.startsWith("config --json --show-secrets")) return ok(JSON.stringify({ "fansly:apiKey": { value: API_KEY, secret: true }, "fansly:baseUrl": { value: "http://127.0.0.1:9" } }));
      if (command.startsWith("stack history --json") && options.historyPages !== undefined) {
        const page = args.includes("--page") ? Number(args[args.indexOf("--page") + 1]) : 1;
        return ok(JSON.stringify(options.historyPages[page - 1] ?? []));
      }
      if (command.startsWith("stack history --json")) return ok(options.history ?? JSON.stringify([{ kind: "update", result: "succeeded", startTime: "2026-12-02T05:19:00.000Z", endTime: "2026-12-02T05:20:00.000Z" }]));
      if (command.startsWith("cancel --yes")) {
        locked = false;
        return ok("The currently running update for 'dev' has been canceled!");
      }
      if (command.startsWith("stack import --file")) {
        if (locked) {
          return Promise.resolve({ code: 255, stdout: "", stderr: "error: could not import deployment: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" });
        }
        const file = args[args.indexOf("--file") + 1] ?? "";
        fake.imported = ExportedStackSchema.parse(JSON.parse(readFileSync(file, "utf8")));
        return ok("Import complete.");
      }
      return Promise.resolve({ code: 1, stdout: "", stderr: `unexpected: pulumi ${command}` });
    },
  };
  return fake;
}

function recoverWith(fake: FakePulumi, links: TrackingLink[]) {
  const listed: string[][] = [];
  const command = makeRecover({
    runPulumi: () => fake.run,
    listLinks: (config, _env, accounts) => {
      listed.push([...accounts]);
      // The stack's own secret reaches the lookup, as the provider's configure() gets it.
      expect(config.get("fansly:apiKey")).toBe(API_KEY);
      return Promise.resolve(listing(...links));
    },
    now: () => new Date(KILLED_AT),
  });
  return { listed, run: (...args: string[]) => runCaptured(command, args) };
}

describe("pulumi-fansly recover", () => {
  test("nothing pending: prints nothing, exits 0, reads no config, lists nothing, writes nothing", async () => {
    const state = killedState();
    state.deployment.pending_operations = [];
    const fake = fakePulumi(state);
    const { run, listed } = recoverWith(fake, []);

    expect(await run("--stack", "dev")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(fake.calls).toEqual(["stack export"]);
    expect(listed).toEqual([]);
  });

  test("brings the made links into state with one `pulumi stack import`, prints what it did, never the key", async () => {
    const state = killedState();
    const fake = fakePulumi(state);
    const made = [link("Link 21", "d"), link("Link 43", "d")];
    const { run, listed } = recoverWith(fake, [...managedLinks(state), ...made]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(0);
    expect(listed).toEqual([[ACCOUNT]]);
    expect(fake.calls.filter((c) => c.startsWith("stack import"))).toHaveLength(1);
    expect(fake.imported?.deployment.pending_operations).toEqual([]);
    expect(fake.imported?.deployment.resources?.filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE).map((r) => r.id)).toEqual([...managedLinks(state).map((l) => l.id), made[0]?.id, made[1]?.id]);
    expect(result.stdout).toContain(`into state  l21: link ${made[0]?.id} ("Link 21"), found by its label and description`);
    expect(result.stdout).toContain("clear       l44: the interrupted run made no link for it");
    expect(result.stdout).toContain("done: 2 link(s) brought into state, 1 pending create(s) cleared");
    expect(result.stdout).toContain("links made since 2026-12-02T05:20:00.000Z, the end of the last succeeded update");
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
  });

  test("a locked stack: nothing written, and the message says to run `pulumi cancel` once no run holds it", async () => {
    const fake = fakePulumi(killedState(), { locked: true });
    const { run } = recoverWith(fake, [link("Link 21", "d")]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(1);
    expect(fake.imported).toBeUndefined();
    expect(result.stderr).toContain("the stack is locked, so nothing was written");
    expect(result.stderr).toContain("If no other pulumi command is running on this stack, run `pulumi cancel --stack dev`, then recover again");
  });

  test("--cancel-lock runs `pulumi cancel --yes` first, then recovers", async () => {
    const fake = fakePulumi(killedState(), { locked: true });
    const { run } = recoverWith(fake, [link("Link 21", "d")]);

    const result = await run("--stack", "dev", "--cancel-lock");

    expect(result.code).toBe(0);
    expect(fake.calls[0]).toBe("cancel --yes");
    expect(fake.imported?.deployment.pending_operations).toEqual([]);
  });

  test("ambiguous: stops with the list, exit 1, nothing written", async () => {
    const fake = fakePulumi(killedState());
    const { run } = recoverWith(fake, [link("Link 21", "d"), link("Link 21", "d")]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(1);
    expect(fake.calls.some((c) => c.startsWith("stack import"))).toBe(false);
    expect(result.stderr).toContain("stopped, nothing written");
    expect(result.stderr).toMatch(/STOPPED {5}l21: 2 unmanaged links in account fansly_demo match label "Link 21"/);
  });

  test("--dry-run says what it would do and writes nothing", async () => {
    const fake = fakePulumi(killedState());
    const { run } = recoverWith(fake, [link("Link 21", "d")]);

    const result = await run("--dry-run");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("dry run: nothing written");
    expect(fake.calls.some((c) => c.startsWith("stack import") || c.startsWith("cancel"))).toBe(false);
  });

  test("a state that changed while recover looked (another run finished) is not overwritten", async () => {
    const fake = fakePulumi(killedState(), { changedOnReread: true });
    const { run } = recoverWith(fake, [link("Link 21", "d")]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(1);
    expect(fake.imported).toBeUndefined();
    expect(result.stderr).toContain("the stack's state changed while recover was looking");
  });

  test("no succeeded update on record: says any unmanaged link may match", async () => {
    const fake = fakePulumi(killedState(), { history: "[]" });
    const { run } = recoverWith(fake, [link("Link 21", "d", "2020-01-01T00:00:00.000Z")]);

    const result = await run("--stack", "dev");

    expect(result.stdout).toContain("no succeeded update on record: any unmanaged link may match");
    expect(result.stdout).toContain("into state  l21");
  });

  test("a refresh, a failed up and an import after the kill do not move the window: the killed run's link is still found", async () => {
    const history = [
      { kind: "update", result: "succeeded", startTime: "2026-12-02T05:19:00.000Z", endTime: "2026-12-02T05:20:00.000Z" },
      // All after the kill at 05:23:30, each more than 5 minutes later.
      { kind: "refresh", result: "succeeded", startTime: "2026-12-02T05:40:00.000Z", endTime: "2026-12-02T05:40:20.000Z" },
      { kind: "update", result: "failed", startTime: "2026-12-02T05:45:00.000Z", endTime: "2026-12-02T05:45:05.000Z" },
      { kind: "import", result: "succeeded", startTime: "2026-12-02T05:50:00.000Z", endTime: "2026-12-02T05:50:01.000Z" },
    ];
    const fake = fakePulumi(killedState(), { history: JSON.stringify(history) });
    const made = link("Link 21", "d", KILLED_AT);
    const { run } = recoverWith(fake, [...managedLinks(killedState()), made]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("links made since 2026-12-02T05:20:00.000Z, the end of the last succeeded update");
    expect(result.stdout).toContain(`into state  l21: link ${made.id}`);
  });

  test("the last succeeded update behind pages of refreshes (an hourly drift check) still bounds the window", async () => {
    const refreshes = Array.from({ length: 60 }, (_, i) => {
      const at = Date.parse("2026-12-02T06:00:00Z") + (60 - i) * 3_600_000;
      return { kind: "refresh", result: "succeeded", startTime: new Date(at).toISOString(), endTime: new Date(at + 20_000).toISOString() };
    });
    const update = { kind: "update", result: "succeeded", startTime: "2026-12-02T05:19:00.000Z", endTime: "2026-12-02T05:20:00.000Z" };
    const fake = fakePulumi(killedState(), { historyPages: [refreshes.slice(0, 50), [...refreshes.slice(50), update]] });
    const made = link("Link 21", "d", KILLED_AT);
    // Older than the update, less 5 minutes: not the killed run's, and with a window left open it would be a second candidate.
    const old = link("Link 21", "d", "2026-12-01T00:00:00.000Z");
    const { run } = recoverWith(fake, [...managedLinks(killedState()), old, made]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("links made since 2026-12-02T05:20:00.000Z, the end of the last succeeded update");
    expect(result.stdout).toContain(`into state  l21: link ${made.id}`);
  });

  test("a plugin-face create made with an explicit Provider: its account is listed with that provider's key, the others with the stack's", async () => {
    const AGENCY_KEY = "agency-canary-key-90c1";
    const agency = "urn:pulumi:dev::fansly-e2e::pulumi:providers:fansly::agency";
    const withProvider = (apiKey: unknown): ExportedStack => {
      const state = onPluginFace(killedState(), ["l7", "l3", "l21", "l43", "l44"]);
      const provider = { urn: agency, custom: true, id: "5e6f", type: "pulumi:providers:fansly", inputs: { accountId: "fansly_agency", apiKey, maxRetries: 0 } };
      state.deployment.resources = [...(state.deployment.resources ?? []), provider];
      const pending = state.deployment.pending_operations?.[1];
      if (pending?.resource.inputs === undefined) throw new Error("fixture changed");
      pending.resource.provider = `${agency}::5e6f`;
      pending.resource.inputs.accountId = "fansly_agency";
      return state;
    };
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
    const fake = fakePulumi(withProvider({ ...secret, ciphertext: "v1:abc" }), { revealed: withProvider({ ...secret, plaintext: JSON.stringify(AGENCY_KEY) }) });
    const listed: [string | undefined, string | undefined, string[]][] = [];
    const made = { ...link("Link 43", "d"), id: "845759435999999999" };
    const command = makeRecover({
      runPulumi: () => fake.run,
      listLinks: (config, _env, accounts) => {
        listed.push([config.get("fansly:apiKey"), config.get("fansly:maxRetries"), [...accounts]]);
        return Promise.resolve(new Map(accounts.map((account) => [account, account === "fansly_agency" ? [made] : managedLinks(killedState())])));
      },
      now: () => new Date(KILLED_AT),
    });

    const result = await runCaptured(command, ["--stack", "dev"]);

    expect(result.code).toBe(0);
    expect(listed).toEqual([
      [API_KEY, undefined, [ACCOUNT]],
      [AGENCY_KEY, "0", ["fansly_agency"]],
    ]);
    expect(result.stdout).toContain(`into state  l43: link ${made.id}`);
    expect(result.stdout + result.stderr).not.toContain(AGENCY_KEY);
  });

  test("another resource's interrupted create: stops naming it and writes nothing (stack import would drop it); --drop-other-pending-creates drops it and says so", async () => {
    const state = killedState();
    const bucket = { type: "creating", resource: { urn: "urn:pulumi:dev::fansly-e2e::aws:s3/bucket:Bucket::assets", custom: true, type: "aws:s3/bucket:Bucket", inputs: {} } };
    state.deployment.pending_operations = [...(state.deployment.pending_operations ?? []), bucket];
    const fake = fakePulumi(state);
    const { run } = recoverWith(fake, [link("Link 21", "d")]);

    const stopped = await run("--stack", "dev");

    expect(stopped.code).toBe(1);
    expect(fake.imported).toBeUndefined();
    expect(stopped.stderr).toContain("stopped, nothing written: other resources' creates were interrupted too:\n  urn:pulumi:dev::fansly-e2e::aws:s3/bucket:Bucket::assets");
    expect(stopped.stderr).toContain("`pulumi stack import`, which drops every pending operation");
    expect(stopped.stderr).toContain("npx pulumi-fansly recover --drop-other-pending-creates --stack dev");

    const dropped = await run("--stack", "dev", "--drop-other-pending-creates");

    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain("dropped (--drop-other-pending-creates): urn:pulumi:dev::fansly-e2e::aws:s3/bucket:Bucket::assets");
    expect(dropped.stdout).not.toContain("left alone");
  });

  test("interrupted updates and deletes of any type: recovered, and the output says their records are dropped, not left alone", async () => {
    const state = killedState();
    const l7 = state.deployment.resources?.find((r) => r.urn === URN("l7"));
    if (l7 === undefined) throw new Error("fixture changed");
    const deleting = { type: "deleting", resource: l7 };
    const updating = { type: "updating", resource: { urn: "urn:pulumi:dev::fansly-e2e::random:index/randomPet:RandomPet::pet", custom: true, type: "random:index/randomPet:RandomPet" } };
    state.deployment.pending_operations = [...(state.deployment.pending_operations ?? []), deleting, updating];
    const fake = fakePulumi(state);
    const { run } = recoverWith(fake, [...managedLinks(state), link("Link 21", "d")]);

    const result = await run("--stack", "dev");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`dropped: 2 record(s) of interrupted deleting/updating operations (${URN("l7")}, urn:pulumi:dev::fansly-e2e::random:index/randomPet:RandomPet::pet)`);
    expect(result.stdout).toContain("Pulumi's own next run drops these too");
    expect(result.stdout).not.toContain("left alone");
  });

  test("an unknown flag is a usage error (exit 2); --help exits 0", async () => {
    const fake = fakePulumi(killedState());
    const { run } = recoverWith(fake, []);

    const bad = await run("--stak", "dev");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("usage: pulumi-fansly recover");
    expect((await run("--help")).code).toBe(0);
    expect(fake.calls).toEqual([]);
  });
});
