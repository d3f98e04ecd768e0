/**
 * `npm run bench` (issue 12): measures the package as users install it, against the emulator, next to a naive
 * baseline, and writes test/bench/results.json and test/bench/results.md (each figure beside its target).
 * Not part of `npm test`: it takes several minutes and its figures depend on the machine and its load.
 *
 * Environment: BENCH_LINKS (default 1000), BENCH_ONLY (comma list of serialized, host, ratelimit, cli; and fleet,
 * which only runs when named: it takes most of an hour at full size), and BENCH_CLI_VARIANTS (default
 * "ours,plugin,naive": the dynamic face, the plugin face, the naive baseline) to shorten a run while working on one side.
 * The fleet phase: BENCH_FLEET_LINKS / BENCH_FLEET_ACCOUNTS (default 10000 / 50, limits lifted),
 * BENCH_FLEET_LIMITED_LINKS / BENCH_FLEET_LIMITED_ACCOUNTS (default 2400 / 8, at 600/min), BENCH_FLEET_CONCURRENCY
 * (default 2), BENCH_FLEET_PARTS (default "lifted,limited"; add "split" for the even split beside the coordinator,
 * "one-stack" for one stack's checkpointed steps at the lifted size (≈ 85 min at 10,000 links), "large" for the
 * fleet's `up` at the lifted size against an emulator enforcing 600/min (≈ 18 min at 10,000)).
 */
import { readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem, type as osType, release } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { prepareCliStack, runCli, BENCH_ACCOUNT, BENCH_KEY, CLI_STEPS, CLI_STEP_COMMANDS, type CliFigures, type Variant } from "./cliBench";
import { coldStart, lifecycle, rateLimited, rawUndici, type ColdStart, type LifecycleFigures, type ProviderTextFor, type RateLimitFigures } from "./hostBench";
import { loadAverage, median } from "./measure";
import { extractedStack, linkedStack, packPackage, removeScratch, REPO, sdkVersion, serializedIn } from "./packedStack";
import { renderMarkdown, type Figure } from "./report";
import { liftedFleet, limitedFleet, type LiftedFigures, type LimitedFigures, type StepTime } from "./fleetBench";

const LINKS = Number(process.env.BENCH_LINKS ?? "1000");
const PHASES = new Set((process.env.BENCH_ONLY ?? "serialized,host,ratelimit,cli").split(","));
const FLEET = {
  lifted: { links: Number(process.env.BENCH_FLEET_LINKS ?? "10000"), accounts: Number(process.env.BENCH_FLEET_ACCOUNTS ?? "50") },
  limited: { links: Number(process.env.BENCH_FLEET_LIMITED_LINKS ?? "2400"), accounts: Number(process.env.BENCH_FLEET_LIMITED_ACCOUNTS ?? "8") },
  concurrency: Number(process.env.BENCH_FLEET_CONCURRENCY ?? "2"),
  parts: new Set((process.env.BENCH_FLEET_PARTS ?? "lifted,limited").split(",")),
  rate: 600,
};
const IN_FLIGHT = 32;
const LATENCY_MS = 20;
const COLD_STARTS = 5;
/** Rates for the rate-limit runs: the Starter plan for real (the limiter must wait), and a fast one (it must not). */
const RATES = [600, 6_000];

const TARGETS = {
  providerBytes: 300,
  bytesPerLink: 1_800,
  upMs: 35_000,
  destroyMs: 35_000,
  previewMs: 6_000,
  refreshMs: 3_000,
  hostVsRaw: 1.2,
  coldStartMs: 400,
  peakRssMb: 150,
  rateLimitFactor: 1.1,
  /** Issue 30: the fleet's `up` at most 1.5 × (one stack's `up` without checkpoints + the API floor at 600/min). */
  fleetVsEngineAndFloor: 1.5,
  /** The plugin face (issue 19): no provider text in state, and its `up`/`destroy` against the dynamic face's. */
  pluginBytesPerLink: 1_000,
  pluginVsDynamic: 0.6,
} as const;

