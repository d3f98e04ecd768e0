/**
 * `pulumi-fansly recover [--stack NAME]`: after a `pulumi up` was killed, brings every link the killed run made into
 * the stack's state, so the next `pulumi up` creates nothing twice. Run in the project folder, with the same
 * `pulumi` on PATH, backend and passphrase environment as `pulumi up`. A quiet no-op when nothing is pending.
 *
 * Why not `pulumi refresh --import-pending-creates <URN> --import-pending-creates <ID>`: in Pulumi 3.248 and 3.276
 * alike that flag only relabels the pending operation "importing" with the id (cmd/pulumi/operations/refresh.go
 * `pendingCreatesToImports`). No part of the engine reads an "importing" pending operation, and the snapshot written
 * at the end of the refresh keeps only pending "creating" operations of the base state (backend/snapshot.go and
 * backend/journal.go), so the operation is dropped and the resource never reaches state: the refresh reports the
 * resources already there ("17 unchanged") and the next `up` creates the link again (tried on both CLIs: 7 pending
 * creates mapped to their links, 67 links after the next `up` of 60). So recovery edits the exported state instead — the
 * same read-edit-`stack import` that Pulumi's own `--clear-pending-creates` and `pulumi state` commands do — after
 * validating it (recoverPlan.ts).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { z } from "zod";
import { FanslyClient, type TrackingLink } from "../client";
import { resolveProviderSettings, type ConfigSource } from "../provider/config";
import {
  describeRepair,
  diagnoseCheckpoint,
  fileBackendRoot,
  isProcessAlive,
  lockHolders,
  repairCheckpoint,
  stackFiles,
  stacksWithBrokenSidecar,
  takeStackLock,
  backupOf,
  deploymentBeforeLastWrite,
  type HeldLock,
  type StackFiles,
} from "./fileBackendState";
import { EXIT_FAILURE, EXIT_OK, parseFlags, UsageError } from "../flags";
import type { CliIo, Subcommand } from "./io";
import { subcommand } from "./subcommand";
import { configSourceOf } from "../plugin/providerSettings";
import { isTrackingLinkType } from "../plugin/tokens";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY, type PlainValue, type PropertyValues } from "../plugin/wire";
import {
  accountsToList,
  applyRecovery,
  canApply,
  createdSince,
  decideRecovery,
  describeDecision,
  ExportedStackSchema,
  HistorySchema,
  listingProviders,
  resourcesOf,
  type ExportedStack,
  type History,
} from "./recoverPlan";

const PREFIX = "pulumi-fansly recover";
/** Longest a single `pulumi` command may take here (an export of thousands of resources takes seconds). */
const PULUMI_TIMEOUT_MS = 5 * 60_000;

const RECOVER_USAGE = `usage: pulumi-fansly recover [--stack NAME] [--cancel-lock] [--dry-run] [--drop-other-pending-creates]

After a \`pulumi up\` was killed (a CI timeout, a cancelled job), finds the links the killed run made and brings them
into the stack's state, so the next \`pulumi up\` creates none of them twice. Run it in the project folder with the
same \`pulumi\` on PATH, backend and passphrase environment as \`pulumi up\`, before the next \`up\` or \`destroy\`.

For each TrackingLink the killed run was creating (either face: pulumi-fansly or pulumi-fansly/plugin): the link
with the id the state recorded, else the one link in its account with the same label and description, made since
the last succeeded \`pulumi up\` (a later refresh, preview or cancel does not move that), that no resource in the
state manages. No such link: the pending create is cleared (the next \`up\` makes the link). Never a link another
resource manages, of either face; when more links match than creates were interrupted, it stops, lists them and
changes nothing. Nothing pending: prints nothing and exits 0.

It writes with \`pulumi stack import\`, which drops every pending operation: records of interrupted updates and
deletes go (Pulumi's next run drops them too); other resources' interrupted creates make it stop and name them.

When the kill cut a file backend's state write short, every pulumi command on the stack (even \`pulumi cancel\`)
fails with "failed to load checkpoint: EOF"; recover first finishes that write (it says which files), provided no
pulumi command that may still be running holds the stack's lock (--cancel-lock: you say none does).

options:
  --stack NAME     the stack (default: the selected one)
  --cancel-lock    first run \`pulumi cancel --yes\`: removes the lock a killed run leaves. Only where no other
                   pulumi command can be running on this stack (a CI job in a one-at-a-time group); otherwise run
                   \`pulumi cancel\` yourself once you know the run that held the lock is dead
  --dry-run        print what it would do; change nothing
  --drop-other-pending-creates
                   you checked the other resources' interrupted creates it named: it may drop them
  -h, --help       this text

Exit codes: 0 done (or nothing to do), 1 failure or a decision left to you (the message says which), 2 usage.
`;

