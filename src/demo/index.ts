/**
 * `npm run demo`: the root `Pulumi.yaml` stack (examples/quickstart) through Pulumi's Automation API, against the
 * embedded emulator, on a local file backend in `.pulumi-demo/`: up, show what exists, the performance report
 * (table, and `.pulumi-demo/report.html`) over a little simulated traffic, destroy, show it empty.
 * Nothing here talks to the real API or to Pulumi Cloud.
 */
import { existsSync, symlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { startEmulator, TrafficSimulator, type RunningEmulator } from "../emulator";
import { runReport } from "../report";
import { findOrMakePulumiCli, NoPulumiCliError } from "./pulumiCli";
import { messageOf } from "../thrown";

const DEMO_KEY = "dev-key";
const DEMO_ACCOUNT = "fansly_demo";
const STACK_NAME = "demo";
/** Seed and ticks of the emulator's simulated traffic: the same figures every run, enough for a report to show. */
const TRAFFIC_SEED = 7;
const TRAFFIC_TICKS = 60;

interface DemoOptions {
  /** The repository root (where the root Pulumi.yaml is). */
  root: string;
  /** Leave the links and the emulator up at the end instead of destroying them. */
  keep: boolean;
  /** Progress lines. */
  say: (line: string) => void;
  /** The environment to find the Pulumi CLI in (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The root stack's program imports "pulumi-fansly", and the serialized provider loads "pulumi-fansly/provider"
 * from the project folder: in this repository that is the package itself, so link it into its own node_modules.
 */
function linkPackageIntoItself(root: string): void {
  const link = join(root, "node_modules", "pulumi-fansly");
  if (!existsSync(link)) symlinkSync("..", link, "dir");
  if (!existsSync(join(root, "dist", "provider", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
}

function printLinks(emulator: RunningEmulator, say: (line: string) => void): void {
  const links = emulator.store.customLinks(DEMO_ACCOUNT);
  say(`The emulator now holds ${links.length} custom link(s) in ${DEMO_ACCOUNT}:`);
  for (const link of links) {
    say(
      `  ${link.id}  ${link.label.padEnd(18)} clicks ${link.clicks}, follows ${link.follows}, subscriptions ${link.subscriptions}` +
        (link.description === "" ? "" : `  (${link.description})`),
    );
  }
}

async function runDemo(options: DemoOptions): Promise<void> {
  const { root, say } = options;
  const { command, binDir, onPath } = await findOrMakePulumiCli({ root, env: options.env ?? process.env, say });
  linkPackageIntoItself(root);
  const emulator = await startEmulator({ apiKeys: [DEMO_KEY], accounts: [DEMO_ACCOUNT] });
  say(`Emulator: ${emulator.url} (key ${DEMO_KEY}, account ${DEMO_ACCOUNT})`);
  const state = join(root, ".pulumi-demo");
  await mkdir(join(state, "backend"), { recursive: true });
  await mkdir(join(state, "home"), { recursive: true });
  // The CLI's own folder first: the language host and the dynamic-provider plugin beside `pulumi` are the ones it
  // expects, so it prints no "using … from $PATH" warning.
  const envVars = {
    PATH: [dirname(process.execPath), binDir, process.env.PATH ?? ""].join(delimiter),
    PULUMI_BACKEND_URL: `file://${join(state, "backend")}`,
    PULUMI_HOME: join(state, "home"),
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  try {
    say(`Stack "${STACK_NAME}" of ${join(root, "Pulumi.yaml")} on a local backend in ${state}`);
    const workspace = await LocalWorkspace.create({ workDir: root, envVars, pulumiCommand: command });
    if ((await workspace.listStacks()).some((summary) => summary.name === STACK_NAME)) {
      // Every run starts its own in-memory emulator, so the links such a stack lists are gone with the last one.
      say(`A "${STACK_NAME}" stack from an earlier run (--keep, or interrupted) lists links of an emulator that has stopped: removing it to start over`);
      // A run killed during `up` leaves the stack locked, and `stack rm` refuses a locked stack; on a local backend
      // `pulumi cancel` removes the lock, and does nothing when there is none.
      await (await Stack.select(STACK_NAME, workspace)).cancel();
      await workspace.removeStack(STACK_NAME, { force: true });
    }
    const stack = await LocalWorkspace.createStack({ stackName: STACK_NAME, workDir: root }, { envVars, pulumiCommand: command });
    await stack.setConfig("fansly:baseUrl", { value: emulator.url });
    await stack.setConfig("fansly:apiKey", { value: DEMO_KEY, secret: true });

    say("pulumi up …");
    const up = await stack.up({ onOutput: (text) => { process.stdout.write(indent(text)); } });
    say(`up: ${JSON.stringify(up.summary.resourceChanges)} in ${seconds(up.summary)}`);
    printLinks(emulator, say);
    await showReport(emulator, state, say);

    if (options.keep) {
      say(`--keep: the links stay. Emulator at ${emulator.url}; try: curl -H 'x-api-key: ${DEMO_KEY}' ${emulator.url}/api/fansly/${DEMO_ACCOUNT}/tracking-links`);
      if (!onPath) say(`For the examples, put this CLI on PATH: export PATH="${binDir}${delimiter}$PATH"`);
      say("Press Ctrl-C to stop the emulator (the links go with it). `npm run demo` again starts over: a new emulator, the links created anew.");
      await new Promise<void>((resolve) => process.once("SIGINT", resolve));
      await emulator.close();
      say("Emulator stopped; its links are gone with it.");
      return;
    }

    say("pulumi destroy …");
    const destroyed = await stack.destroy({ onOutput: (text) => { process.stdout.write(indent(text)); } });
    say(`destroy: ${JSON.stringify(destroyed.summary.resourceChanges)} in ${seconds(destroyed.summary)}`);
    printLinks(emulator, say);
    await stack.workspace.removeStack(STACK_NAME);
    if (!onPath) say(`For the examples, put the same CLI on PATH: export PATH="${binDir}${delimiter}$PATH"`);
  } finally {
    await emulator.close();
  }
}

/** What the links "brought in": simulated traffic, then `pulumi-fansly report`'s table and HTML file. */
async function showReport(emulator: RunningEmulator, state: string, say: (line: string) => void): Promise<void> {
  new TrafficSimulator(emulator.store, TRAFFIC_SEED).tick(TRAFFIC_TICKS);
  const htmlFile = join(state, "report.html");
  say(`Simulated traffic on the links; the performance report (npx --no -- pulumi-fansly report):`);
  await runReport({ apiKey: DEMO_KEY, baseUrl: emulator.url, accounts: [DEMO_ACCOUNT], htmlFile, print: (text) => { process.stdout.write(indent(text)); } });
  say(`The same report as a page with charts: ${htmlFile}`);
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "    ");
}

function seconds(summary: { startTime: Date; endTime: Date }): string {
  return `${((new Date(summary.endTime).getTime() - new Date(summary.startTime).getTime()) / 1000).toFixed(1)} s`;
}

export interface DemoIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `npm run demo [-- --keep]`: runs the demo and returns the exit status (0 done, 1 failed, 2 a wrong argument). */
export async function runDemoCommand(argv: string[], io: DemoIo, root: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const unknown = argv.filter((arg) => arg !== "--keep");
  if (unknown.length > 0) {
    io.err(`unknown argument(s) ${unknown.join(" ")}: the demo takes only --keep (leave the links and the emulator up)`);
    return 2;
  }
  try {
    await runDemo({ root, keep: argv.includes("--keep"), env, say: (line) => { io.out(`[demo] ${line}`); } });
    return 0;
  } catch (error) {
    if (error instanceof NoPulumiCliError) {
      for (const line of error.message.split("\n")) io.err(`[demo] ${line}`);
    } else {
      io.err(`[demo] failed: ${messageOf(error)}`);
    }
    return 1;
  }
}
