/**
 * The cost line a provider process leaves when the engine stops it: "fansly estimate: …" after a preview, "fansly
 * sent: …" after an update (costs.ts writes both). Both faces, both CLIs (3.248, 3.276: measured).
 *
 * How the line reaches the user. When a command ends, the engine sends each provider plugin SIGINT (its process
 * group; `cmdutil.InterruptChildren`) and waits up to 5 s before killing it; its own server is still up then. The
 * process answers with a `Log` call to that server (the engine address the plugin was started with) and exits: the
 * line shows under the stack in the command's "Diagnostics:", after every step and before "Resources:", of
 * `pulumi preview` and of each half of `pulumi up`. The engine hides a plugin's stderr (only the dynamic provider's
 * is shown), and a provider is told nothing else at the end of a command.
 *
 * What a provider cannot see at preview: the links removed from the program (the engine plans their deletes itself).
 * They are counted from the stack's state, read with the very `pulumi` that runs the command (`pulumi stack export`,
 * same folder, stack and environment): this provider's links in state that the engine did not diff are the ones it
 * will delete. Linux only (/proc); elsewhere, or with `--target`/`--exclude`, or when the read fails, the line says
 * that removed links are not counted.
 */
import { execFile } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { z } from "zod";
import { estimateLine, sentLine, stoppedByBudget } from "./costs";
import type { ProcessCosts } from "./implementation";
import { pulumiAncestor } from "./runClaims";
import { DYNAMIC_TRACKING_LINK_TYPE, PLUGIN_TRACKING_LINK_TYPE } from "../plugin/tokens";

export type Face = "dynamic" | "plugin";

/** The engine's own wait for a plugin to exit after SIGINT is 5 s: the state read and the log fit well inside. */
const STATE_READ_TIMEOUT_MS = 3_000;
const LOG_TIMEOUT_MS = 1_000;
const ENGINE_ADDRESS = /^[\w.-]+:\d{1,5}$/;
/** Commands whose preview deletes the links the engine did not diff. */
const PLANNING_COMMANDS = new Set(["preview", "pre", "up", "update", "destroy", "down", "dn"]);
/** Flags that leave resources out of the run: those are not diffed, yet not deleted. */
const PARTIAL_RUN_FLAGS = ["--target", "-t", "--exclude", "--target-dependents", "--exclude-dependents"];

const ExportSchema = z.object({
  deployment: z.looseObject({
    resources: z.array(z.looseObject({ type: z.string(), id: z.string().optional(), provider: z.string().optional() })).nullish(),
  }),
});

/** The `pulumi` command this process serves: its executable, folder and arguments (after the program name). */
interface ParentCommand {
  exe: string;
  cwd: string;
  args: string[];
}

function parentCommand(proc = "/proc"): ParentCommand | undefined {
  const parent = pulumiAncestor(proc);
  if (parent === undefined) return undefined;
  try {
    const dir = join(proc, String(parent.pid));
    const args = readFileSync(join(dir, "cmdline"), "utf8").split("\0").slice(1, -1);
    return { exe: readlinkSync(join(dir, "exe")), cwd: readlinkSync(join(dir, "cwd")), args };
  } catch {
    return undefined;
  }
}