const FLAGS = {
  stack: { type: "string" },
  "cancel-lock": { type: "boolean" },
  "dry-run": { type: "boolean" },
  "drop-other-pending-creates": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface RecoverOptions {
  stack: string | undefined;
  cancelLock: boolean;
  dryRun: boolean;
  /** A person checked the other resources' interrupted creates: recover's `stack import` may drop them. */
  dropOtherCreates: boolean;
}

/** Flags → options; throws UsageError. Exported so the pipelines' calls can be checked without a stack. */
export function parseRecoverArgs(argv: readonly string[]): RecoverOptions | "help" {
  const values = parseFlags(argv, FLAGS, "--stack dev");
  if (values.help === true) return "help";
  const stack = values.stack?.trim();
  if (stack === "") throw new UsageError("--stack needs a stack name");
  return { stack, cancelLock: values["cancel-lock"] === true, dryRun: values["dry-run"] === true, dropOtherCreates: values["drop-other-pending-creates"] === true };
}

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pulumi <args>` in the project folder; replaceable in tests. */
type RunPulumi = (args: readonly string[]) => Promise<PulumiResult>;

/** Lists an account's links with the stack's own provider settings; replaceable in tests. */
type ListLinks = (config: ConfigSource, env: NodeJS.ProcessEnv, accountIds: readonly string[]) => Promise<Map<string, TrackingLink[]>>;

export interface RecoverDependencies {
  runPulumi?: (io: CliIo) => RunPulumi;
  listLinks?: ListLinks;
  now?: () => Date;
  /** Whether a process of this machine is running (a lock holder); replaceable in tests. */
  isProcessAlive?: (pid: number) => boolean;
}

interface Collaborators {
  runPulumi: RunPulumi;
  listLinks: ListLinks;
  now: () => Date;
  isProcessAlive: (pid: number) => boolean;
}

/** What `pulumi` prints when another process holds the stack: the DIY backends' lock, or Pulumi Cloud's. */
const LOCKED = /currently locked|Another update is currently in progress|\[409\] Conflict/i;
/** What every `pulumi` command prints when the stack's state cannot be read (fileBackendState.ts says when a kill leaves it). */
const UNREADABLE_STATE = /failed to load checkpoint/;

const ConfigJsonSchema = z.record(z.string(), z.looseObject({ value: z.unknown().optional() }));
const WhoamiSchema = z.looseObject({ url: z.string() });
const ProjectFileSchema = z.looseObject({ name: z.string() });

class RecoverFailure extends Error {}

/** A dry run that met an unreadable state: it said what it would repair, and can look no further. */
class DryRunStopped extends Error {}

function spawnPulumi(io: CliIo): RunPulumi {
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: io.cwd, env: io.env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), PULUMI_TIMEOUT_MS);
      child.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new RecoverFailure(error.code === "ENOENT" ? "`pulumi` is not on PATH: run recover where `pulumi up` runs" : `could not start pulumi: ${error.message}`));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
}

async function listWithStackSettings(config: ConfigSource, env: NodeJS.ProcessEnv, accountIds: readonly string[]): Promise<Map<string, TrackingLink[]>> {
  const settings = resolveProviderSettings(config, env);
  const client = new FanslyClient(settings.client);
  try {
    const listings = new Map<string, TrackingLink[]>();
    for (const accountId of accountIds) listings.set(accountId, await client.trackingLinks.list(accountId));
    return listings;
  } finally {
    await client.close();
  }
}

/** The subcommand, with its collaborators injectable. Never throws: a failure is a message and exit code 1. */
export function makeRecover(dependencies: RecoverDependencies = {}): Subcommand {
  return subcommand({
    prefix: PREFIX,
    usage: RECOVER_USAGE,
    parse: parseRecoverArgs,
    run: async (options, io) => {
      try {
        return await recover(options, io, {
          runPulumi: (dependencies.runPulumi ?? spawnPulumi)(io),
          listLinks: dependencies.listLinks ?? listWithStackSettings,
          now: dependencies.now ?? (() => new Date()),
          isProcessAlive: dependencies.isProcessAlive ?? isProcessAlive,
        });
      } catch (error) {
        if (error instanceof DryRunStopped) return EXIT_OK;
        throw error;
      }
    },
  });
}

export const runRecover: Subcommand = makeRecover();

async function recover(options: RecoverOptions, io: CliIo, deps: Collaborators): Promise<number> {
  const stackArgs = options.stack === undefined ? [] : ["--stack", options.stack];
  /** `pulumi <args>` on the stack; when its state cannot be read, repaired once (if it may be) and run again. */
  const onStack = async (args: readonly string[]): Promise<PulumiResult> => {
    const result = await deps.runPulumi([...args, ...stackArgs]);
    if (result.code === 0 || !UNREADABLE_STATE.test(result.stderr + result.stdout)) return result;
    await repairUnreadableState(options, io, deps, firstLines(result.stderr || result.stdout));
    return deps.runPulumi([...args, ...stackArgs]);
  };
  const pulumi = async (args: readonly string[], what: string): Promise<string> => {
    const result = await onStack(args);
    if (result.code !== 0) throw new RecoverFailure(`\`pulumi ${args.join(" ")}\` failed (${what}): ${firstLines(result.stderr || result.stdout)}`);
    return result.stdout;
  };

  if (options.cancelLock && !options.dryRun) {
    const cancel = await onStack(["cancel", "--yes"]);
    // Pulumi Cloud answers an error when no update is running; the DIY backends simply find no lock.
    if (cancel.code !== 0) io.stderr(`${PREFIX}: note: \`pulumi cancel\` found nothing to cancel: ${firstLines(cancel.stderr || cancel.stdout)}\n`);
  }

  const exported = await pulumi(["stack", "export"], "reading the stack's state");
  const stack = parseExport(exported);
  const accounts = accountsToList(stack);
  if (accounts.length === 0) {
    // Nothing of ours to write, so nothing is dropped: every other pending operation stays as it is.
    const quiet = decideRecovery(stack, new Map(), undefined);
    if (quiet.decisions.length > 0) return reportStops(io, quiet.decisions.map(describeDecision));
    const ours = quiet.otherInterrupted.filter((op) => isTrackingLinkType(op.resource.type)).length;
    if (ours > 0) {
      io.stdout(`${PREFIX}: ${ours} interrupted TrackingLink delete(s)/update(s): the next \`pulumi destroy\` or \`up\` repeats them (deleting a link already gone succeeds); nothing to recover\n`);
    }
    return EXIT_OK;
  }

  const config = configSource(await pulumi(["config", "--json", "--show-secrets"], "reading the stack's fansly:* config"));
  const since = createdSince(await historyBackToLastUpdate(deps.runPulumi, stackArgs));
  const listings = await listAccounts(stack, config, { ...deps, pulumi, stackArgs, options, io });
  const plan = decideRecovery(stack, listings, since);
  const lines = plan.decisions.map(describeDecision);
  if (plan.decisions.some((decision) => decision.kind === "stop")) return reportStops(io, lines);

  const adopted = plan.decisions.filter((decision) => decision.kind === "adopt").length;
  const cleared = plan.decisions.length - adopted;
  const sinceText = since === undefined ? "no succeeded update on record: any unmanaged link may match" : `links made since ${new Date(since).toISOString()}, the end of the last succeeded update`;
  io.stdout(`${PREFIX}: ${plan.decisions.length} interrupted TrackingLink create(s) (${sinceText})\n${lines.join("\n")}\n`);
  if (!canApply(plan, options.dropOtherCreates)) return reportOtherCreates(io, plan.otherCreates, options);
  if (plan.otherInterrupted.length > 0) io.stdout(`${describeDropped(plan.otherInterrupted)}\n`);
  if (plan.otherCreates.length > 0) io.stdout(`  dropped (--drop-other-pending-creates): ${plan.otherCreates.map((op) => op.resource.urn).join(", ")}\n`);
  if (options.dryRun) {
    io.stdout(`dry run: nothing written. Without --dry-run: ${adopted} link(s) into state, ${cleared} pending create(s) cleared.\n`);
    return EXIT_OK;
  }

  const edited = applyRecovery(stack, plan, deps.now(), options.dropOtherCreates);
  await writeUnchanged(stack, edited, { ...deps, pulumi, stackArgs, options, io });
  io.stdout(`done: ${adopted} link(s) brought into state, ${cleared} pending create(s) cleared. The next \`pulumi up\` creates only what is still missing.\n`);
  return EXIT_OK;
}

