/**
 * `pulumi up`, `preview` and `destroy` of N links through the real CLI (test/e2e/pulumiCli.ts: offline, local file
 * backend), against the emulator, for our package and for the naive baseline. Also reads the state after `up`:
 * bytes per link and the provider text.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PulumiCli } from "../e2e/pulumiCli";
import { startEmulator } from "../../src/emulator";
import { isTrackingLinkType } from "../../src/plugin/tokens";
import { installedStack, type PackedPackage } from "./packedStack";
import { loadAverage, timed } from "./measure";

export const BENCH_KEY = "bench-key-0c4e7d1a";
export const BENCH_ACCOUNT = "fansly_bench";
/** High enough never to bind: these runs measure Pulumi and the provider, not the API's plan (see rateLimit runs). */
const UNBINDING_RATE_LIMIT = 1_000_000;
const STACK = "dev";

/** ours: the dynamic face; plugin: the same links through `pulumi-resource-fansly`; naive: the baseline. */
export type Variant = "ours" | "plugin" | "naive";

interface StateFigures {
  resources: number;
  /** Compact JSON bytes of the whole deployment, divided by the links in it. */
  bytesPerLink: number;
  /** Compact JSON bytes of one link's resource entry, on average, split by who decides them. */
  perLink: { total: number; provider: number; pulumiMetadata: number; inputsAndOutputs: number };
  providerText: string;
}

/** The steps of a CLI run, in order: what a user runs over a stack's life. */
export const CLI_STEPS = ["up", "upNoChange", "preview", "refresh", "driftCheck", "destroy"] as const;
export type CliStep = (typeof CLI_STEPS)[number];

/** How each step is run, and what a user calls it. */
export const CLI_STEP_COMMANDS: Record<CliStep, { title: string; args: string[] }> = {
  up: { title: "`pulumi up` (creating every link)", args: ["up", "--yes", "--skip-preview"] },
  upNoChange: { title: "`pulumi up` (nothing to do)", args: ["up", "--yes", "--skip-preview"] },
  preview: { title: "`pulumi preview`", args: ["preview"] },
  refresh: { title: "`pulumi refresh`", args: ["refresh", "--yes", "--skip-preview"] },
  driftCheck: { title: "drift check (`pulumi preview --refresh --expect-no-changes`)", args: ["preview", "--refresh", "--expect-no-changes"] },
  destroy: { title: "`pulumi destroy`", args: ["destroy", "--yes", "--skip-preview"] },
};

/** One step: wall time from the shell, and what reached the API (each request is a paid credit). */
interface StepFigures {
  ms: number;
  requests: number;
  /** Of those, account listings (GETs of the tracking-link list, pages included). */
  listings: number;
}

export interface CliFigures {
  links: number;
  steps: Record<CliStep, StepFigures>;
  /**
   * `up` and `destroy` again with PULUMI_SKIP_CHECKPOINTS=true: without the engine's state writes after every step,
   * which are the same work for every face (they grow with links², and not with the provider text's bytes).
   */
  withoutCheckpoints?: { up: StepFigures; destroy: StepFigures };
  state: StateFigures;
  load: { before: number[]; after: number[] };
}

function oursProgram(links: number): string {
  return `// The benchmark's program: ${links} links declared with pulumi-fansly, as a user would.
const { TrackingLink } = require("pulumi-fansly");
for (let i = 0; i < ${links}; i++) new TrackingLink(\`link-\${i}\`, { label: \`Link \${i}\`, description: \`benchmark link \${i}\` });
`;
}

function pluginProgram(links: number): string {
  return `// The benchmark's program on the plugin face: the same ${links} links through pulumi-resource-fansly.
const { TrackingLink } = require("pulumi-fansly/plugin");
for (let i = 0; i < ${links}; i++) new TrackingLink(\`link-\${i}\`, { label: \`Link \${i}\`, description: \`benchmark link \${i}\` });
`;
}

/** The Pulumi.yaml of a variant; the plugin face names the plugin's folder in the installed package. */
function projectFile(variant: Variant): string {
  const project = `name: bench-${variant}\nruntime: nodejs\ndescription: issue 12's benchmark (${variant})\n`;
  if (variant !== "plugin") return project;
  return `${project}plugins:\n  providers:\n    - name: fansly\n      path: ./node_modules/pulumi-fansly/dist/plugin\n`;
}

function programOf(variant: Variant, links: number): string {
  if (variant === "ours") return oursProgram(links);
  if (variant === "plugin") return pluginProgram(links);
  return naiveProgram(links);
}

function naiveProgram(links: number): string {
  return `// The naive baseline's program: the same ${links} links through a provider that captures its client.
const pulumi = require("@pulumi/pulumi");
const { naiveProvider, NaiveLink } = require("./provider");
const config = new pulumi.Config("fansly");
const provider = naiveProvider({ baseUrl: config.require("baseUrl"), apiKey: config.require("apiKey"), accountId: config.require("accountId") });
for (let i = 0; i < ${links}; i++) new NaiveLink(\`link-\${i}\`, { label: \`Link \${i}\`, description: \`benchmark link \${i}\` }, provider);
`;
}

