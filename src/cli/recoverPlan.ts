/**
 * What `pulumi-fansly recover` decides for a stack whose last `pulumi up` was killed: for each TrackingLink the
 * engine recorded as "creating" but never finished, which link (if any) the killed run made, and the state that
 * brings that link in. Pure: the exported state and the account listings in, a plan and an edited state out, so
 * every rule can be checked without a CLI or an API.
 *
 * How the engine records it (Pulumi 3.248 and 3.276 alike: pkg/backend/snapshot.go `doCreate` for the DIY backends,
 * pkg/engine/journal_snapshot.go for the journaling ones, unchanged between them): before it calls the
 * provider's Create it writes a pending operation `{ type: "creating", resource: <the new state> }` holding the URN,
 * the checked inputs (with `__provider`) and no id. The operation holds the same state object the step fills in
 * when Create returns, so a checkpoint written between that moment and the step's end also carries the id and the
 * outputs. A kill leaves the operation behind; every later `up` copies it forward (backend/journal.go) and creates
 * the resource again, which for an API without idempotency keys means a second link.
 *
 * Both faces record it the same way; only what they store differs. The dynamic face's state (type
 * `DYNAMIC_TRACKING_LINK_TYPE`) carries the serialized provider as `__provider` in its inputs and outputs and the
 * traffic counters in its outputs; the plugin face's (`PLUGIN_TRACKING_LINK_TYPE`) carries neither. A stack may hold
 * both (TrackingLinkSet stays on the TypeScript face), so owners are read from every link resource of either type.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { CREATE_MATCH_CLOCK_SKEW_MS, findLinkById, isBuiltInLink, type TrackingLink } from "../client";
import { pluginStoredOutputs } from "../plugin/state";
import { isDefaultProvider } from "../plugin/providerSettings";
import { isTrackingLinkType, PACKAGE_NAME, PLUGIN_TRACKING_LINK_TYPE } from "../plugin/tokens";
import { outputsOf } from "../provider/implementation";
import { PROVIDER_KEY } from "../provider/schemas";

const ResourceStateSchema = z.looseObject({
  urn: z.string(),
  type: z.string(),
  id: z.string().optional(),
  delete: z.boolean().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  parent: z.string().optional(),
  provider: z.string().optional(),
  dependencies: z.array(z.string()).optional(),
});
type ResourceState = z.infer<typeof ResourceStateSchema>;

const PendingOperationSchema = z.looseObject({ resource: ResourceStateSchema, type: z.string() });
type PendingOperation = z.infer<typeof PendingOperationSchema>;

/** `pulumi stack export` output (deployment schema v3); everything we do not read is kept as it is. */
export const ExportedStackSchema = z.looseObject({
  version: z.number(),
  deployment: z.looseObject({
    resources: z.array(ResourceStateSchema).nullish(),
    pending_operations: z.array(PendingOperationSchema).nullish(),
  }),
});
export type ExportedStack = z.infer<typeof ExportedStackSchema>;

/** The inputs a TrackingLink's pending create holds, either face: `check()` already filled in the account and description. */
const PendingInputsSchema = z.looseObject({
  label: z.string(),
  description: z.string(),
  accountId: z.string(),
  trackingLinkId: z.string().optional(),
  // Not `__provider`: only the dynamic face's inputs hold it (the plugin face's never do); kept as it is, unread.
});
type PendingInputs = z.infer<typeof PendingInputsSchema>;

export type Decision =
  /** The link exists and no resource owns it: it goes into state as this resource. */
  | { kind: "adopt"; urn: string; link: TrackingLink; accountId: string; foundBy: "recorded id" | "trackingLinkId" | "label and description" }
  /** The killed run made no link for this resource (or it is gone): drop the pending create; the next `up` creates it. */
  | { kind: "clear"; urn: string; reason: string }
  /** Recovery cannot decide safely; nothing is written until a person does. */
  | { kind: "stop"; urn: string; problem: string };

