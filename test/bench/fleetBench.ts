/**
 * The fleet phase (issue 30; `BENCH_ONLY=fleet npm run bench`, not in the default phases): an agency's links in one
 * stack against the same links in a stack per account run by `pulumi-fansly fleet`, through the real CLI and the
 * package as users install it, against the emulator.
 *
 * - lifted: client and emulator rate limits lifted (Pulumi and the provider measured): one stack vs the fleet, each
 *   through `up`, `preview`, the drift check and `destroy`; and one stack's `up` with PULUMI_SKIP_CHECKPOINTS, the
 *   time the engine needs without its per-step state writes.
 * - limited: the emulator enforcing the Starter plan's 600/min: the fleet's `up` against the floor links / rate,
 *   with the 429s the emulator sent.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { PulumiCli } from "../e2e/pulumiCli";
import { BENCH_KEY } from "./cliBench";
import { loadAverage, timed } from "./measure";
import { installedStack, type PackedPackage } from "./packedStack";

/** High enough never to bind (as cliBench's runs). */
const UNBINDING_RATE_LIMIT = 1_000_000;
const ONE_STACK = "all";
/** One stack of 10,000 links takes over an hour on 2 cores: no command of this phase is cut off before 3 hours. */
const COMMAND_TIMEOUT_MS = 3 * 60 * 60_000;

export interface FleetSize {
  links: number;
  accounts: number;
}

export interface StepTime {
  ms: number;
  requests: number;
  status429: number;
  /** The fleet command's exit code (0: every stack succeeded). */
  code?: number;
}

export interface LiftedFigures extends FleetSize {
  concurrency: number;
  /** One stack's steps with checkpoints only when asked for (BENCH_FLEET_PARTS "one-stack": 85 min at 10,000 links). */
  oneStack: { up?: StepTime; preview?: StepTime; drift?: StepTime; destroy?: StepTime; upWithoutCheckpoints: StepTime };
  fleet: { up: StepTime; preview: StepTime; drift: StepTime; destroy: StepTime };
  load: { before: number[]; after: number[] };
}

export interface LimitedFigures extends FleetSize {
  concurrency: number;
  rate: number;
  /** How the stacks shared the rate: one coordinator, or limit / concurrency set per stack. */
  sharing: "coordinator" | "even split";
  up: StepTime;
  floorMs: number;
  created: number;
  load: { before: number[]; after: number[] };
}

function accountsOf(size: FleetSize): string[] {
  return Array.from({ length: size.accounts }, (_, i) => `fansly_bench_${String(i).padStart(3, "0")}`);
}

function stackOf(account: string): string {
  return account.replaceAll("_", "-");
}

/** links/<stack>.yaml: the account's share of the links, as `import --all-accounts` lays them out. */
function linkSetFile(account: string, count: number): string {
  const entries = Array.from({ length: count }, (_, j) => `  link-${j}:\n    label: Link ${j} of ${account}\n`);
  return `accountId: ${account}\nlinks:\n${entries.join("")}`;
}

const FLEET_PROGRAM = `// A stack per account: each stack reads its own links/<stack>.yaml (examples/agency-fleet).
const pulumi = require("@pulumi/pulumi");
const { TrackingLinkSet } = require("pulumi-fansly");
new TrackingLinkSet("links", { file: \`links/\${pulumi.getStack()}.yaml\` });
`;

const ONE_STACK_PROGRAM = `// Every account's links in one stack: a TrackingLinkSet per file of links/.
const { readdirSync } = require("node:fs");
const { TrackingLinkSet } = require("pulumi-fansly");
for (const file of readdirSync("links").sort()) new TrackingLinkSet(file.replace(/\\.yaml$/, ""), { file: \`links/\${file}\` });
`;

function projectFile(name: string, baseUrl: string, clientLimit: number | undefined): string {
  const limit = clientLimit === undefined ? "" : `  fansly:maxRequestsPerMinute:\n    value: "${clientLimit}"\n`;
  return `name: ${name}\nruntime: nodejs\nconfig:\n  fansly:baseUrl:\n    value: ${baseUrl}\n${limit}`;
}

/** A project folder with the package installed, the links of every account, and a stack file per account. */
async function fleetProject(packed: PackedPackage, name: string, size: FleetSize, baseUrl: string, clientLimit: number | undefined, oneStack: boolean): Promise<string> {
  const dir = await installedStack(packed, name, { pulumiFansly: true }, {
    "Pulumi.yaml": projectFile(name, baseUrl, clientLimit),
    "index.js": oneStack ? ONE_STACK_PROGRAM : FLEET_PROGRAM,
  });
  await mkdir(join(dir, "links"));
  const accounts = accountsOf(size);
  for (const [i, account] of accounts.entries()) {
    // The links split as evenly as they go: the first accounts take the remainder.
    const count = Math.floor(size.links / size.accounts) + (i < size.links % size.accounts ? 1 : 0);
    await writeFile(join(dir, "links", `${stackOf(account)}.yaml`), linkSetFile(account, count));
    if (!oneStack) await writeFile(join(dir, `Pulumi.${stackOf(account)}.yaml`), `config:\n  fansly:accountId: ${account}\n`);
  }
  return dir;
}

function cliFor(bin: string, dir: string, env: Record<string, string> = {}): PulumiCli {
  return new PulumiCli(bin, join(dir, ".bench-home"), { env: { FANSLY_API_KEY: BENCH_KEY, ...env }, commandTimeoutMs: COMMAND_TIMEOUT_MS });
}