const OURS_PROVIDER = 'require("pulumi-fansly").trackingLinkProvider';
function naiveProviderExpression(url: string): string {
  const settings = JSON.stringify({ baseUrl: url, apiKey: BENCH_KEY, accountId: BENCH_ACCOUNT });
  return `require("./provider.js").naiveProvider(${settings})`;
}

/** The cached Pulumi CLI matching the repository's SDK (src/toolchain/build-pulumi.sh builds it once if missing). */
async function pulumiBin(): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", [join(REPO, "src", "toolchain", "build-pulumi.sh")], { maxBuffer: 64 * 1024 * 1024 });
  const bin = stdout.trim().split("\n").at(-1);
  if (bin === undefined || bin === "") throw new Error("build-pulumi.sh printed no bin folder");
  return bin;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function versionOf(packageDir: string): Promise<string> {
  return (JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const loadAtStart = loadAverage();
  log(`${LINKS} links; load ${loadAtStart.join(" ")}; packing the package…`);
  const packed = await packPackage();
  let bin: string | undefined;
  try {
    bin = PHASES.has("cli") || PHASES.has("fleet") ? await pulumiBin() : undefined;
    const variants = (process.env.BENCH_CLI_VARIANTS ?? "ours,plugin,naive").split(",");
    const stacks: Record<Variant, string> = {
      ours: PHASES.has("serialized") || PHASES.has("host") || PHASES.has("ratelimit") || PHASES.has("cli") ? await prepareCliStack(packed, "ours", LINKS) : "",
      // Only the CLI phase runs the plugin face: skip installing its stack when that phase will not.
      plugin: PHASES.has("cli") && variants.includes("plugin") ? await prepareCliStack(packed, "plugin", LINKS) : "",
      naive: PHASES.has("serialized") || PHASES.has("host") || PHASES.has("ratelimit") || PHASES.has("cli") ? await prepareCliStack(packed, "naive", LINKS) : "",
    };
    const textFor: Record<"ours" | "naive", ProviderTextFor> = {
      ours: async () => serializedIn(stacks.ours, OURS_PROVIDER),
      naive: async (url) => serializedIn(stacks.naive, naiveProviderExpression(url)),
    };

    if (PHASES.has("serialized")) {
      log("serialized provider text, per install form");
      const installed = await textFor.ours("");
      const extracted = await serializedIn(await extractedStack(packed, "extracted"), OURS_PROVIDER);
      const linked = await serializedIn(await linkedStack(packed, "linked"), OURS_PROVIDER);
      const naive = await textFor.naive("http://127.0.0.1:8787");
      const bytes = (text: string): number => Buffer.byteLength(text);
      details.serialized = {
        installed: { bytes: bytes(installed), text: installed },
        extracted: { bytes: bytes(extracted), sameAsInstalled: extracted === installed },
        linked: { bytes: bytes(linked) },
        naive: { bytes: bytes(naive), holdsTheKey: naive.includes(BENCH_KEY) },
      };
      figures.push({
        name: "`__provider` bytes (npm install of the packed tarball)",
        ours: bytes(installed),
        naive: bytes(naive),
        target: `≤ ${TARGETS.providerBytes}`,
        met: bytes(installed) <= TARGETS.providerBytes,
        note: `tarball unpacked into node_modules: ${bytes(extracted)}; symlinked package (npm link / file: folder): ${bytes(linked)} (copied by value)`,
      });
    }

    if (PHASES.has("host")) {
      log(`host: ${COLD_STARTS} cold starts each`);
      const cold: Record<"ours" | "naive", ColdStart[]> = { ours: [], naive: [] };
      for (let i = 0; i < COLD_STARTS; i++) {
        for (const variant of ["ours", "naive"] as const) cold[variant].push(await coldStart(stacks[variant], variant, textFor[variant]));
      }
      const coldMs = (variant: "ours" | "naive"): number => Math.round(median(cold[variant].map((c) => c.firstReplyMs)));
      details.coldStart = cold;
      figures.push({
        name: `host cold start to first reply, ms (median of ${COLD_STARTS})`,
        ours: coldMs("ours"),
        naive: coldMs("naive"),
        target: `≤ ${TARGETS.coldStartMs}`,
        met: coldMs("ours") <= TARGETS.coldStartMs,
        note: `spawn → port printed: ${Math.round(median(cold.ours.map((c) => c.portMs)))} ms (the SDK's host alone)`,
      });

      log(`host: ${LINKS} creates + ${LINKS} deletes, ${IN_FLIGHT} in flight, ${LATENCY_MS} ms latency (raw, ours, naive, raw)`);
      const rawBefore = await rawUndici(LINKS, IN_FLIGHT, LATENCY_MS);
      const ours = await lifecycle(stacks.ours, "ours", textFor.ours, LINKS, IN_FLIGHT, LATENCY_MS);
      const naive = await lifecycle(stacks.naive, "naive", textFor.naive, LINKS, IN_FLIGHT, LATENCY_MS);
      const rawAfter = await rawUndici(LINKS, IN_FLIGHT, LATENCY_MS);
      const runs = { rawBefore, ours, naive, rawAfter };
      details.host = runs;
      const total = (r: LifecycleFigures): number => r.createMs + r.deleteMs;
      const raw = (total(rawBefore) + total(rawAfter)) / 2;
      const ratio = (r: LifecycleFigures): number => Math.round((total(r) / raw) * 100) / 100;
      const ideal = Math.round(((2 * LINKS) / IN_FLIGHT) * LATENCY_MS);
      figures.push({
        name: `host: ${LINKS} creates + ${LINKS} deletes, × raw undici (same run)`,
        ours: ratio(ours),
        naive: ratio(naive),
        target: `≤ ${TARGETS.hostVsRaw}`,
        met: ratio(ours) <= TARGETS.hostVsRaw && ours.failures === 0,
        note: `ms: ours ${Math.round(total(ours))}, naive ${Math.round(total(naive))}, raw ${Math.round(raw)}; ideal ${ideal}`,
      });
      const retries = ours.retries;
      figures.push({
        name: "host: connections opened during that run",
        ours: ours.connections,
        naive: naive.connections,
        target: `≤ ${IN_FLIGHT} + retries (${retries})`,
        met: ours.connections <= IN_FLIGHT + retries,
        note: `raw undici: ${rawBefore.connections}`,
      });
      figures.push({
        name: "host peak RSS over that run, MB",
        ours: ours.peakRssMb ?? Number.NaN,
        naive: naive.peakRssMb ?? Number.NaN,
        target: `≤ ${TARGETS.peakRssMb}`,
        met: (ours.peakRssMb ?? Infinity) <= TARGETS.peakRssMb,
        note: "VmHWM of the host process",
      });
    }

    if (PHASES.has("ratelimit")) {
      const limited: RateLimitFigures[] = [];
      for (const rate of RATES) {
        log(`rate limit: ${LINKS} creates against an emulator enforcing ${rate}/min (ours)`);
        limited.push(await rateLimited(stacks.ours, "ours", textFor.ours, rate, LINKS, IN_FLIGHT));
      }
      log(`rate limit: the naive baseline at ${RATES[0] ?? 600}/min`);
      const naiveLimited = await rateLimited(stacks.naive, "naive", textFor.naive, RATES[0] ?? 600, LINKS, IN_FLIGHT);
      details.rateLimit = { ours: limited, naive: naiveLimited };
      for (const result of limited) {
        const floorMs = (LINKS / result.rate) * 60_000;
        const factor = Math.round((result.ms / floorMs) * 100) / 100;
        const isFirst = result.rate === RATES[0];
        figures.push({
          name: `${LINKS} creates vs an emulator enforcing ${result.rate}/min: 429s; time × N/rate`,
          ours: `${result.status429} × 429, ${(result.ms / 1000).toFixed(1)} s = ${factor} × ${(floorMs / 1000).toFixed(0)} s`,
          naive: isFirst ? `${naiveLimited.status429} × 429, ${naiveLimited.failed} creates failed` : "",
          target: `0 × 429, ≤ ${TARGETS.rateLimitFactor} × N/rate`,
          met: result.status429 === 0 && result.failed === 0 && factor <= TARGETS.rateLimitFactor,
          note: `created ${result.created}/${result.links}`,
        });
      }
    }

    if (PHASES.has("cli") && bin !== undefined) {
      const cli: Partial<Record<Variant, CliFigures>> = {};
      for (const variant of (["ours", "plugin", "naive"] as const).filter((v) => variants.includes(v))) {
        log(`CLI: up, preview, destroy of ${LINKS} links (${variant}); client and emulator rate limits lifted`);
        cli[variant] = await runCli(bin, stacks[variant], variant, LINKS);
      }
      details.cli = cli;
      const { ours, plugin, naive } = cli;
      const seconds = (ms: number | undefined): number => Math.round((ms ?? Number.NaN) / 100) / 10;
      figures.push({
        name: "state bytes per link after `up` (compact JSON)",
        ours: ours?.state.bytesPerLink ?? Number.NaN,
        naive: naive?.state.bytesPerLink ?? Number.NaN,
        target: `≤ ${TARGETS.bytesPerLink}`,
        met: (ours?.state.bytesPerLink ?? Infinity) <= TARGETS.bytesPerLink,
        note:
          ours === undefined
            ? ""
            : `per link: provider text ×2 ${ours.state.perLink.provider}, other inputs/outputs ${ours.state.perLink.inputsAndOutputs}, ` +
              `Pulumi's metadata (URNs, timestamps, source position, stack trace) ${ours.state.perLink.pulumiMetadata}`,
      });
      const targetMs: Partial<Record<(typeof CLI_STEPS)[number], number>> = {
        up: TARGETS.upMs,
        preview: TARGETS.previewMs,
        refresh: TARGETS.refreshMs,
        destroy: TARGETS.destroyMs,
      };
      for (const step of CLI_STEPS) {
        const target = targetMs[step];
        const mine = ours?.steps[step];
        const theirs = naive?.steps[step];
        const requests = (figures?: { requests: number; listings: number }): string =>
          figures === undefined ? "?" : `${figures.requests} requests (${figures.listings} listings)`;
        figures.push({
          name: `${CLI_STEP_COMMANDS[step].title} of ${LINKS} links, s`,
          ours: seconds(mine?.ms),
          naive: seconds(theirs?.ms),
          target: target === undefined ? "–" : `≤ ${target / 1000}`,
          met: target === undefined ? true : (mine?.ms ?? Infinity) <= target,
          note: `API: ours ${requests(mine)}, naive ${requests(theirs)}; load before/after (1 min): ${ours?.load.before[0] ?? "?"} / ${ours?.load.after[0] ?? "?"}`,
        });
      }
      if (plugin !== undefined) figures.push(...pluginFaceFigures(plugin, ours));
    }

    if (PHASES.has("fleet") && bin !== undefined) {
      const fleetBin = bin;
      const fleet: { lifted?: LiftedFigures; limited: LimitedFigures[] } = { limited: [] };
      if (FLEET.parts.has("lifted")) fleet.lifted = await liftedFleet(fleetBin, packed, FLEET.lifted, FLEET.concurrency, FLEET.parts.has("one-stack"), log);
      for (const sharing of ["coordinator", "even split"] as const) {
        if (!FLEET.parts.has("limited") || (sharing === "even split" && !FLEET.parts.has("split"))) continue;
        fleet.limited.push(await limitedFleet(fleetBin, packed, FLEET.limited, FLEET.concurrency, FLEET.rate, sharing, log));
      }
      // The lifted run's size at the Starter plan's rate: the fleet's `up` as a user at that rate waits for it.
      if (FLEET.parts.has("large")) fleet.limited.push(await limitedFleet(fleetBin, packed, FLEET.lifted, FLEET.concurrency, FLEET.rate, "coordinator", log));
      details.fleet = fleet;
      figures.push(...fleetFigures(fleet.lifted, fleet.limited, FLEET.rate));
    }
  } finally {
    await removeScratch(packed);
  }

  const repoModules = join(REPO, "node_modules");
  const results = {
    generatedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    links: LINKS,
    inFlight: IN_FLIGHT,
    latencyMs: LATENCY_MS,
    machine: {
      os: `${osType()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(totalmem() / 2 ** 30),
      loadAverage: { start: loadAtStart, end: loadAverage() },
    },
    versions: {
      node: process.version,
      pulumiFansly: packed.version,
      pulumiSdk: await sdkVersion(),
      pulumiCli: bin === undefined ? undefined : bin.split("/").at(-2),
      undici: await versionOf(join(repoModules, "undici")),
      zod: await versionOf(join(repoModules, "zod")),
    },
    figures,
    details,
  };
  const out = join(REPO, "test", "bench");
  // The fleet phase alone (it is never in the default run) writes its own files, leaving the other phases' figures.
  const stem = PHASES.size === 1 && PHASES.has("fleet") ? "results-fleet" : "results";
  await writeFile(join(out, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  await writeFile(join(out, `${stem}.md`), markdown);
  process.stdout.write(markdown);
}

/**
 * The plugin face beside the dynamic face ("Ours" is the plugin face in these rows, "Naive baseline" the dynamic
 * face), both measured in this run with the client's and the emulator's rate limits lifted.
 */
function pluginFaceFigures(plugin: CliFigures, dynamic: CliFigures | undefined): Figure[] {
  const seconds = (ms: number | undefined): number => Math.round((ms ?? Number.NaN) / 100) / 10;
  const { perLink } = plugin.state;
  const figures: Figure[] = [
    {
      name: "plugin face: state bytes per link after `up` (vs the dynamic face)",
      ours: plugin.state.bytesPerLink,
      naive: dynamic?.state.bytesPerLink ?? Number.NaN,
      target: `≤ ${TARGETS.pluginBytesPerLink}`,
      met: plugin.state.bytesPerLink <= TARGETS.pluginBytesPerLink,
      note: `per link: inputs/outputs ${perLink.inputsAndOutputs}, Pulumi's metadata (URNs, provider reference, timestamps, source position, stack trace) ${perLink.pulumiMetadata}`,
    },
  ];
  for (const step of ["up", "destroy"] as const) {
    const ratio = dynamic === undefined ? Number.NaN : Math.round((plugin.steps[step].ms / dynamic.steps[step].ms) * 100) / 100;
    figures.push({
      name: `plugin face: ${CLI_STEP_COMMANDS[step].title} of ${LINKS} links, s (× the dynamic face's)`,
      ours: `${seconds(plugin.steps[step].ms)} (${ratio} ×)`,
      naive: seconds(dynamic?.steps[step].ms),
      target: `≤ ${TARGETS.pluginVsDynamic} ×`,
      met: ratio <= TARGETS.pluginVsDynamic,
      note: `API: ${plugin.steps[step].requests} requests; client and emulator rate limits lifted; load before/after (1 min): ${plugin.load.before[0] ?? "?"} / ${plugin.load.after[0] ?? "?"}`,
    });
  }
  const bare = plugin.withoutCheckpoints;
  const bareDynamic = dynamic?.withoutCheckpoints;
  if (bare !== undefined) {
    for (const step of ["up", "destroy"] as const) {
      const ratio = bareDynamic === undefined ? Number.NaN : Math.round((bare[step].ms / bareDynamic[step].ms) * 100) / 100;
      figures.push({
        name: `plugin face: ${CLI_STEP_COMMANDS[step].title} of ${LINKS} links with PULUMI_SKIP_CHECKPOINTS=true, s (× the dynamic face's)`,
        ours: `${seconds(bare[step].ms)} (${ratio} ×)`,
        naive: seconds(bareDynamic?.[step].ms),
        target: "–",
        met: true,
        note: "the time the faces themselves decide: the engine's state write after every step (the same for both faces) left out",
      });
    }
  }
  for (const step of ["preview", "refresh"] as const) {
    figures.push({
      name: `plugin face: ${CLI_STEP_COMMANDS[step].title} of ${LINKS} links, s`,
      ours: seconds(plugin.steps[step].ms),
      naive: seconds(dynamic?.steps[step].ms),
      target: "–",
      met: true,
      note: `API: ${plugin.steps[step].requests} requests (${plugin.steps[step].listings} listings)`,
    });
  }
  return figures;
}

/** The fleet phase's rows: one stack beside the fleet (limits lifted), and the fleet at the Starter plan's rate. */
function fleetFigures(lifted: LiftedFigures | undefined, limited: readonly LimitedFigures[], rate: number): Figure[] {
  const s = (step: StepTime | undefined): string => (step === undefined ? "–" : `${(step.ms / 1000).toFixed(1)}${step.code !== undefined && step.code !== 0 ? ` (exit ${step.code})` : ""}`);
  const figures: Figure[] = [];
  if (lifted !== undefined) {
    const where = `${lifted.links} links in ${lifted.accounts} accounts; client and emulator limits lifted; load before/after (1 min): ${lifted.load.before[0] ?? "?"} / ${lifted.load.after[0] ?? "?"}`;
    for (const name of ["up", "preview", "drift", "destroy"] as const) {
      figures.push({
        name: `fleet: \`${name}\` of ${lifted.links} links, s — ${lifted.accounts} stacks, ${lifted.concurrency} at a time (vs one stack)`,
        ours: s(lifted.fleet[name]),
        naive: s(lifted.oneStack[name]),
        target: "–",
        met: true,
        note: `${where}; API requests: fleet ${lifted.fleet[name].requests}, one stack ${lifted.oneStack[name]?.requests ?? "not run (BENCH_FLEET_PARTS one-stack)"}`,
      });
    }
    const floorMs = (lifted.links / rate) * 60_000;
    const bound = lifted.oneStack.upWithoutCheckpoints.ms + floorMs;
    // The fleet's `up` at the plan's rate when the "large" part ran, else its `up` with limits lifted.
    const atRate = limited.find((run) => run.links === lifted.links && run.accounts === lifted.accounts && run.sharing === "coordinator");
    const fleetUp = atRate?.up ?? lifted.fleet.up;
    const factor = Math.round((fleetUp.ms / bound) * 100) / 100;
    figures.push({
      name: `fleet: \`up\` ${atRate === undefined ? "(limits lifted)" : `at ${rate}/min`} vs (one stack's \`up\` without checkpoints + ${lifted.links} / ${rate} min), ×`,
      ours: factor,
      naive: "",
      target: `≤ ${TARGETS.fleetVsEngineAndFloor}`,
      met: factor <= TARGETS.fleetVsEngineAndFloor,
      note: `fleet up ${s(fleetUp)} s; one stack without checkpoints ${s(lifted.oneStack.upWithoutCheckpoints)} s; floor ${(floorMs / 1000).toFixed(0)} s`,
    });
  }
  for (const run of limited) {
    const factor = Math.round((run.up.ms / run.floorMs) * 100) / 100;
    figures.push({
      name: `fleet (${run.sharing}): \`up\` of ${run.links} links in ${run.accounts} stacks, ${run.concurrency} at a time, emulator enforcing ${run.rate}/min`,
      ours: `${run.up.status429} × 429, ${(run.up.ms / 1000).toFixed(1)} s = ${factor} × ${(run.floorMs / 1000).toFixed(0)} s`,
      naive: "",
      target: `0 × 429, ≤ ${TARGETS.rateLimitFactor} × floor`,
      met: run.up.status429 === 0 && run.created === run.links && factor <= TARGETS.rateLimitFactor,
      note: `created ${run.created}/${run.links}; ${run.up.requests} requests; exit ${run.up.code ?? "?"}; load before/after (1 min): ${run.load.before[0] ?? "?"} / ${run.load.after[0] ?? "?"}`,
    });
  }
  return figures;
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