/**
 * Every account a pending create names, listed with the stack's `fansly:*` config, or with the settings of the
 * explicit plugin-face Provider its creates were made with (recoverPlan.ts `listingProviders`): that provider's
 * inputs, from `pulumi stack export --show-secrets` (its key is stored as a secret), read as the plugin reads them.
 */
async function listAccounts(stack: ExportedStack, config: ConfigSource, context: WriteContext): Promise<Map<string, TrackingLink[]>> {
  const providers = listingProviders(stack);
  const explicit = new Set([...providers.values()].filter((urn): urn is string => urn !== undefined));
  const settings = new Map<string | undefined, ConfigSource>([[undefined, config]]);
  if (explicit.size > 0) {
    const revealed = parseExport(await context.pulumi(["stack", "export", "--show-secrets"], "reading the explicit providers' settings"));
    for (const urn of explicit) {
      const inputs = resourcesOf(revealed).find((resource) => resource.urn === urn)?.inputs;
      if (inputs === undefined) throw new RecoverFailure(`the provider ${urn} that interrupted creates were made with is not in state: run \`pulumi refresh\` first`);
      settings.set(urn, configSourceOf(withSecretsRevealed(inputs)));
    }
  }
  const listings = new Map<string, TrackingLink[]>();
  for (const [provider, source] of settings) {
    const accounts = [...providers].filter(([, chosen]) => chosen === provider).map(([accountId]) => accountId);
    if (accounts.length === 0) continue;
    for (const [accountId, links] of await context.listLinks(source, context.io.env, accounts)) listings.set(accountId, links);
  }
  return listings;
}