export interface RecoveryPlan {
  decisions: Decision[];
  /** Accounts whose links the plan needs listed (every account a pending TrackingLink create names). */
  accounts: string[];
  /**
   * Interrupted deletes, updates, reads and imports, of any type. The resource stays in state and the next run
   * repeats what is still needed; the engine's own next write drops these records (it keeps only pending creates:
   * pkg/backend/snapshot.go and journal.go), and so does `pulumi stack import`.
   */
  otherInterrupted: PendingOperation[];
  /**
   * Interrupted creates of other resource types. Pulumi keeps these until a person resolves them (the resource may
   * exist in its cloud), but `pulumi stack import`, recover's only way to write, drops every pending operation
   * (pkg/cmd/pulumi/stack/io.go `SaveSnapshot`): so recover writes nothing while any is pending, unless told to drop them.
   */
  otherCreates: PendingOperation[];
}

export function resourcesOf(stack: ExportedStack): ResourceState[] {
  return stack.deployment.resources ?? [];
}

function pendingOf(stack: ExportedStack): PendingOperation[] {
  return stack.deployment.pending_operations ?? [];
}

/** The type of the plugin face's provider resources (`pulumi:providers:<package>`). */
const PLUGIN_PROVIDER_TYPE = `pulumi:providers:${PACKAGE_NAME}`;

/** The engine's name for a pending create (pkg/resource `OperationTypeCreating`). */
const CREATING = "creating";

function isPendingTrackingLinkCreate(op: PendingOperation): boolean {
  return op.type === CREATING && isTrackingLinkType(op.resource.type);
}

/** The link id a TrackingLink in state manages: its `trackingLinkId` output, else its Pulumi id. */
function managedLinkId(resource: ResourceState): string | undefined {
  const output = resource.outputs?.trackingLinkId;
  return typeof output === "string" ? output : resource.id;
}

/** Which accounts must be listed before `decideRecovery` can run; empty when nothing is pending. */
export function accountsToList(stack: ExportedStack): string[] {
  const accounts = new Set<string>();
  for (const op of pendingOf(stack).filter(isPendingTrackingLinkCreate)) {
    const inputs = PendingInputsSchema.safeParse(op.resource.inputs);
    if (inputs.success) accounts.add(inputs.data.accountId);
  }
  return [...accounts].sort();
}

/**
 * Whose settings list each account: the stack's `fansly:*` config (undefined), or, where every interrupted create in
 * that account was made with an explicit plugin-face `Provider` (another key, perhaps), that provider's URN. Any key
 * that may use the account lists the same links; the stack's key may not.
 */
export function listingProviders(stack: ExportedStack): Map<string, string | undefined> {
  const providers = new Map<string, string | undefined>();
  for (const op of pendingOf(stack).filter(isPendingTrackingLinkCreate)) {
    const inputs = PendingInputsSchema.safeParse(op.resource.inputs);
    if (!inputs.success) continue;
    const provider = providerUrn(op.resource.provider);
    const explicit = provider !== undefined && provider.split("::").at(-2) === PLUGIN_PROVIDER_TYPE && !isDefaultProvider(provider) ? provider : undefined;
    const { accountId } = inputs.data;
    const chosen = providers.has(accountId) ? providers.get(accountId) : explicit;
    providers.set(accountId, chosen === undefined || explicit === undefined ? undefined : chosen);
  }
  return providers;
}

/** `pulumi stack history --json`: the fields the window rule reads (times are whole seconds, UTC). */
export const HistorySchema = z
  .array(z.looseObject({ kind: z.string().optional(), result: z.string().optional(), startTime: z.string().optional(), endTime: z.string().optional() }))
  .nullable();
export type History = z.infer<typeof HistorySchema>;

/** The one kind of history entry that can make a link: `pulumi up` (refresh and import read, destroy deletes). */
const LINK_MAKING_KIND = "update";
const SUCCEEDED = "succeeded";