async function step(emulator: RunningEmulator, work: () => Promise<{ code: number; stdout: string; stderr: string }>): Promise<StepTime> {
  emulator.clearRequests();
  const run = await timed(work);
  const requests = emulator.requests();
  if (run.value.code !== 0) process.stderr.write(`[bench] step exited ${run.value.code}:\n${run.value.stdout.slice(-2000)}\n${run.value.stderr.slice(-2000)}\n`);
  const result = { ms: run.ms, requests: requests.length, status429: requests.filter((r) => r.status === 429).length, code: run.value.code };
  // Each step's figures as it ends: a long phase that fails later still leaves what it measured.
  process.stderr.write(`[bench]   ${JSON.stringify(result)}\n`);
  return result;
}

function fleetCommand(cli: PulumiCli, dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = join(dir, "node_modules", "pulumi-fansly", "dist", "cli", "main.js");
  return cli.exec(dir, process.execPath, [main, "fleet", ...args], { allowFailure: true });
}

/** One stack vs the fleet, limits lifted. */
export async function liftedFleet(
  bin: string,
  packed: PackedPackage,
  size: FleetSize,
  concurrency: number,
  checkpointedOneStack: boolean,
  log: (line: string) => void,
): Promise<LiftedFigures> {
  const accounts = accountsOf(size);
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts, rateLimitPerMinute: UNBINDING_RATE_LIMIT });
  try {
    const before = loadAverage();
    const single = await fleetProject(packed, "fleet-one-stack", size, emulator.url, UNBINDING_RATE_LIMIT, true);
    const one = cliFor(bin, single);
    await one.prepare();
    await one.run(single, ["stack", "init", ONE_STACK]);
    const run = (args: string[]) => () => one.run(single, args, { allowFailure: true });
    const checkpointed: Omit<LiftedFigures["oneStack"], "upWithoutCheckpoints"> = {};
    if (checkpointedOneStack) {
      log(`fleet (lifted): one stack of ${size.links} links: up, preview, drift, destroy`);
      checkpointed.up = await step(emulator, run(["up", "--yes", "--skip-preview"]));
      checkpointed.preview = await step(emulator, run(["preview"]));
      checkpointed.drift = await step(emulator, run(["preview", "--refresh", "--expect-no-changes"]));
      checkpointed.destroy = await step(emulator, run(["destroy", "--yes", "--skip-preview"]));
    }
    log(`fleet (lifted): one stack of ${size.links} links: up and destroy without checkpoints`);
    const unchecked = cliFor(bin, single, { PULUMI_SKIP_CHECKPOINTS: "true" });
    const oneBare = await step(emulator, () => unchecked.run(single, ["up", "--yes", "--skip-preview"], { allowFailure: true }));
    await unchecked.run(single, ["destroy", "--yes", "--skip-preview"], { allowFailure: true });

    const multi = await fleetProject(packed, "fleet-stacks", size, emulator.url, UNBINDING_RATE_LIMIT, false);
    const fleet = cliFor(bin, multi);
    await fleet.prepare();
    const lifted = ["--concurrency", String(concurrency), "--max-requests-per-minute", String(UNBINDING_RATE_LIMIT)];
    const op = (name: string) => () => fleetCommand(fleet, multi, [name, ...lifted]);
    log(`fleet (lifted): ${size.accounts} stacks, ${concurrency} at a time: up, preview, drift, destroy`);
    const fleetUp = await step(emulator, op("up"));
    const fleetPreview = await step(emulator, op("preview"));
    const fleetDrift = await step(emulator, op("drift"));
    const fleetDestroy = await step(emulator, op("destroy"));
    const left = accounts.reduce((sum, account) => sum + emulator.store.customLinks(account).length, 0);
    if (left !== 0) throw new Error(`fleet destroy left ${left} links behind`);
    return {
      ...size,
      concurrency,
      oneStack: { ...checkpointed, upWithoutCheckpoints: oneBare },
      fleet: { up: fleetUp, preview: fleetPreview, drift: fleetDrift, destroy: fleetDestroy },
      load: { before, after: loadAverage() },
    };
  } finally {
    await emulator.close();
  }
}

/** The fleet's `up` against an emulator enforcing `rate`/min. */
export async function limitedFleet(
  bin: string,
  packed: PackedPackage,
  size: FleetSize,
  concurrency: number,
  rate: number,
  sharing: LimitedFigures["sharing"],
  log: (line: string) => void,
): Promise<LimitedFigures> {
  const accounts = accountsOf(size);
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts, rateLimitPerMinute: rate });
  try {
    const before = loadAverage();
    const dir = await fleetProject(packed, `fleet-limited-${sharing.replace(" ", "-")}-${size.links}-${size.accounts}`, size, emulator.url, undefined, false);
    // The even split: each stack's own limit set to its share, the coordinator's lifted.
    const split = sharing === "even split";
    const cli = cliFor(bin, dir, split ? { FANSLY_MAX_REQUESTS_PER_MINUTE: String(Math.floor(rate / concurrency)) } : {});
    await cli.prepare();
    log(`fleet (limited, ${sharing}): up of ${size.links} links in ${size.accounts} stacks, ${concurrency} at a time, emulator enforcing ${rate}/min`);
    const up = await step(emulator, () =>
      fleetCommand(cli, dir, ["up", "--concurrency", String(concurrency), "--max-requests-per-minute", String(split ? UNBINDING_RATE_LIMIT : rate)]),
    );
    const created = accounts.reduce((sum, account) => sum + emulator.store.customLinks(account).length, 0);
    return { ...size, concurrency, rate, sharing, up, floorMs: (size.links / rate) * 60_000, created, load: { before, after: loadAverage() } };
  } finally {
    await emulator.close();
  }
}