/** Provider inputs from `stack export --show-secrets`: each secret `{ <signature>, plaintext: <JSON> }` as its value. */
function withSecretsRevealed(inputs: Record<string, unknown>): PropertyValues {
  const values: PropertyValues = {};
  for (const [name, value] of Object.entries(inputs)) {
    const secret = z.looseObject({ [SPECIAL_SIGNATURE_KEY]: z.literal(SECRET_SIGNATURE), plaintext: z.string() }).safeParse(value);
    values[name] = (secret.success ? parseJsonOrUndefined(secret.data.plaintext) : value) as PlainValue;
  }
  return values;
}

interface WriteContext extends Collaborators {
  pulumi: (args: readonly string[], what: string) => Promise<string>;
  stackArgs: readonly string[];
  options: RecoverOptions;
  io: CliIo;
}

/**
 * Writes `edited` with `pulumi stack import` only if the stack still holds `planned`. Pulumi has no
 * compare-and-swap import, so the check and the write are two commands. On a file backend the check runs under the
 * stack's lock, taken in Pulumi's own format (fileBackendState.ts `takeStackLock`): no pulumi command can write the
 * stack between the re-read and the moment the lock is released, right before `stack import` starts (and takes it
 * again itself). What remains is that command's start: a whole locked write that begins after the release and ends
 * before `stack import` locks (0.5–1.3 s from its start to its lock, measured on CLI 3.248). Such a write is found
 * after the import: the file backend copies the checkpoint each write replaces to `<stack>.json.bak`, which must be
 * the state recover planned from. On other backends (S3 and the like, PostgreSQL, Pulumi Cloud) recover cannot take
 * the lock, and the window is from the re-read to the import's lock, unchecked.
 */
