/**
 * What the TrackingLink provider decides: validation, diffs, and which API calls each lifecycle step makes.
 * The serialized shim (shim.ts) forwards here, so every release's state is handled by the code installed now.
 */
import { randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { confirmAfterUnknown, FanslyClient, FanslyError, FanslyNotFoundError, FanslyValidationError, isBuiltInLink, type TrackingLink } from "../client";
import { LinkClaims, secondClaimantMessage, type SharedClaims } from "../claims";
import { accountIdProblem, closestName, counterForState, EXAMPLE_LINK_ID, LINK_PROPERTIES, linkIdProblem, type LinkProperty } from "../fields";
import { accountIsNewTo, failsEveryRequest, KeyAccounts, previousInput } from "./accountCheck";
import {
  howToSetIn,
  readProviderSettings,
  resolveProviderSettings,
  withWhereToSet,
  type ConfigSource,
  type ProviderSettings,
  type SettingProblem,
  type SettingsSource,
} from "./config";
import {
  PROVIDER_KEY,
  STATS_ARGUMENTS,
  StoredOutputsSchema,
  TrackingLinkInputsSchema,
  TrackingLinkStatsArgsSchema,
  TrackingLinkStatsSchema,
  type CheckedInputs,
  type TrackingLinkOutputs,
  type TrackingLinkStats,
  UNKNOWN_VALUE,
} from "./schemas";
import { claimsOfEngineRun } from "./runClaims";
import { overBudget, rateOf, UpdatePlan, type RequestCounts } from "./costs";
import { countingClient, SentRequests } from "./sentRequests";

type Provider = pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>;
type CheckResult = pulumi.dynamic.CheckResult<CheckedInputs>;
type CheckFailure = pulumi.dynamic.CheckFailure;
type DiffResult = pulumi.dynamic.DiffResult;
type CreateResult = pulumi.dynamic.CreateResult<TrackingLinkOutputs>;
type ReadResult = pulumi.dynamic.ReadResult<TrackingLinkOutputs>;
type UpdateResult = pulumi.dynamic.UpdateResult<TrackingLinkOutputs>;

interface Configured {
  settings: ProviderSettings;
  client: FanslyClient;
  /** The key's accounts, listed at most once in this process (accountCheck.ts). */
  accounts: KeyAccounts;
}

/** What one provider process planned and sent (see `TrackingLinkImplementation.costs`). */
export interface ProcessCosts {
  planned: RequestCounts;
  /** Link ids the engine diffed: in state and still declared (the rest of this provider's links are deleted). */
  keptIds: ReadonlySet<string>;
  sent: SentRequests;
  /** Whether the engine had this process create, update or delete: an update, not a preview. */
  wrote: boolean;
  /** The rate the line names (costs.ts `rateOf`). */
  perMinute: number;
  /** The plugin face's provider resource, when the engine named it. */
  providerUrn: string | undefined;
  /** The budget a step was refused for (the engine then stops: the plan is partial). */
  stoppedAtBudget: number | undefined;
}

/** Whether `check`'s previous inputs say the resource is not in state yet. */
function isNewResource(olds: unknown): boolean {
  return typeof olds !== "object" || olds === null || Object.keys(olds).length === 0;
}

/** A `FanslyClient` factory, replaceable in tests. */
export type ClientFactory = (settings: ProviderSettings) => FanslyClient;

const EMPTY_CONFIG: ConfigSource = { get: () => undefined };

/** Why a link (or a stats lookup) has no account: neither given nor defaulted, with the fix where `source` sets it. */
function noAccountReason(source: SettingsSource): string {
  return `is not set: pass accountId, or give the provider a default account (${howToSetIn(source, "accountId")})`;
}

/**
 * Values that pass every input rule, standing in for inputs the engine does not know yet (an output of a resource
 * still to be created) while `check` validates the rest; the unknowns go back into the checked inputs unchanged.
 * A preview cannot know such a value, so nothing about it is refused until `up` (where `create` looks the link up).
 */
const STAND_INS: Readonly<Record<LinkProperty, string>> = {
  label: "known after up",
  description: "",
  // The engine's own marker: `check` knows not to look an account up that is not known yet (accountCheck.ts).
  accountId: UNKNOWN_VALUE,
  trackingLinkId: EXAMPLE_LINK_ID,
};

/** Outputs the API decides: unknown in a preview of a create. */
const COMPUTED_BY_THE_API = ["trackingLinkId", "type", "createdAt"] as const;

function isLinkProperty(key: string): key is LinkProperty {
  return (LINK_PROPERTIES as readonly string[]).includes(key);
}

/**
 * One per provider process; every resource of the stack goes through it (and through its one client). Stored
 * outputs are typed as this release writes them, and parsed (`readStoredOutputs`) because older releases wrote less.
 */
export class TrackingLinkImplementation implements Provider {
  #ready: Promise<Configured> | undefined;
  readonly #makeClient: ClientFactory;
  readonly #env: NodeJS.ProcessEnv;
  /**
   * Links the resources of this run hold (src/claims.ts): declared, created, adopted, or kept in state (`diff`);
   * see `declaredBy` and `keptBy` for who holds them. Parallel creates of twin links must not take each other's; and
   * a delete must not remove a link another resource holds (a key renamed in a link set: the new resource adopts the
   * link, then the engine deletes the old one). One process serves one engine run: the claims live as long as it.
   */
  readonly #claims: LinkClaims;
  /** The key's accounts, kept across a re-configure with the same key (accountCheck.ts). */
  #accounts: KeyAccounts | undefined;
  /** What this process's update will send (costs.ts), and what its client sent. */
  readonly #plan = new UpdatePlan();
  readonly #sent = new SentRequests();
  /** Whether the engine had this process create, update or delete a link: an update, not a preview. */
  #wrote = false;
  /** Whether a step was already refused for `fansly:maxCreditsPerUpdate` (later ones say so briefly). */
  #budgetRefused = false;
  /** The provider resource this process serves (the plugin face's Configure names it): its links in state are ours. */
  #providerUrn: string | undefined;
  /** The settings of the last configure that succeeded, read synchronously when the process ends. */
  #settledSettings: ProviderSettings | undefined;
  /** Where this provider's settings are set, which every fix a message names depends on (`configure` says). */
  #source: SettingsSource = "stack config";

  /** `shared`: the claims of the run's other provider processes (default: found from the engine, runClaims.ts). */
  constructor(
    makeClient?: ClientFactory,
    env: NodeJS.ProcessEnv = process.env,
    shared: SharedClaims | undefined = claimsOfEngineRun(),
  ) {
    // By default every request is counted for the "sent" line (sentRequests.ts); tests inject their own client.
    this.#makeClient = makeClient ?? ((settings) => countingClient(settings, this.#sent));
    this.#env = env;
    this.#claims = new LinkClaims(shared);
  }

  /**
   * Called by the host once per process. The host caches the provider *before* this finishes, so calls arriving
   * in parallel wait on the same promise instead of seeing a half-configured provider.
   */
  configure(request: { config: ConfigSource; providerUrn?: string; source?: SettingsSource }): Promise<void> {
    this.#providerUrn = request.providerUrn ?? this.#providerUrn;
    this.#source = request.source ?? "stack config";
    this.#ready = this.#configureFrom(request.config);
    // A bad config is reported by the first operation that needs it, with the message that names the fix.
    return this.#ready.then(
      () => undefined,
      () => undefined,
    );
  }

  #configureFrom(config: ConfigSource): Promise<Configured> {
    // Through a promise, so a bad config becomes a rejection every waiting call sees, not a throw in one of them.
    return Promise.resolve().then(() => {
      const settings = resolveProviderSettings(config, this.#env, this.#source);
      this.#settledSettings = settings;
      const client = this.#makeClient(settings);
      this.#accounts = KeyAccounts.forSettings(this.#accounts, client, settings.client);
      return { settings, client, accounts: this.#accounts };
    });
  }

  /** What is wrong with these settings (with this process's environment fallbacks), before `configure` is called. */
  settingProblems(config: ConfigSource): SettingProblem[] {
    const read = readProviderSettings(config, this.#env);
    return "problems" in read ? read.problems : [];
  }

  /**
   * A failure's message as the engine should show it: a client error that names an option (`apiKey`, …) also says
   * where this provider's user sets it. Each face hands every failure to the engine through this.
   */
  explain(error: unknown): string {
    return withWhereToSet(error, this.#source);
  }

  /** Settings and client, configuring from the environment alone if the host never called `configure`. */
  #configured(): Promise<Configured> {
    this.#ready ??= this.#configureFrom(EMPTY_CONFIG);
    return this.#ready;
  }

  /** Closes the client's connections (tests; the host process simply exits). */
  async close(): Promise<void> {
    if (this.#ready === undefined) return;
    const configured = await this.#ready.catch(() => undefined);
    await configured?.client.close();
  }

  /**
   * `news` is what the program passed, unchecked: a JavaScript program can pass anything, so it is parsed here.
   * Inputs the engine does not know yet (UNKNOWN_VALUE) are checked with a stand-in and returned unknown.
   * `olds` are the resource's previous inputs (a link staying in its account is not looked up again).
   * `claimant` names the resource (its URN) when the face knows it and the link id is known: a second resource
   * adopting a link another holds in this run is refused here, at preview.
   *
   * A provider that cannot work (a setting missing or bad, the key refused, the credits spent) is a failure here,
   * not a thrown error: the engine prints a failure as one line naming the resource, where a thrown error is
   * printed by the dynamic-provider host with its stack, twice.
   */
  async check(olds: unknown, news: unknown, claimant?: string): Promise<CheckResult> {
    const { [PROVIDER_KEY]: _provider, ...given } = news as Record<string, unknown>;
    const unknownKeys = Object.keys(given).filter(isLinkProperty).filter((key) => given[key] === UNKNOWN_VALUE);
    const known = { ...given, ...Object.fromEntries(unknownKeys.map((key) => [key, STAND_INS[key]])) };
    const result = await this.#checkKnown(olds, known, claimant, unknownKeys).catch((error: unknown) => {
      if (!(error instanceof FanslyError)) throw error;
      return { inputs: known as unknown as CheckedInputs, failures: [{ property: "", reason: this.explain(error) }] };
    });
    if (unknownKeys.length === 0) return result;
    const inputs: CheckedInputs = { ...(result.inputs as CheckedInputs), ...Object.fromEntries(unknownKeys.map((key) => [key, UNKNOWN_VALUE])) };
    return { ...result, inputs };
  }

  async #checkKnown(olds: unknown, given: Record<string, unknown>, claimant: string | undefined, unknownKeys: readonly LinkProperty[]): Promise<CheckResult> {
    const { settings, accounts, client } = await this.#configured();
    const parsed = TrackingLinkInputsSchema.safeParse(given);
    const failures: CheckFailure[] = parsed.success ? [] : parsed.error.issues.flatMap(toCheckFailures());
    const accountId = parsed.success ? (parsed.data.accountId ?? settings.defaultAccountId) : undefined;
    if (parsed.success && accountId === undefined) {
      failures.push({ property: "accountId", reason: noAccountReason(this.#source) });
    }
    if (!parsed.success || accountId === undefined) return { inputs: given as unknown as CheckedInputs, failures };
    const inputs: CheckedInputs = {
      label: parsed.data.label,
      description: parsed.data.description ?? "",
      accountId,
      ...(parsed.data.trackingLinkId === undefined ? {} : { trackingLinkId: parsed.data.trackingLinkId }),
    };
    const accountIsNew = accountIsNewTo(olds, accountId);
    if (isNewResource(olds)) this.#plan.link(inputs);
    if (accountIsNew) this.#plan.accountsListing();
    // Over budget: refused before the account is looked up, so nothing more is sent.
    const budget = this.#budgetProblem(settings);
    if (budget !== undefined) return { inputs, failures: [...failures, { property: "", reason: budget }] };
    // A typo'd account fails here, at preview, not as a replace of every link that only `up` refuses.
    const accountProblem = accountIsNew ? await accounts.problem(accountId, parsed.data.accountId === undefined ? "default" : "argument") : undefined;
    if (accountProblem !== undefined) failures.push({ property: "accountId", reason: accountProblem });
    // An id not known yet (another resource's output) is no claim, and cannot be looked up before `up`.
    const { trackingLinkId } = inputs;
    if (trackingLinkId === undefined || unknownKeys.includes("trackingLinkId")) return { inputs, failures };
    const other = claimant === undefined ? undefined : this.#claims.claim(trackingLinkId, ...declaredBy(claimant));
    if (claimant !== undefined && other !== undefined) failures.push({ property: "trackingLinkId", reason: secondClaimantMessage(trackingLinkId, other, claimant) });
    if (failures.length > 0 || accountId === UNKNOWN_VALUE || previousInput(olds, "trackingLinkId") === trackingLinkId) return { inputs, failures };
    const refusal = await this.#refusalToAdopt(client, accountId, trackingLinkId);
    if (refusal !== undefined) failures.push({ property: "trackingLinkId", reason: refusal.message });
    return { inputs, failures };
  }

  /**
   * Why `check` refuses to adopt `trackingLinkId`: not in the account (a typo'd id, the wrong account) or a built-in
   * link, found at preview rather than only at `up`. Asked only when the id is new to the resource (as the account check
   * asks) and nothing else failed. A wrong key or spent credits fail it (every request would); any other failure of
   * the listing leaves the verdict to `create`, which looks again.
   */
  async #refusalToAdopt(client: FanslyClient, accountId: string, trackingLinkId: string): Promise<FanslyError | undefined> {
    try {
      return adoptionRefusal(await this.#findToAdopt(client, accountId, trackingLinkId), trackingLinkId, accountId);
    } catch (error) {
      if (failsEveryRequest(error)) throw error;
      return undefined;
    }
  }

  /**
   * `changed` lists every property that differs (replaces among them), for faces that show a detailed diff. A link
   * the resource keeps (no replace) is claimed (`keptBy`); another resource holding it is refused, naming both.
   */
  async diff(id: string, olds: TrackingLinkOutputs, news: CheckedInputs, claimant?: string): Promise<DiffResult & { changed: string[] }> {
    const stored = readStoredOutputs(olds);
    const replaces: string[] = [];
    if (news.accountId !== stored.accountId) replaces.push("accountId");
    if (news.trackingLinkId !== undefined && news.trackingLinkId !== stored.trackingLinkId) replaces.push("trackingLinkId");
    const updates: string[] = [];
    if (news.label !== stored.label) updates.push("label");
    if (news.description !== (stored.description ?? "")) updates.push("description");
    const changed = [...replaces, ...updates];
    this.#plan.diffed(id, replaces.length > 0 ? "replace" : updates.length > 0 ? "update" : "none");
    const budget = this.#budgetProblem((await this.#configured()).settings);
    if (budget !== undefined) throw new FanslyValidationError("FANSLY_VALIDATION", budget);
    // A replaced resource gives its link up: another resource may take it over in this run (its delete is then skipped).
    const [holder, name] = keptBy(stored, claimant);
    const other = replaces.length > 0 ? undefined : this.#claims.claim(stored.trackingLinkId, holder, name);
    if (other !== undefined) throw new FanslyValidationError("FANSLY_VALIDATION", secondClaimantMessage(stored.trackingLinkId, other, name));
    return { changes: changed.length > 0, replaces, stables: updates.length === 0 ? [] : ["accountId"], changed };
  }

  /**
   * What a preview shows for a create (faces whose engine asks: the plugin's; the dynamic face is not called at
   * preview): no API call, so what the API decides (the id, the type, the creation time) is unknown until `up`.
   */
  plannedCreate(inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const planned: Record<string, unknown> = { ...inputs, adopted: inputs.trackingLinkId !== undefined };
    for (const key of COMPUTED_BY_THE_API) if (!(key in inputs)) planned[key] = UNKNOWN_VALUE;
    return planned;
  }

  /** What a preview shows for an update: no API call; the link as stored, with the new label and description. */
  plannedUpdate(olds: Readonly<Record<string, unknown>>, news: CheckedInputs): Record<string, unknown> {
    return { ...olds, label: news.label, description: news.description };
  }

  /** `claimant`: the resource's URN, when the face knows it (the plugin); else the new owner token holds the link. */
  async create(inputs: CheckedInputs, claimant?: string): Promise<CreateResult> {
    const { client } = await this.#configured();
    this.#wrote = true;
    const link =
      inputs.trackingLinkId === undefined ? await this.#createNew(client, inputs) : await this.#adopt(client, inputs, inputs.trackingLinkId);
    // Short: it is stored with every link; 48 random bits tell apart the resources of one run.
    const ownerToken = randomBytes(6).toString("base64url");
    this.#claims.claim(link.id, ownerToken, claimant ?? DYNAMIC_HOLDER_NAME);
    return { id: link.id, outs: { ...outputsOf(link, inputs.accountId, inputs.trackingLinkId !== undefined), ownerToken } };
  }

  /**
   * POSTs the link. After a failure that may have been applied, the client looks before it posts again (see
   * `createWithoutDuplicates`); links this process already manages are never taken for the new one.
   */
  async #createNew(client: FanslyClient, inputs: CheckedInputs): Promise<TrackingLink> {
    return client.trackingLinks.createWithoutDuplicates(
      inputs.accountId,
      { label: inputs.label, description: inputs.description },
      this.#claims.linkIds(),
    );
  }

  /**
   * The link `id` of the account, if it has it. Adoptions of a whole link set arrive together and share one listing;
   * it can predate the link (made a moment ago by hand): on a miss, list afresh before calling it missing.
   */
  async #findToAdopt(client: FanslyClient, accountId: string, id: string): Promise<TrackingLink | undefined> {
    return (await client.trackingLinks.get(accountId, id, { shared: true })) ?? (await client.trackingLinks.get(accountId, id));
  }

  /** Adopts an existing link: no POST; a PUT only when the program's label or description differ. */
  async #adopt(client: FanslyClient, inputs: CheckedInputs, id: string): Promise<TrackingLink> {
    const existing = await this.#findToAdopt(client, inputs.accountId, id);
    const refusal = adoptionRefusal(existing, id, inputs.accountId);
    if (refusal !== undefined) throw refusal;
    if (existing === undefined) throw new Error("adoptionRefusal passed a missing link");
    if (existing.label === inputs.label && existing.description === inputs.description) return existing;
    const updated = await client.trackingLinks.update(inputs.accountId, { id, label: inputs.label, description: inputs.description });
    return updated ?? { ...existing, label: inputs.label, description: inputs.description };
  }

  /**
   * A refresh (props from state), or an import (`pulumi import`: no props, only the id the user typed, which
   * `importTarget` reads). The plugin face reaches the import case; the dynamic face cannot (Pulumi's import never
   * loads a dynamic provider's code).
   */
  async read(id: string, props?: TrackingLinkOutputs): Promise<ReadResult> {
    const { client, settings } = await this.#configured();
    const stored: StoredOutputs = props === undefined || isEmpty(props) ? importTarget(id, settings.defaultAccountId, this.#source) : readStoredOutputs(props);
    // A refresh reads every link at once: they share one listing of the account (and see this process's writes).
    const link = await client.trackingLinks.get(stored.accountId, stored.trackingLinkId || id, { shared: true });
    // No id: the link is gone, and refresh drops the resource from state.
    if (link === undefined) return {};
    const adopted = stored.adopted === true;
    const outs = withOwnerToken(outputsOf(link, stored.accountId, adopted), stored.ownerToken);
    const inputs: CheckedInputs = {
      label: link.label,
      description: link.description,
      accountId: stored.accountId,
      ...(adopted ? { trackingLinkId: link.id } : {}),
    };
    return { id: link.id, props: outs, inputs: inputs as unknown as TrackingLinkOutputs };
  }

  async update(_id: string, olds: TrackingLinkOutputs, news: CheckedInputs): Promise<UpdateResult> {
    const { client } = await this.#configured();
    this.#wrote = true;
    const stored = readStoredOutputs(olds);
    const update = { id: stored.trackingLinkId, label: news.label, description: news.description };
    let updated: TrackingLink | undefined;
    try {
      updated = await client.trackingLinks.update(stored.accountId, update);
    } catch (error) {
      // The PUT may have been applied with its outcome unknown (src/client/recovery.ts): a failed update would leave
      // state saying the old label while the link has the new one. Look (in a listing sent now, after the PUT).
      updated = await confirmAfterUnknown(error, async () => {
        const current = await client.trackingLinks.get(stored.accountId, stored.trackingLinkId);
        return current?.label === news.label && current.description === news.description ? current : undefined;
      });
    }
    const link: TrackingLink = updated ?? { ...storedAsLink(olds, stored), label: news.label, description: news.description };
    return { outs: withOwnerToken(outputsOf(link, stored.accountId, stored.adopted === true), stored.ownerToken) };
  }

  /**
   * A link's counters now (the plugin face's `getTrackingLinkStats`): arguments checked before any request, then one
   * listing of the account, shared with the command's other reads. `failures` name each bad argument and its fix.
   */
  async stats(given: unknown): Promise<{ stats?: TrackingLinkStats; failures: CheckFailure[] }> {
    const parsed = TrackingLinkStatsArgsSchema.safeParse(given);
    if (!parsed.success) return { failures: parsed.error.issues.flatMap(toCheckFailures(STATS_ARGUMENTS)) };
    const { client, settings } = await this.#configured();
    const accountId = parsed.data.accountId ?? settings.defaultAccountId;
    if (accountId === undefined) {
      return { failures: [{ property: "accountId", reason: noAccountReason(this.#source) }] };
    }
    const { trackingLinkId } = parsed.data;
    const link = await client.trackingLinks.get(accountId, trackingLinkId, { shared: true });
    if (link === undefined) {
      throw new FanslyNotFoundError(
        "FANSLY_NOT_FOUND",
        `trackingLinkId ${trackingLinkId} does not exist in account ${accountId}: check the id and the account (\`npx pulumi-fansly import --account ${accountId}\` lists its links)`,
      );
    }
    // The link as state would hold it (counters the API left out left out), cut to the function's answer.
    return { stats: TrackingLinkStatsSchema.parse(outputsOf(link, accountId, false)), failures: [] };
  }

  /** `claimant`: the resource's URN, when the face knows it (the plugin); else its stored owner token. */
  async delete(_id: string, props: TrackingLinkOutputs, claimant?: string): Promise<void> {
    const { client, settings } = await this.#configured();
    this.#wrote = true;
    const stored = readStoredOutputs(props);
    const { accountId, trackingLinkId } = stored;
    // Another resource of the stack holds this link in this run (created, adopted or kept it): the resource leaves
    // state and the link stays, the other's. Either way this resource then holds nothing.
    const [holder] = keptBy(stored, claimant);
    if (this.#claims.heldByAnother(trackingLinkId, holder)) {
      this.#claims.release(trackingLinkId, holder);
      return;
    }
    this.#plan.deleted(trackingLinkId);
    const budget = this.#budgetProblem(settings);
    if (budget !== undefined) throw new FanslyValidationError("FANSLY_VALIDATION", budget);
    await this.#deleteLink(client, accountId, trackingLinkId);
    this.#claims.release(trackingLinkId, holder);
  }

  /**
   * Why the plan so far is refused by `fansly:maxCreditsPerUpdate` (costs.ts), or undefined. Plans only grow, so once
   * refused every later step is too (an `up --skip-preview` must not go on sending); they point at the first.
   */
  #budgetProblem(settings: ProviderSettings): string | undefined {
    const problem = overBudget(this.#plan.counts, settings.maxCreditsPerUpdate);
    if (problem === undefined) return undefined;
    if (this.#budgetRefused) return `over fansly:maxCreditsPerUpdate (${String(settings.maxCreditsPerUpdate)}): see the first error of this kind`;
    this.#budgetRefused = true;
    return problem;
  }

  /** What this process planned and sent so far, for the cost line the process leaves when it ends (costReport.ts). */
  costs(): ProcessCosts {
    const settings = this.#settledSettings;
    return {
      planned: this.#plan.counts,
      keptIds: this.#plan.keptIds,
      sent: this.#sent,
      wrote: this.#wrote,
      perMinute: rateOf(settings?.client.maxRequestsPerMinute),
      providerUrn: this.#providerUrn,
      stoppedAtBudget: this.#budgetRefused ? settings?.maxCreditsPerUpdate : undefined,
    };
  }

  async #deleteLink(client: FanslyClient, accountId: string, trackingLinkId: string): Promise<void> {
    let result: Awaited<ReturnType<typeof client.trackingLinks.delete>>;
    try {
      result = await client.trackingLinks.delete(accountId, trackingLinkId);
    } catch (error) {
      // Applied with its outcome unknown (src/client/recovery.ts)? If the link is gone, the delete did what it was for.
      await confirmAfterUnknown(error, async () => ((await client.trackingLinks.get(accountId, trackingLinkId)) === undefined ? "gone" : undefined));
      return;
    }
    // Already gone (deleted by hand, or by an earlier attempt whose reply was lost) is the state we want — but only
    // if it is really gone: a 404 from a misrouted proxy would otherwise drop a live link from state.
    if ("alreadyGone" in result && (await client.trackingLinks.get(accountId, trackingLinkId)) !== undefined) {
      throw new FanslyNotFoundError(
        "FANSLY_NOT_FOUND",
        `DELETE of trackingLinkId ${trackingLinkId} answered 404, yet account ${accountId} still lists the link: ` +
          "check the baseUrl option (a proxy or a wrong path answers 404), then run `pulumi destroy` again",
        // The face says where baseUrl is set (explain).
        { options: ["baseUrl"] },
      );
    }
  }
}

/** Why the link found (or not) for `id` cannot be adopted, naming the id, the account and the fix; undefined when it can. */
function adoptionRefusal(existing: TrackingLink | undefined, id: string, accountId: string): FanslyError | undefined {
  if (existing === undefined) {
    return new FanslyNotFoundError(
      "FANSLY_NOT_FOUND",
      `trackingLinkId ${id} does not exist in account ${accountId}: check the id (\`npx pulumi-fansly import --account ${accountId}\` lists the account's links) and the account, or remove trackingLinkId to create a new link`,
    );
  }
  // It exists, so this is no "not found": the program asks for something Fansly forbids, and must change.
  if (isBuiltInLink(existing)) {
    return new FanslyValidationError(
      "FANSLY_VALIDATION",
      `trackingLinkId ${id} in account ${accountId} is Fansly's built-in "${existing.label}" link, which cannot be edited or deleted: remove this resource`,
    );
  }
  return undefined;
}

function isEmpty(props: object): boolean {
  return Object.keys(props).length === 0;
}

/** What `pulumi import` may name a link by: `<linkId>` (in the default account) or `<accountId>/<linkId>`. */
const IMPORT_ID_FORMS = "`<linkId>` (in the provider's default account) or `<accountId>/<linkId>`";

/**
 * The link an import id names. A bare id needs the default account (set where `source` says); either part that
 * does not look like an id fails here, before any request, saying which.
 */
function importTarget(id: string, defaultAccountId: string | undefined, source: SettingsSource = "stack config"): StoredOutputs {
  const slash = id.indexOf("/");
  const accountId = slash < 0 ? defaultAccountId : id.slice(0, slash);
  const trackingLinkId = slash < 0 ? id : id.slice(slash + 1);
  const problems: string[] = [];
  if (accountId === undefined) {
    problems.push(`names no account and the provider has no default: ${howToSetIn(source, "accountId")}, or import \`<accountId>/<linkId>\``);
  } else {
    const accountProblem = accountIdProblem(accountId);
    if (accountProblem !== undefined) problems.push(`account id ${accountProblem}`);
  }
  const linkProblem = linkIdProblem(trackingLinkId);
  if (linkProblem !== undefined) problems.push(`link id ${linkProblem}`);
  if (problems.length > 0 || accountId === undefined) {
    throw new FanslyValidationError("FANSLY_VALIDATION", `the import id ${problems.join("; ")}: use ${IMPORT_ID_FORMS}`);
  }
  // No label is known before the read; the read replaces it with the link's own.
  return { accountId, trackingLinkId, label: "" };
}

/** How messages name a dynamic-face holder: that face is told no URN. */
const DYNAMIC_HOLDER_NAME = "a TrackingLink of the dynamic face (pulumi-fansly)";

/*
 * Holders and names (src/claims.ts). A holder is one instance of a resource: the owner token `create` gives it and
 * state keeps, so a replacement (a new instance under the same URN, e.g. `pulumi up --replace`) that adopted the
 * old instance's link keeps it from the old one's delete. A name is the resource: its URN where the face knows it
 * (the plugin), else DYNAMIC_HOLDER_NAME.
 */

/** The resource the program declares at `urn` (`check`): its instance is not made yet. */
function declaredBy(urn: string): readonly [holder: string, name: string] {
  return [`declared ${urn}`, urn];
}

/**
 * The instance in state (`diff`, `delete`), by its owner token. `pulumi import` writes none: then by URN; state
 * written before owner tokens has none either: on the dynamic face all such links count as one holder, so a delete
 * of one is skipped only for a holder with a token (as before this rule).
 */
function keptBy(stored: StoredOutputs, urn: string | undefined): readonly [holder: string, name: string] {
  return [stored.ownerToken ?? (urn === undefined ? "" : `kept ${urn}`), urn ?? DYNAMIC_HOLDER_NAME];
}

function withOwnerToken(outs: TrackingLinkOutputs, ownerToken: string | undefined): TrackingLinkOutputs {
  return ownerToken === undefined ? outs : { ...outs, ownerToken };
}

type Issue = { code: string; path: PropertyKey[]; message: string; keys?: string[] };

/** Check failures from zod's issues; an unknown name gets the nearest of `known` as "did you mean …?". */
function toCheckFailures(known: readonly string[] = LINK_PROPERTIES): (issue: Issue) => CheckFailure[] {
  return (issue) => issueFailures(issue, known);
}

function issueFailures(issue: Issue, known: readonly string[]): CheckFailure[] {
  if (issue.code === "unrecognized_keys" && issue.keys !== undefined) {
    return issue.keys.map((key) => {
      const near = closestName(key, known);
      return { property: key, reason: near === undefined ? issue.message : `${issue.message}; did you mean ${near}?` };
    });
  }
  return [{ property: issue.path.map(String).join(".") || "(inputs)", reason: issue.message }];
}

type StoredOutputs = ReturnType<typeof StoredOutputsSchema.parse>;

function readStoredOutputs(props: object): StoredOutputs {
  const parsed = StoredOutputsSchema.safeParse(props);
  if (!parsed.success) {
    throw new Error(
      "this TrackingLink's state has no trackingLinkId/accountId (written by an unknown release?): " +
        "run `pulumi refresh`, or `pulumi state delete` it and adopt the link again with trackingLinkId",
    );
  }
  return parsed.data;
}

function storedAsLink(props: object, stored: { trackingLinkId: string; label: string; description?: string | undefined }): TrackingLink {
  const extras = Object.fromEntries(Object.entries(props).filter(([key]) => key !== PROVIDER_KEY));
  return { ...extras, id: stored.trackingLinkId, label: stored.label, description: stored.description ?? "" };
}

/** State for a link: never an `undefined` value, ids as strings. */
export function outputsOf(link: TrackingLink, accountId: string, adopted: boolean): TrackingLinkOutputs {
  const outs: TrackingLinkOutputs = { trackingLinkId: link.id, accountId, label: link.label, description: link.description, adopted };
  const optional = {
    type: link.type,
    createdAt: link.createdAt,
    clicks: counterForState(link.clicks),
    claims: counterForState(link.claims),
    follows: counterForState(link.follows),
    subscriptions: counterForState(link.subscriptions),
    totalGross: counterForState(link.totalGross),
    totalNet: counterForState(link.totalNet),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(outs, { [key]: value });
  }
  return outs;
}