/**
 * The start of the window "made by the interrupted run": when the last `pulumi up` that succeeded ended.
 *
 * What the backend records of the interrupted run itself: nothing with a time. Its pending creates carry no
 * timestamp (the engine stamps `created` only when Create returns); the file backend writes a history entry only when
 * an update ends, so a killed one leaves none; `pulumi cancel` writes none either. So the window is bounded by the
 * runs around it, and the bound must lie before the killed run began. Entries that may have run after the kill are
 * left out:
 *
 * - refresh, destroy, import, preview: they make no link, and each may come after the kill (`pulumi refresh` is what
 *   Pulumi's own warning suggests). Taking a refresh as the bound once cleared 6 links the killed run had made.
 * - a failed update: a later `up` that failed before reaching the pending resources (and Pulumi Cloud's record of
 *   the killed run itself, "failed" after `pulumi cancel`).
 *
 * A succeeded update after the kill either declared each pending resource, and so created it again (its URN is then
 * in state: `decideRecovery` clears the create without searching, and only names leftovers), or no longer declares
 * it (a create recover clears cannot then be made twice). Left out entries only move the bound earlier, which widens
 * the candidates: never a link missed, at worst more matches than creates, where recovery stops and lists them.
 * (`pulumi up --target` after a kill is the exception: it succeeds without the pending resources.)
 *
 * Undefined when no succeeded update is on record: then no link is excluded by age.
 */
export function createdSince(history: History): number | undefined {
  const ends = (history ?? [])
    .filter((entry) => entry.kind === LINK_MAKING_KIND && entry.result === SUCCEEDED)
    .map((entry) => Date.parse(entry.endTime ?? ""))
    .filter((ms) => !Number.isNaN(ms));
  return ends.length === 0 ? undefined : Math.max(...ends);
}

/**
 * Could `link` have been made by the interrupted run? Made no earlier than `since` (`createdSince`) less the clock
 * skew the client allows between the API's clock and ours. A link without `createdAt` cannot be excluded, and with
 * no bound neither can any link: then only the ambiguity rule protects.
 */
function mayBeFromInterruptedRun(link: TrackingLink, since: number | undefined): boolean {
  if (since === undefined || link.createdAt === undefined) return true;
  return Date.parse(link.createdAt) >= since - CREATE_MATCH_CLOCK_SKEW_MS;
}

/**
 * One decision per pending TrackingLink create.
 *
 * - With an id (recorded by the engine, or `trackingLinkId` for an adoption): that link, if it still exists.
 * - Without one: a link in the same account with the same label and description, made since `since`, that no
 *   resource in state manages and no other decision took. Pending creates with the same account, label and
 *   description are interchangeable (their links are identical), so k of them take up to k such links, oldest first;
 *   more links than pending creates means someone else made one too, and recovery stops.
 * - It never takes a link another resource in the state manages.
 *
 * @param listings every link of each account in `accountsToList(stack)`
 * @param since `createdSince(history)`: epoch ms no link of the interrupted run can be older than (less clock skew)
 */