async function writeUnchanged(planned: ExportedStack, edited: ExportedStack, context: WriteContext): Promise<void> {
  const files = await fileBackendStackFiles(planned, context);
  const lock = files === undefined ? undefined : await lockStack(files, context);
  try {
    // The state must be the one we planned from: a run that finished meanwhile would otherwise be overwritten.
    if (JSON.stringify(parseExport(await context.pulumi(["stack", "export"], "re-reading the stack's state"))) !== JSON.stringify(planned)) {
      throw new RecoverFailure("the stack's state changed while recover was looking (is another pulumi command running on it?): nothing written; run recover again once it ends");
    }
  } finally {
    await lock?.release();
  }
  await importState(edited, context.stackArgs, context.runPulumi, context.options);
  if (files === undefined) return;
  const replaced = ExportedStackSchema.shape.deployment.safeParse(await deploymentBeforeLastWrite(files));
  if (!replaced.success) {
    context.io.stderr(`${PREFIX}: note: ${backupOf(files)} could not be read, so recover could not check that no other write came just before its import\n`);
    return;
  }
  const before = { ...planned, deployment: replaced.data };
  // The replaced state is the one checked; or, when another command wrote right after the import, the one imported.
  if (!(sameResources(before, planned) || sameResources(before, edited))) {
    throw new RecoverFailure(
      `the recovered state was written, but the state it replaced (${backupOf(files)}) is not the one recover checked: another pulumi command wrote the stack ` +
        "in the moment between recover's check and its `pulumi stack import`, and that write is now overwritten. Its state is kept in that file " +
        "(`checkpoint.latest` is the deployment): compare it with `pulumi stack export`, and write back what is missing before the next `up`",
    );
  }
}

/** The stack's files on a file backend (the stack and project named by the state's own URNs); undefined on any other backend. */
async function fileBackendStackFiles(planned: ExportedStack, context: WriteContext): Promise<StackFiles | undefined> {
  const root = await fileBackendRootOf(context.runPulumi, context.io);
  const names = stackAndProjectOf(planned);
  if (root === undefined || names === undefined) return undefined;
  return stackFiles(root, names.project, names.stack);
}

/** The folder of the file backend `pulumi` uses here (`pulumi whoami`); undefined for any other backend. */
async function fileBackendRootOf(runPulumi: RunPulumi, io: CliIo): Promise<string | undefined> {
  const whoami = await runPulumi(["whoami", "--verbose", "--json"]);
  const backend = whoami.code === 0 ? WhoamiSchema.safeParse(parseJsonOrUndefined(whoami.stdout)) : undefined;
  return backend?.success === true ? fileBackendRoot(backend.data.url, io.env.HOME, io.cwd) : undefined;
}

/** The stack's lock on a file backend; a lock held by someone else stops recover before anything is written. */
async function lockStack(files: StackFiles, context: WriteContext): Promise<HeldLock> {
  const lock = await takeStackLock(files.lockDir, context.now());
  if ("heldBy" in lock) {
    throw new RecoverFailure(
      `the stack is locked (${lock.heldBy.join(", ")}), so nothing was written. If no other pulumi command is running on this stack, run ` +
        `\`pulumi cancel${context.stackArgs.length > 0 ? ` ${context.stackArgs.join(" ")}` : ""}\`, then recover again.`,
    );
  }
  return lock;
}