/** Prepares the stack folder of a variant: installed from the packed tarball (ours) or with the SDK alone (naive). */
export async function prepareCliStack(packed: PackedPackage, variant: Variant, links: number): Promise<string> {
  const files: Record<string, string> = {
    "Pulumi.yaml": projectFile(variant),
    "index.js": programOf(variant, links),
  };
  const dir = await installedStack(packed, `cli-${variant}`, { pulumiFansly: variant !== "naive" }, files);
  if (variant === "naive") await copyFile(join(__dirname, "naive", "provider.js"), join(dir, "provider.js"));
  return dir;
}

interface Resource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [field: string]: unknown;
}

function stateFigures(exported: string): StateFigures {
  const deployment = (JSON.parse(exported) as { deployment: { resources?: Resource[] } }).deployment;
  const links = (deployment.resources ?? []).filter((r) => isTrackingLinkType(r.type));
  const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
  let provider = 0;
  let inputsAndOutputs = 0;
  let total = 0;
  for (const link of links) {
    const { inputs = {}, outputs = {} } = link;
    const text = inputs.__provider;
    if (text === undefined) {
      inputsAndOutputs += bytes(inputs) + bytes(outputs);
      total += bytes(link);
      continue;
    }
    // Each copy as stored: its JSON-escaped text plus its key, in inputs and in outputs.
    provider += 2 * (bytes(text) + bytes("__provider") + 2);
    inputsAndOutputs += bytes(inputs) + bytes(outputs);
    total += bytes(link);
  }
  const count = Math.max(1, links.length);
  const firstProvider = links[0]?.inputs?.__provider;
  return {
    resources: links.length,
    bytesPerLink: Math.round(bytes(deployment) / count),
    perLink: {
      total: Math.round(total / count),
      provider: Math.round(provider / count),
      inputsAndOutputs: Math.round((inputsAndOutputs - provider) / count),
      pulumiMetadata: Math.round((total - inputsAndOutputs) / count),
    },
    providerText: typeof firstProvider === "string" ? firstProvider : "",
  };
}

/** Every step of CLI_STEPS on `links` links in `stackDir`, each timed from the shell's point of view. */
export async function runCli(bin: string, stackDir: string, variant: Variant, links: number): Promise<CliFigures> {
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts: [BENCH_ACCOUNT], rateLimitPerMinute: UNBINDING_RATE_LIMIT });
  const home = join(stackDir, ".bench-home");
  await mkdir(home, { recursive: true });
  const cli = new PulumiCli(bin, home);
  try {
    await cli.prepare();
    await cli.run(stackDir, ["stack", "init", STACK]);
    await cli.run(stackDir, ["config", "set", "fansly:baseUrl", emulator.url]);
    await cli.run(stackDir, ["config", "set", "fansly:accountId", BENCH_ACCOUNT]);
    // The naive program reads the key with config.require, as such programs do; ours takes it as a secret.
    await cli.run(stackDir, ["config", "set", ...(variant === "naive" ? [] : ["--secret"]), "fansly:apiKey", BENCH_KEY]);
    // The client's own rate limit lifted too (the emulator's is): these runs measure Pulumi and the provider.
    if (variant !== "naive") await cli.run(stackDir, ["config", "set", "fansly:maxRequestsPerMinute", String(UNBINDING_RATE_LIMIT)]);
    const before = loadAverage();
    const steps: Partial<Record<CliStep, StepFigures>> = {};
    let state: StateFigures | undefined;
    for (const step of CLI_STEPS) {
      emulator.clearRequests();
      const run = await timed(() => cli.run(stackDir, CLI_STEP_COMMANDS[step].args));
      const requests = emulator.requests();
      steps[step] = {
        ms: run.ms,
        requests: requests.length,
        listings: requests.filter((r) => r.method === "GET" && r.path.endsWith("/tracking-links")).length,
      };
      if (step === "up") {
        state = stateFigures((await cli.run(stackDir, ["stack", "export"])).stdout);
        if (state.resources !== links) throw new Error(`${variant}: expected ${links} links in state after up, found ${state.resources}`);
      }
    }
    if (emulator.store.customLinks(BENCH_ACCOUNT).length !== 0) throw new Error(`${variant}: destroy left links behind`);
    if (state === undefined) throw new Error(`${variant}: no state read after up`);
    const after = loadAverage();
    let withoutCheckpoints: CliFigures["withoutCheckpoints"];
    if (variant !== "naive") {
      const unchecked = new PulumiCli(bin, home, { env: { PULUMI_SKIP_CHECKPOINTS: "true" } });
      const step = async (name: "up" | "destroy"): Promise<StepFigures> => {
        emulator.clearRequests();
        const run = await timed(() => unchecked.run(stackDir, CLI_STEP_COMMANDS[name].args));
        return { ms: run.ms, requests: emulator.requests().length, listings: 0 };
      };
      withoutCheckpoints = { up: await step("up"), destroy: await step("destroy") };
      if (emulator.store.customLinks(BENCH_ACCOUNT).length !== 0) throw new Error(`${variant}: destroy left links behind`);
    }
    return { links, steps: steps as Record<CliStep, StepFigures>, state, load: { before, after }, ...(withoutCheckpoints === undefined ? {} : { withoutCheckpoints }) };
  } finally {
    await emulator.close();
  }
}