export function decideRecovery(stack: ExportedStack, listings: ReadonlyMap<string, readonly TrackingLink[]>, since: number | undefined): RecoveryPlan {
  const resources = resourcesOf(stack);
  const pending = pendingOf(stack);
  const owners = new Map<string, string>();
  for (const resource of resources) {
    const id = isTrackingLinkType(resource.type) ? managedLinkId(resource) : undefined;
    if (id !== undefined) owners.set(id, resource.urn);
  }
  const liveUrns = new Set(resources.filter((resource) => resource.delete !== true).map((resource) => resource.urn));
  const taken = new Map<string, string>();
  const decisions: Decision[] = [];
  const searches: { urn: string; inputs: PendingInputs }[] = [];

  for (const op of pending.filter(isPendingTrackingLinkCreate)) {
    const urn = op.resource.urn;
    const parsed = PendingInputsSchema.safeParse(op.resource.inputs);
    if (!parsed.success) {
      decisions.push({ kind: "stop", urn, problem: "its pending create holds no label/description/accountId inputs (written by an unknown release?)" });
      continue;
    }
    const inputs = parsed.data;
    if (liveUrns.has(urn)) {
      // A later `up` created it again (the engine carries pending creates forward), or a replacement was cut short.
      // Either way the state already has this resource: its pending create only stands for a link that may be left over.
      const leftovers = (listings.get(inputs.accountId) ?? []).filter(
        (link) => !isBuiltInLink(link) && link.label === inputs.label && link.description === inputs.description && !owners.has(link.id) && mayBeFromInterruptedRun(link, since),
      );
      decisions.push({
        kind: "clear",
        urn,
        reason:
          "a resource with this URN is already in state (a later run created it again, or was replacing it); " +
          (leftovers.length === 0
            ? "no unmanaged link with its label is left over"
            : `unmanaged links with its label that may be left over, to delete in Fansly if nobody made them by hand: ${leftovers.map((link) => link.id).join(", ")}`),
      });
      continue;
    }
    const knownId = op.resource.id !== undefined && op.resource.id !== "" ? op.resource.id : inputs.trackingLinkId;
    if (knownId === undefined) {
      searches.push({ urn, inputs });
      continue;
    }
    const foundBy = op.resource.id !== undefined && op.resource.id !== "" ? "recorded id" : "trackingLinkId";
    const holder = owners.get(knownId) ?? taken.get(knownId);
    const link = findLinkById(listings.get(inputs.accountId) ?? [], knownId);
    if (holder !== undefined) {
      decisions.push({ kind: "stop", urn, problem: `link ${knownId} (its ${foundBy}) is already managed by ${holder}` });
    } else if (link === undefined) {
      decisions.push({ kind: "clear", urn, reason: `link ${knownId} (its ${foundBy}) no longer exists in account ${inputs.accountId}` });
    } else if (isBuiltInLink(link)) {
      decisions.push({ kind: "stop", urn, problem: `link ${knownId} is one of Fansly's built-in links, which no resource can manage` });
    } else {
      taken.set(knownId, urn);
      decisions.push({ kind: "adopt", urn, link, accountId: inputs.accountId, foundBy });
    }
  }

  // Searches by label and description, one group per (account, label, description).
  const groups = new Map<string, { urn: string; inputs: PendingInputs }[]>();
  for (const search of searches) {
    const key = JSON.stringify([search.inputs.accountId, search.inputs.label, search.inputs.description]);
    groups.set(key, [...(groups.get(key) ?? []), search]);
  }
  for (const group of groups.values()) {
    const { accountId, label, description } = (group[0] as { inputs: PendingInputs }).inputs;
    const candidates = (listings.get(accountId) ?? [])
      .filter((link) => !isBuiltInLink(link) && link.label === label && link.description === description)
      .filter((link) => !owners.has(link.id) && !taken.has(link.id) && mayBeFromInterruptedRun(link, since))
      .sort((a, b) => Date.parse(a.createdAt ?? "") - Date.parse(b.createdAt ?? "") || a.id.localeCompare(b.id));
    if (candidates.length > group.length) {
      const ids = candidates.map((link) => `${link.id}${link.createdAt === undefined ? "" : ` (created ${link.createdAt})`}`).join(", ");
      for (const { urn } of group) {
        decisions.push({
          kind: "stop",
          urn,
          problem:
            `${candidates.length} unmanaged links in account ${accountId} match label ${JSON.stringify(label)}` +
            `${description === "" ? "" : ` and its description`} for ${group.length} interrupted create(s): ${ids}. ` +
            "Delete the extra link(s) in Fansly, or give this resource the right one with trackingLinkId, then run recover again",
        });
      }
      continue;
    }
    group.forEach(({ urn }, i) => {
      const link = candidates[i];
      if (link === undefined) {
        decisions.push({ kind: "clear", urn, reason: "the interrupted run made no link for it" });
      } else {
        taken.set(link.id, urn);
        decisions.push({ kind: "adopt", urn, link, accountId, foundBy: "label and description" });
      }
    });
  }

  const others = pending.filter((op) => !isPendingTrackingLinkCreate(op));
  return {
    decisions,
    accounts: accountsToList(stack),
    otherInterrupted: others.filter((op) => op.type !== CREATING),
    otherCreates: others.filter((op) => op.type === CREATING),
  };
}

/**
 * True when the plan may be written: nothing to stop for, something to change, and no other resource's pending
 * create that writing would drop (unless `dropOtherCreates`: a person checked them).
 */
export function canApply(plan: RecoveryPlan, dropOtherCreates = false): boolean {
  return plan.decisions.length > 0 && plan.decisions.every((decision) => decision.kind !== "stop") && (dropOtherCreates || plan.otherCreates.length === 0);
}