/** `urn:pulumi:<stack>::<project>::…` of the state's first resource. */
function stackAndProjectOf(stack: ExportedStack): { stack: string; project: string } | undefined {
  const urn = resourcesOf(stack)[0]?.urn ?? stack.deployment.pending_operations?.[0]?.resource.urn;
  const match = urn === undefined ? null : /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match === null ? undefined : { stack: match[1] as string, project: match[2] as string };
}

/**
 * Whether two states hold the same resources with the same bookkeeping (URN, type, id, parent, provider,
 * dependencies, protect, delete, and the rest of the resource's top-level flags), ignoring what the CLI rewrites when
 * it serializes (times, the order of keys, secrets' ciphertext): the check that no other write slipped in. Pending
 * operations are not compared: `stack import` drops them.
 */
function sameResources(a: ExportedStack, b: ExportedStack): boolean {
  const shape = (stack: ExportedStack): string => JSON.stringify(resourcesOf(stack).map(bookkeepingOf));
  return shape(a) === shape(b);
}

/** A resource's top-level fields in key order, objects (inputs, outputs) as their key names; empty and false ones out, as Go's `omitempty` leaves them. */
function bookkeepingOf(resource: Record<string, unknown>): [string, unknown][] {
  const fields: [string, unknown][] = [];
  for (const key of Object.keys(resource).sort()) {
    const value = resource[key];
    if (REWRITTEN_ON_IMPORT.has(key) || value === undefined || value === false || value === "") continue;
    const kept = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value).sort() : value;
    if (Array.isArray(kept) && kept.length === 0) continue;
    fields.push([key, kept]);
  }
  return fields;
}

/** Top-level fields of a resource that `stack import` may write differently from how recover wrote them. */
const REWRITTEN_ON_IMPORT: ReadonlySet<string> = new Set(["created", "modified"]);

function describeDropped(ops: readonly { type: string; resource: { urn: string } }[]): string {
  return (
    `  dropped: ${ops.length} record(s) of interrupted ${[...new Set(ops.map((op) => op.type))].join("/")} operations (${ops.map((op) => op.resource.urn).join(", ")}). ` +
    "`pulumi stack import` drops every pending operation; Pulumi's own next run drops these too (it keeps only pending creates). " +
    "Their resources stay in state, and the next `up` or `destroy` repeats what is still needed"
  );
}

function reportOtherCreates(io: CliIo, ops: readonly { type: string; resource: { urn: string; type: string } }[], options: RecoverOptions): number {
  io.stderr(
    `${PREFIX}: stopped, nothing written: other resources' creates were interrupted too:\n${ops.map((op) => `  ${op.resource.urn}`).join("\n")}\n` +
      "recover writes the state with `pulumi stack import`, which drops every pending operation, and Pulumi keeps these until someone decides: " +
      "each may exist in its cloud. Check each in its provider; one that was made you bring in after recover with `pulumi import <type> <name> <id>`. " +
      `Then run \`npx pulumi-fansly recover --drop-other-pending-creates${options.stack === undefined ? "" : ` --stack ${options.stack}`}\`.\n`,
  );
  return EXIT_FAILURE;
}

/**
 * After "failed to load checkpoint": when it is the file backend's cut-short write (fileBackendState.ts), finishes
 * it and says so; otherwise, or when a pulumi command that may still be running holds the lock (it may be writing
 * right now), stops with what to do. Returns only after a repair.
 */