/** The value of `--name value`, `--name=value` or `-n value` in `args`. */
function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (const [index, arg] of args.entries()) {
    for (const name of names) {
      if (arg === name) return args[index + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Whether the command previews or runs an update (or a destroy): else it has no plan to estimate (a refresh, an import). */
function plansAnUpdate(parent: ParentCommand): boolean {
  return parent.args.some((arg) => PLANNING_COMMANDS.has(arg));
}

/** Whether a link of `resource`'s type and provider is served by this process. */
function isOurs(resource: { type: string; provider?: string | undefined }, face: Face, providerUrn: string | undefined): boolean {
  if (face === "dynamic") return resource.type === DYNAMIC_TRACKING_LINK_TYPE;
  if (resource.type !== PLUGIN_TRACKING_LINK_TYPE) return false;
  // A provider reference is `<provider URN>::<provider id>`; an engine that named no provider URN: every plugin link.
  return providerUrn === undefined || providerUrn === "" || (resource.provider ?? "").startsWith(`${providerUrn}::`);
}

/**
 * How many links this provider will delete that no call showed it: its links in state that were not diffed. A
 * string says why they cannot be counted.
 */
export async function removedLinks(face: Face, costs: ProcessCosts, parent: ParentCommand | undefined = parentCommand()): Promise<number | string> {
  if (parent === undefined) return "links removed from the program (the stack's state was not found: Linux only)";
  if (!plansAnUpdate(parent)) return 0;
  if (parent.args.some((arg) => PARTIAL_RUN_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) {
    return "links removed from the program (--target/--exclude: see the preview's deletes)";
  }
  const stack = flagValue(parent.args, ["--stack", "-s"]);
  const cwd = flagValue(parent.args, ["--cwd", "-C"]) ?? ".";
  try {
    const { stdout } = await promisify(execFile)(parent.exe, ["stack", "export", ...(stack === undefined ? [] : ["--stack", stack]), "--non-interactive"], {
      cwd: join(parent.cwd, cwd),
      timeout: STATE_READ_TIMEOUT_MS,
      maxBuffer: 512 * 1024 * 1024,
    });
    const resources = ExportSchema.parse(JSON.parse(stdout)).deployment.resources ?? [];
    return resources.filter((resource) => isOurs(resource, face, costs.providerUrn) && resource.id !== undefined && !costs.keptIds.has(resource.id)).length;
  } catch {
    return "links removed from the program (the stack's state could not be read)";
  }
}

/**
 * The line for this process: what it sent, after an update (and against what it planned) or a command with no plan
 * (a refresh's reads); else, after a preview, what the update will send.
 */
export async function costLine(face: Face, costs: ProcessCosts, parent: ParentCommand | undefined = parentCommand()): Promise<string> {
  if (costs.wrote) return sentLine(costs.sent.counts, costs.sent.elapsedMs(), costs.planned);
  if (parent !== undefined && !plansAnUpdate(parent)) return sentLine(costs.sent.counts, costs.sent.elapsedMs());
  // Stopped part way, the engine diffed only some links: the rest of the state is no measure of the deletes.
  const removed = costs.stoppedAtBudget === undefined ? await removedLinks(face, costs, parent) : stoppedByBudget(costs.stoppedAtBudget);
  const counts = typeof removed === "number" ? costs.planned.plus("DELETE", removed) : costs.planned;
  const ownRequests = costs.sent.counts.total().min;
  const notes = [...(typeof removed === "string" ? [removed] : [])];
  const line = estimateLine(counts, costs.perMinute, notes);
  return ownRequests === 0 ? line : `${line}; this preview itself sent ${String(ownRequests)}`;
}

function logToEngine(address: string, message: string): Promise<void> {
  const client = new EngineClient(address, grpc.credentials.createInsecure());
  const request = new LogRequest().setSeverity(LogSeverity.INFO).setMessage(message).setUrn("").setEphemeral(false);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, LOG_TIMEOUT_MS);
    client.log(request, () => {
      clearTimeout(timer);
      client.close();
      resolve();
    });
  });
}

let installed = false;

/**
 * When this process runs under the engine (its first argument the engine's address), leaves the cost line when the
 * engine stops it. Once per process; without an engine (tests, a provider started by hand), nothing.
 */
export function reportCostsOnExit(face: Face, costs: () => ProcessCosts, argv: readonly string[] = process.argv): void {
  const address = argv[2] ?? "";
  if (installed || !ENGINE_ADDRESS.test(address)) return;
  installed = true;
  process.once("SIGINT", () => {
    // Whatever happens, the process ends: the engine is waiting for it.
    costLine(face, costs())
      .then((line) => logToEngine(address, line))
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}