/**
 * The state after the plan: each decided pending create removed; each adopted link added as a resource shaped as
 * its face's Create stores one (`storedOutputs`), with the pending state's URN, parent, provider and inputs, at the
 * end of the resource list, after everything it can depend on. Other pending operations are left in the list;
 * `pulumi stack import` drops them (see `RecoveryPlan`), which `canApply` allows only for those the engine drops too.
 *
 * @throws when an adopted resource's parent or provider is not in state (the edit would not pass `stack import`)
 */
export function applyRecovery(stack: ExportedStack, plan: RecoveryPlan, now: Date = new Date(), dropOtherCreates = false): ExportedStack {
  if (!canApply(plan, dropOtherCreates)) throw new Error("this recovery plan has decisions to stop for, or would drop other resources' pending creates: nothing may be written");
  const byUrn = new Map(plan.decisions.map((decision) => [decision.urn, decision]));
  const resources = [...resourcesOf(stack)];
  const known = new Set(resources.map((resource) => resource.urn));
  const remaining: PendingOperation[] = [];
  for (const op of pendingOf(stack)) {
    const decision = isPendingTrackingLinkCreate(op) ? byUrn.get(op.resource.urn) : undefined;
    if (decision === undefined) {
      remaining.push(op);
      continue;
    }
    if (decision.kind !== "adopt") continue;
    const missing = [op.resource.parent, providerUrn(op.resource.provider)].filter((urn): urn is string => urn !== undefined && !known.has(urn));
    if (missing.length > 0) throw new Error(`${op.resource.urn}: its ${missing.join(" and ")} is not in state; run \`pulumi refresh\` first`);
    resources.push(recoveredResource(op.resource, decision, now));
    known.add(op.resource.urn);
  }
  return { ...stack, deployment: { ...stack.deployment, resources, pending_operations: remaining } };
}

/** `urn:…::default_3_248_0::0d9f…` → the provider resource's URN (a provider reference is `<urn>::<id>`). */
function providerUrn(reference: string | undefined): string | undefined {
  if (reference === undefined || reference === "") return undefined;
  const cut = reference.lastIndexOf("::");
  return cut === -1 ? reference : reference.slice(0, cut);
}

/** 48 random bits, as `create()` makes them: the owner token only has to tell the resources of one run apart. */
function newOwnerToken(): string {
  return randomBytes(6).toString("base64url");
}

function recoveredResource(pending: ResourceState, decision: Extract<Decision, { kind: "adopt" }>, now: Date): ResourceState {
  const inputs = pending.inputs ?? {};
  const adopted = typeof inputs.trackingLinkId === "string";
  const recorded = pending.outputs?.ownerToken;
  const ownerToken = typeof recorded === "string" ? recorded : newOwnerToken();
  const outputs = storedOutputs(pending.type, inputs, { ...outputsOf(decision.link, decision.accountId, adopted), ownerToken });
  const stamp = now.toISOString();
  return { ...pending, id: decision.link.id, outputs, created: stamp, modified: stamp };
}

/**
 * A created link's outputs as each face's Create leaves them in state. The plugin face: what its server returns
 * (src/plugin/state.ts: no counters, no `__provider`). The dynamic face: the provider's outputs with the
 * serialized provider from the inputs, which the dynamic-provider host adds to every resource's outputs.
 */
function storedOutputs(type: string, inputs: Record<string, unknown>, outs: ReturnType<typeof outputsOf>): Record<string, unknown> {
  if (type === PLUGIN_TRACKING_LINK_TYPE) return pluginStoredOutputs(outs);
  return { [PROVIDER_KEY]: inputs[PROVIDER_KEY], ...outs };
}

/** One line per decision, for people: what recover did (or would do) and why. */
export function describeDecision(decision: Decision): string {
  const name = decision.urn.slice(decision.urn.lastIndexOf("::") + 2);
  switch (decision.kind) {
    case "adopt":
      return `  into state  ${name}: link ${decision.link.id} (${JSON.stringify(decision.link.label)}), found by its ${decision.foundBy}`;
    case "clear":
      return `  clear       ${name}: ${decision.reason}; the next \`pulumi up\` creates it`;
    case "stop":
      return `  STOPPED     ${name}: ${decision.problem}`;
  }
}