async function repairUnreadableState(options: RecoverOptions, io: CliIo, deps: Collaborators, pulumiSaid: string): Promise<void> {
  const cannotRead = `the stack's state cannot be read (pulumi: ${pulumiSaid})`;
  const root = await fileBackendRootOf(deps.runPulumi, io);
  if (root === undefined) {
    throw new RecoverFailure(`${cannotRead}. Only a file backend's cut-short write is known to recover; this backend is not one: ask its operator to restore the stack's state`);
  }
  const ref = options.stack?.split("/") ?? [];
  const project = ref.length === 3 ? (ref[1] as string) : await projectName(io.cwd);
  let stack = ref.at(-1);
  if (stack === undefined) {
    const broken = await stacksWithBrokenSidecar(root, project);
    const only = broken[0];
    if (broken.length !== 1 || only === undefined) {
      throw new RecoverFailure(`${cannotRead}. ${broken.length === 0 ? "No stack of" : `Stacks ${broken.join(", ")} of`} project ${project} in ${root} ha${broken.length === 1 ? "s" : "ve"} a cut-short state write: run recover with --stack NAME`);
    }
    stack = only;
  }
  const files = await stackFiles(root, project, stack);
  if (files === undefined) throw new RecoverFailure(`${cannotRead}, and no state file of stack ${stack} (project ${project}) is in ${root}: run recover with --stack NAME`);
  const diagnosis = await diagnoseCheckpoint(files);
  if (diagnosis.kind === "not-ours") {
    throw new RecoverFailure(
      `${cannotRead}; ${diagnosis.detail}. Nothing was changed. The backend's copy of the state before its last write is ${files.checkpoint}.bak: ` +
        `check it, then \`pulumi stack import --file <its deployment>\` if it is the state you want`,
    );
  }
  const holders = (await lockHolders(files.lockDir, deps.isProcessAlive)).filter((holder) => holder.mayBeRunning);
  if (holders.length > 0 && !options.cancelLock) {
    const who = holders.map((h) => `${h.file} (pid ${h.pid ?? "?"} on host ${h.host ?? "?"})`).join(", ");
    throw new RecoverFailure(
      `${describeRepair(diagnosis)}\nNothing was changed: the stack's lock ${who} may belong to a pulumi command still running (and writing). ` +
        `If that command is dead (a killed CI job), run \`npx pulumi-fansly recover --cancel-lock${options.stack === undefined ? "" : ` --stack ${options.stack}`}\`: ` +
        "it repairs the state, then removes the lock",
    );
  }
  if (options.dryRun) {
    io.stdout(`${PREFIX}: ${describeRepair(diagnosis)}\ndry run: nothing repaired, and nothing more can be read until it is. Without --dry-run: repaired, then recovered.\n`);
    throw new DryRunStopped();
  }
  await repairCheckpoint(diagnosis);
  io.stdout(`${PREFIX}: repaired stack ${stack}'s state: ${describeRepair(diagnosis)} Done.\n`);
}

