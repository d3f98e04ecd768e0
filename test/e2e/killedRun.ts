/**
 * Helpers for the kill-and-recover tests (recovery.e2e.ts on a file backend, postgres.e2e.ts on PostgreSQL): a
 * project of N links, a `pulumi` command killed mid-way with everything it started, the stack's state as exported,
 * and `pulumi-fansly recover` run from the project's own node_modules as a user runs `npx pulumi-fansly recover`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isTrackingLinkType } from "../../src/plugin/tokens";
import { killTree } from "./processTree";
import type { CliRun, PulumiCli } from "./pulumiCli";

const POLL_MS = 50;

interface StateResource {
  type: string;
  urn: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface StackState {
  /** TrackingLinks of either face. */
  links: StateResource[];
  pendingCreates: { urn: string; id?: string }[];
  pendingOther: number;
}

/**
 * Declares `count` links, `Link 0` … `Link <count-1>`; every other one with a description. With `faces` (the
 * faces-project template), each label once per face: `dynamic-<i>` and `plugin-<i>`, identical links, in turn.
 */
export async function declareLinks(project: string, count: number, faces: readonly ("dynamic" | "plugin")[] = []): Promise<void> {
  const spec = (i: number): { label: string; description?: string } => ({ label: `Link ${i}`, ...(i % 2 === 1 ? { description: `campaign ${i}` } : {}) });
  const keys = Array.from({ length: count }, (_, i) => i);
  const links =
    faces.length === 0
      ? Object.fromEntries(keys.map((i) => [`link-${i}`, spec(i)]))
      : // Interleaved, so a run cut short has creates of every face in flight.
        Object.fromEntries(keys.flatMap((i) => faces.map((face) => [`${face}-${i}`, { ...spec(i), ...(face === "plugin" ? { face } : {}) }])));
  await writeFile(join(project, "links.json"), JSON.stringify(links, null, 2));
}

export async function stackState(cli: PulumiCli, project: string, stack: string): Promise<StackState> {
  const { stdout } = await cli.run(project, ["stack", "export", "--stack", stack]);
  return parseStackState(stdout);
}

/** `pulumi stack export` output → the TrackingLinks and pending operations it holds. */
export function parseStackState(stdout: string): StackState {
  const deployment = (
    JSON.parse(stdout) as { deployment: { resources?: StateResource[] | null; pending_operations?: { type: string; resource: StateResource }[] | null } }
  ).deployment;
  const pending = deployment.pending_operations ?? [];
  return {
    links: (deployment.resources ?? []).filter((r) => isTrackingLinkType(r.type)),
    pendingCreates: pending.filter((op) => op.type === "creating").map((op) => ({ urn: op.resource.urn, ...(op.resource.id === undefined ? {} : { id: op.resource.id }) })),
    pendingOther: pending.filter((op) => op.type !== "creating").length,
  };
}

/** What every pulumi command on the stack prints once a kill cut the file backend's state write short. */
export const UNREADABLE_STATE = "failed to load checkpoint";

export interface StateAfterKill {
  state: StackState;
  /** The recover run that repaired the state first, when the kill had cut its write short. */
  repair: CliRun | undefined;
}

/**
 * The stack's state after a kill, read as a user would. When the kill cut the file backend's state write short
 * (src/cli/fileBackendState.ts), every pulumi command fails with "failed to load checkpoint": then `recover` is the
 * documented first step, and it must say it repaired the state, after which the state reads.
 */
export async function stateAfterKill(cli: PulumiCli, project: string, stack: string): Promise<StateAfterKill> {
  const first = await cli.run(project, ["stack", "export", "--stack", stack], { allowFailure: true });
  if (first.code === 0) return { state: parseStackState(first.stdout), repair: undefined };
  if (!first.stderr.includes(UNREADABLE_STATE)) throw new Error(`pulumi stack export failed after the kill:\n${first.stderr}`);
  const repair = await recover(cli, project, ["--stack", stack]);
  if (!repair.stdout.includes(`repaired stack ${stack}'s state`)) throw new Error(`recover did not repair the unreadable state:\n${repair.stdout}\n${repair.stderr}`);
  const { stdout } = await cli.run(project, ["stack", "export", "--stack", stack]);
  return { state: parseStackState(stdout), repair };
}

/** `npx pulumi-fansly recover …` in the project: the bin of the package installed there, with the CLI's environment. */
export function recover(cli: PulumiCli, project: string, args: string[]): Promise<CliRun> {
  return cli.exec(project, process.execPath, [join(project, "node_modules", "pulumi-fansly", "dist", "cli", "main.js"), "recover", ...args], { allowFailure: true });
}

export interface KilledRun {
  /** Processes killed: the CLI, its plugins and their children. */
  processes: number;
  /** From the start of the command to the kill. */
  ms: number;
  run: CliRun;
}

/**
 * Starts `pulumi <args>`, waits until `ready()` (polled), then SIGKILLs the CLI and everything it started.
 * Fails if the command ends on its own first, or `ready()` does not come within `timeoutMs`.
 */
export async function killWhen(cli: PulumiCli, project: string, args: string[], ready: () => boolean, timeoutMs = 120_000): Promise<KilledRun> {
  const started = Date.now();
  const { pid, done } = cli.start(project, args);
  let ended: CliRun | undefined;
  void done.then((run) => (ended = run));
  while (!ready()) {
    if (ended !== undefined) throw new Error(`pulumi ${args.join(" ")} ended (exit ${ended.code}) before the kill\n${ended.stdout}\n${ended.stderr}`);
    if (Date.now() - started > timeoutMs) {
      killTree(pid);
      throw new Error(`pulumi ${args.join(" ")}: the moment to kill it did not come within ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
  const ms = Date.now() - started;
  const processes = killTree(pid);
  return { processes, ms, run: await done };
}

/** Milliseconds `work` took, with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = Date.now();
  const result = await work();
  return { ms: Date.now() - started, result };
}
