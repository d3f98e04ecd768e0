/**
 * `npm run demo`: the root `Pulumi.yaml` stack (examples/quickstart) through Pulumi's Automation API, against the
 * embedded emulator, on a local file backend in `.pulumi-demo/`: up, show what exists, destroy, show it empty.
 * Nothing here talks to the real API or to Pulumi Cloud.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync, symlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../emulator";

const DEMO_KEY = "dev-key";
const DEMO_ACCOUNT = "fansly_demo";
const STACK_NAME = "demo";

export interface DemoOptions {
  /** The repository root (where the root Pulumi.yaml is). */
  root: string;
  /** Leave the links and the emulator up at the end instead of destroying them. */
  keep: boolean;
  /** Progress lines. */
  say: (line: string) => void;
}

/** A Pulumi CLI: `pulumi` on PATH, else one built by test/e2e/build-pulumi.sh, else `PulumiCommand.install()`. */
async function findPulumi(root: string, say: (line: string) => void): Promise<{ command: PulumiCommand; binDir: string }> {
  const onPath = whichPulumi();
  if (onPath !== undefined) {
    say(`Pulumi CLI: ${onPath} (on PATH)`);
    return { command: await PulumiCommand.get({ skipVersionCheck: false }), binDir: dirname(onPath) };
  }
  const cacheRoot = process.env.PULUMI_FANSLY_CLI_CACHE ?? join(process.env.HOME ?? "", ".cache", "pulumi-fansly", "pulumi-cli");
  const built = existsSync(cacheRoot) ? readdirSync(cacheRoot).filter((v) => existsSync(join(cacheRoot, v, "bin", "pulumi"))).sort(byVersion) : [];
  const newest = built.at(-1);
  if (newest !== undefined) {
    say(`Pulumi CLI: ${newest}, built from source in ${cacheRoot}`);
    return { command: await PulumiCommand.get({ root: join(cacheRoot, newest) }), binDir: join(cacheRoot, newest, "bin") };
  }
  const installRoot = join(root, ".pulumi-demo", "cli");
  say(`No Pulumi CLI found: installing it into ${installRoot} (needs internet; or run bash test/e2e/build-pulumi.sh)`);
  const command = await PulumiCommand.install({ root: installRoot });
  return { command, binDir: join(installRoot, "bin") };
}

function whichPulumi(): string | undefined {
  try {
    const found = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
    return found === "" ? undefined : found;
  } catch {
    return undefined;
  }
}

function byVersion(a: string, b: string): number {
  const parts = (v: string): number[] => v.replace(/^v/, "").split(".").map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
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

export async function runDemo(options: DemoOptions): Promise<void> {
  const { root, say } = options;
  linkPackageIntoItself(root);
  const { command, binDir } = await findPulumi(root, say);
  const emulator = await startEmulator({ apiKeys: [DEMO_KEY], accounts: [DEMO_ACCOUNT] });
  say(`Emulator: ${emulator.url} (key ${DEMO_KEY}, account ${DEMO_ACCOUNT})`);
  const state = join(root, ".pulumi-demo");
  await mkdir(join(state, "backend"), { recursive: true });
  await mkdir(join(state, "home"), { recursive: true });
  // The dynamic-provider plugin ships in @pulumi/pulumi's folder; a CLI from an installer has its own copy.
  const sdkDir = realpathSync(join(root, "node_modules", "@pulumi", "pulumi"));
  const envVars = {
    PATH: [dirname(process.execPath), binDir, process.env.PATH ?? "", sdkDir].join(":"),
    PULUMI_BACKEND_URL: `file://${join(state, "backend")}`,
    PULUMI_HOME: join(state, "home"),
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  let stack: Stack | undefined;
  try {
    say(`Stack "${STACK_NAME}" of ${join(root, "Pulumi.yaml")} on a local backend in ${state}`);
    stack = await LocalWorkspace.createOrSelectStack({ stackName: STACK_NAME, workDir: root }, { envVars, pulumiCommand: command });
    await stack.setConfig("fansly:baseUrl", { value: emulator.url });
    await stack.setConfig("fansly:apiKey", { value: DEMO_KEY, secret: true });

    say("pulumi up …");
    const up = await stack.up({ onOutput: (text) => { process.stdout.write(indent(text)); } });
    say(`up: ${JSON.stringify(up.summary.resourceChanges)} in ${seconds(up.summary)}`);
    printLinks(emulator, say);

    if (options.keep) {
      say(`--keep: the links stay. Emulator at ${emulator.url}; try: curl -H 'x-api-key: ${DEMO_KEY}' ${emulator.url}/api/fansly/${DEMO_ACCOUNT}/tracking-links`);
      say("Press Ctrl-C to stop the emulator. `npm run demo` again destroys and re-creates the links.");
      await new Promise<void>((resolve) => process.once("SIGINT", resolve));
      return;
    }

    say("pulumi destroy …");
    const destroyed = await stack.destroy({ onOutput: (text) => { process.stdout.write(indent(text)); } });
    say(`destroy: ${JSON.stringify(destroyed.summary.resourceChanges)} in ${seconds(destroyed.summary)}`);
    printLinks(emulator, say);
    await stack.workspace.removeStack(STACK_NAME);
  } finally {
    await emulator.close();
  }
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "    ");
}

function seconds(summary: { startTime: Date; endTime: Date }): string {
  return `${((new Date(summary.endTime).getTime() - new Date(summary.startTime).getTime()) / 1000).toFixed(1)} s`;
}