/** The project's name from Pulumi.yaml in the project folder (recover runs there, as `pulumi up` does). */
async function projectName(cwd: string): Promise<string> {
  for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
    let text: string;
    try {
      text = await readFile(join(cwd, file), "utf8");
    } catch {
      continue;
    }
    let loaded: unknown;
    try {
      loaded = yaml.load(text);
    } catch {
      loaded = undefined;
    }
    const parsed = ProjectFileSchema.safeParse(loaded);
    if (parsed.success) return parsed.data.name;
    throw new RecoverFailure(`${file} in ${cwd} has no project name: run recover in the project folder, or pass --stack organization/PROJECT/STACK`);
  }
  throw new RecoverFailure(`no Pulumi.yaml in ${cwd}: run recover in the project folder, or pass --stack organization/PROJECT/STACK`);
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function importState(edited: ExportedStack, stackArgs: readonly string[], runPulumi: RunPulumi, options: RecoverOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-recover-"));
  try {
    const file = join(dir, "state.json");
    // Holds only what `pulumi stack export` printed (secrets stay ciphertext); the folder is removed right after.
    await writeFile(file, JSON.stringify(edited), { mode: 0o600 });
    const result = await runPulumi(["stack", "import", "--file", file, ...stackArgs]);
    if (result.code === 0) return;
    const why = firstLines(result.stderr || result.stdout);
    if (LOCKED.test(result.stderr + result.stdout)) {
      throw new RecoverFailure(
        `the stack is locked, so nothing was written: ${why}\n` +
          (options.cancelLock
            ? "Another pulumi command took the lock after `pulumi cancel`: let it finish, then run recover again."
            : "A killed run leaves its lock behind. If no other pulumi command is running on this stack, run " +
              `\`pulumi cancel${stackArgs.length > 0 ? ` ${stackArgs.join(" ")}` : ""}\`, then recover again (in a one-at-a-time CI job: recover --cancel-lock).`),
      );
    }
    throw new RecoverFailure(`\`pulumi stack import\` refused the recovered state, so nothing was written: ${why}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function reportStops(io: CliIo, lines: readonly string[]): number {
  io.stderr(
    `${PREFIX}: stopped, nothing written: some interrupted creates need a person to decide.\n${lines.join("\n")}\n` +
      "Fix the STOPPED ones as each line says, then run recover again. Until then, `pulumi up` would create those links a second time.\n",
  );
  return EXIT_FAILURE;
}

function parseExport(text: string): ExportedStack {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RecoverFailure("`pulumi stack export` printed something that is not JSON: is `pulumi` on PATH the Pulumi CLI?");
  }
  const parsed = ExportedStackSchema.safeParse(json);
  if (!parsed.success) throw new RecoverFailure(`\`pulumi stack export\` printed a state this release cannot read (${parsed.error.issues[0]?.message ?? "unknown shape"}): update pulumi-fansly`);
  return parsed.data;
}

/** `pulumi config --json --show-secrets` → a lookup the provider's own settings resolver reads, as `configure` does. */
function configSource(text: string): ConfigSource {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, and this text holds the decrypted API key.
    throw new RecoverFailure("`pulumi config --json` printed something that is not JSON: is `pulumi` on PATH the Pulumi CLI?");
  }
  const parsed = ConfigJsonSchema.safeParse(json);
  if (!parsed.success) throw new RecoverFailure("`pulumi config --json` printed an unexpected shape: update pulumi-fansly");
  const values = new Map<string, string>();
  for (const [key, entry] of Object.entries(parsed.data)) {
    if (typeof entry.value === "string") values.set(key, entry.value);
    else if (entry.value !== undefined) values.set(key, JSON.stringify(entry.value));
  }
  return { get: (key) => values.get(key) };
}

/** History is read a page at a time, newest first (the CLI's default page is 10 entries), at most this many pages. */
const HISTORY_PAGE_SIZE = 50;
const HISTORY_PAGES = 20;

/**
 * The stack's history from the newest entry back to the last succeeded update (`createdSince` needs no older one).
 * A stack whose drift check refreshes every hour has pages of refreshes before it, so one page is not enough. Past
 * `HISTORY_PAGES` pages the window is left open (safe: see `createdSince`).
 */
async function historyBackToLastUpdate(runPulumi: RunPulumi, stackArgs: readonly string[]): Promise<History> {
  const entries: NonNullable<History> = [];
  for (let page = 1; page <= HISTORY_PAGES; page++) {
    const entriesOfPage = parseHistory(await runPulumi(["stack", "history", "--json", "--page-size", String(HISTORY_PAGE_SIZE), "--page", String(page), ...stackArgs]));
    if (entriesOfPage === null || entriesOfPage.length === 0) break;
    entries.push(...entriesOfPage);
    if (createdSince(entriesOfPage) !== undefined) break;
  }
  return entries;
}

/**
 * `pulumi stack history --json` → its entries; null when it cannot be read (then no link is excluded by age, and only
 * the ambiguity rule protects: see `createdSince`).
 */
function parseHistory(history: PulumiResult): History {
  if (history.code !== 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(history.stdout);
  } catch {
    return null;
  }
  const parsed = HistorySchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The first lines of what pulumi printed: enough to say why, short enough to read. */
function firstLines(text: string): string {
  const lines = text.trim().split("\n").filter((line) => line.trim() !== "");
  return lines.slice(0, 6).join("\n") || "(it printed nothing)";
}
