/**
 * `FanslyClient`: the tracking-link part of the apifansly API, on one keep-alive undici dispatcher per client.
 */
import { Agent, type Dispatcher } from "undici";
import { FanslyNotFoundError, FanslyProtocolError, FanslyValidationError, type RequestSite } from "./errors";
import { registerSecret, redactSecrets } from "./redact";
import { parseReply } from "./reply";
import { ACCOUNT_ID_PATTERN, characterCount, labelTextProblem, LINK_ID_PATTERN } from "../fields";
import {
  AccountsExtraction,
  LinkExtraction,
  LinkPageExtraction,
  NothingExtraction,
  type Account,
  type Extraction,
  type NextPage,
  type TrackingLink,
} from "./schemas";
import type { RetrySettings } from "./retry";
import { currentBudget, remainingMs, withinOneBudget } from "./budget";
import { createLookingFirst, mayReadAgain, mayResendAfterCutOff } from "./recovery";
import { AccountListings } from "./accountListings";
import { rateLimitInterceptor, RequestRateLimiter } from "./rateLimit";
import { exchange, withRetries, type OutgoingRequest, type RawReply, type TransportSettings } from "./transport";
import { DEFAULT_RETRY_MAX_DELAY_MS, resolveOptions, type FanslyClientOptions, type FanslyLogEvent } from "./options";

/** Keep idle connections this long: a `pulumi up` sends bursts with pauses between steps. */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
/** A list that pages more than this is looping, not long: an agency account holds hundreds of links, not 100k. */
export const MAX_LIST_PAGES = 1_000;
/**
 * When a create reply carries no id we find the link by listing; a link counts as ours when it was created no
 * earlier than this before our request (clocks of our machine and Fansly's may differ).
 */
export const CREATE_MATCH_CLOCK_SKEW_MS = 5 * 60_000;
const USER_AGENT = "pulumi-fansly";

/** What to create. */
export interface NewTrackingLink {
  /** The link's name in Fansly, e.g. "Twitter bio". */
  label: string;
  /** Optional free text. Default "". */
  description?: string;
}

/** A full update: the API may clear an omitted field, so both are always sent. */
export interface TrackingLinkUpdate {
  id: string;
  label: string;
  description: string;
}

export type DeleteResult = { deleted: true } | { alreadyGone: true };

/** How a read may be answered. */
export interface ListOptions {
  /**
   * `true`: a listing of the account that this client sent a moment ago (or is sending) may answer, with this
   * client's own writes since applied on top (see accountListings.ts for what that may hide and for how long).
   * Default `false`: the account is listed now.
   */
  shared?: boolean;
}

type Method = OutgoingRequest["method"];

/** A client for apifansly's tracking-link routes. Create one per key; `close()` it when done. */
export class FanslyClient {
  /** Tracking-link operations. */
  readonly trackingLinks: TrackingLinksApi;
  /** Accounts connected to the key. */
  readonly accounts: AccountsApi;

  // A private field is invisible to util.inspect and JSON.stringify, so logging the client cannot leak the key.
  readonly #apiKey: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownedAgent: Agent | undefined;
  readonly #rateLimiter: RequestRateLimiter;
  readonly #transport: TransportSettings;
  readonly #basePath: string;
  readonly #logger: ((event: FanslyLogEvent) => void) | undefined;

  constructor(options: FanslyClientOptions) {
    const resolved = resolveOptions(options);
    registerSecret(resolved.apiKey);
    this.#apiKey = resolved.apiKey;
    this.#basePath = resolved.basePath;
    this.#logger = options.logger;
    this.#ownedAgent = options.dispatcher === undefined ? new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }) : undefined;
    // One limiter per client, under the retries so that each attempt takes a slot (see rateLimit.ts).
    this.#rateLimiter = new RequestRateLimiter(resolved.maxRequestsPerMinute);
    const base: Dispatcher = options.dispatcher ?? (this.#ownedAgent as Agent);
    this.#dispatcher = withRetries(base.compose(rateLimitInterceptor(this.#rateLimiter)));
    this.#transport = {
      origin: resolved.origin,
      timeoutMs: resolved.timeoutMs,
      retry: {
        maxRetries: resolved.maxRetries,
        baseDelayMs: resolved.retryBaseDelayMs,
        maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS,
        maxElapsedMs: resolved.maxRetryTimeMs,
        random: () => Math.random(),
      },
      onRetry: (request, decision, attempt) => {
        this.#log({
          type: "retry",
          method: request.method,
          path: pathOnly(request.path),
          attempt,
          delayMs: decision.delayMs,
          message: `retrying ${request.method} ${pathOnly(request.path)} in ${decision.delayMs} ms (${decision.reason})`,
        });
      },
    };
    this.trackingLinks = new TrackingLinksApi(this, resolved.listingReuseMs);
    this.accounts = new AccountsApi(this);
  }

  /** Closes the client's own connections. An injected dispatcher is left to its owner. */
  async close(): Promise<void> {
    // Requests waiting for a slot fail now rather than hold the process open; with our own agent gone, later ones too.
    if (this.#ownedAgent === undefined) this.#rateLimiter.cancelWaiting();
    else this.#rateLimiter.close();
    await this.#ownedAgent?.close();
  }

  /** Sends one request (with retries) and parses its reply. Internal to the client's API classes. */
  async send<T>(method: Method, path: string, body: unknown, extraction: Extraction<T>): Promise<T> {
    const request: OutgoingRequest = {
      method,
      path: `${this.#basePath}${path}`,
      headers: {
        "x-api-key": this.#apiKey,
        accept: "application/json",
        "user-agent": USER_AGENT,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const first = await this.#receive(request);
    try {
      return first.parse(extraction);
    } catch (error) {
      if (!mayReadAgain(method, error) || !this.#hasTimeLeft()) throw error;
      this.logRetry(method, pathOnly(request.path), first.attempts + 1, 0, `${error.message.slice(0, 120)}; reading once more`);
      return (await this.#receive(request)).parse(extraction);
    }
  }

  /** Runs one call of the client on one time budget (budget.ts); calls made inside it share the caller's. */
  withinOneCall<T>(call: () => Promise<T>): Promise<T> {
    return withinOneBudget(this.#transport.retry.maxElapsedMs, call);
  }

  #hasTimeLeft(): boolean {
    return remainingMs(currentBudget(this.#transport.retry.maxElapsedMs)) > 0;
  }

  /** One exchange, logged; parsing is left to the caller so a GET can decide to read again. */
  async #receive(request: OutgoingRequest): Promise<{ attempts: number; parse: <T>(extraction: Extraction<T>) => T }> {
    const reply = await this.#exchangeOnceMoreIfCutOff(request);
    const site: RequestSite = { method: request.method, path: pathOnly(request.path), attempts: reply.attempts };
    this.#log({
      type: "response",
      method: request.method,
      path: site.path,
      attempt: reply.attempts,
      status: reply.status,
      message: `${request.method} ${site.path} → ${reply.status} after ${reply.attempts} attempt(s)`,
    });
    return { attempts: reply.attempts, parse: (extraction) => parseReply(reply, site, extraction) };
  }

  /** A reply cut off mid-body is sent again whole, once, when recovery.ts allows it (not a POST). */
  async #exchangeOnceMoreIfCutOff(request: OutgoingRequest): Promise<RawReply> {
    try {
      return await exchange(this.#dispatcher, request, this.#transport);
    } catch (error) {
      if (!mayResendAfterCutOff(request.method, error) || !this.#hasTimeLeft()) throw error;
      const path = pathOnly(request.path);
      this.logRetry(request.method, path, error.attempts + 1, 0, "the reply was cut off mid-body; sending the whole request again");
      const reply = await exchange(this.#dispatcher, request, this.#transport);
      return { ...reply, attempts: reply.attempts + error.attempts };
    }
  }

  /** The retry policy this client was made with (no secret in it), for callers that retry whole operations. */
  retrySettings(): RetrySettings {
    return this.#transport.retry;
  }

  /** Reports a retry of a whole operation (not one request) to the logger, like the transport's own retries. */
  logRetry(method: Method, path: string, attempt: number, delayMs: number, reason: string): void {
    this.#log({ type: "retry", method, path, attempt, delayMs, message: `retrying ${method} ${path} in ${delayMs} ms (${reason})` });
  }

  #log(event: FanslyLogEvent): void {
    this.#logger?.({ ...event, message: redactSecrets(event.message) });
  }
}

function pathOnly(path: string): string {
  return path.split("?")[0] ?? path;
}

/** Refuses an account id that cannot be one before it reaches a URL. Never echoes the value. */
export function assertAccountId(accountId: unknown): asserts accountId is string {
  if (typeof accountId !== "string" || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new FanslyValidationError(
      "FANSLY_VALIDATION",
      `accountId must be apifansly's account id (letters, digits, _ or -, like fansly_…), got ${describeValue(accountId)}: ` +
        "GET /api/fansly/accounts or the apifansly dashboard lists yours",
    );
  }
}

/** Refuses a link id that is not a snowflake (a string of digits). */
export function assertLinkId(id: unknown, field = "trackingLinkId"): asserts id is string {
  if (typeof id !== "string" || !LINK_ID_PATTERN.test(id)) {
    throw new FanslyValidationError(
      "FANSLY_VALIDATION",
      `${field} must be a tracking link id, a string of up to 20 digits such as "845759434926862336", got ${describeValue(id)}`,
    );
  }
}

/**
 * Refuses a label no API could want (blank, a control or bidi-override character, only invisible characters; see
 * src/fields.ts) before it is sent. Its length is left to the API: our limit is a guess, the server's is the rule.
 */
function assertLabel(label: unknown): asserts label is string {
  if (typeof label !== "string" || label.trim().length === 0) {
    throw new FanslyValidationError(
      "FANSLY_VALIDATION",
      `label must be a non-empty string, got ${describeValue(label)}: give the link a name such as "Twitter bio"`,
    );
  }
  const problem = labelTextProblem(label);
  if (problem !== undefined) throw new FanslyValidationError("FANSLY_VALIDATION", `label ${problem}`);
}

function assertDescription(description: unknown): asserts description is string {
  if (typeof description !== "string") {
    throw new FanslyValidationError("FANSLY_VALIDATION", `description must be a string, got ${describeValue(description)}`);
  }
}

/** Describes a bad value by kind and size, never by content (it could be a pasted secret). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return value.trim().length === 0 ? `a blank string` : `a string of ${characterCount(value)} characters`;
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function linksPath(accountId: string): string {
  return `/api/fansly/${encodeURIComponent(accountId)}/tracking-links`;
}

function pageQuery(next: NextPage | undefined): string {
  if (next === undefined) return "";
  const params = new URLSearchParams();
  if ("cursor" in next) {
    params.set("cursor", next.cursor);
  } else {
    params.set("offset", String(next.offset));
    if (next.limit !== undefined) params.set("limit", String(next.limit));
  }
  return `?${params.toString()}`;
}

/** An account's tracking links. */
export class TrackingLinksApi {
  readonly #client: FanslyClient;
  /** Listings shared by this client's readers; every write below is recorded there. */
  readonly #listings: AccountListings;

  constructor(client: FanslyClient, listingReuseMs: number) {
    this.#client = client;
    this.#listings = new AccountListings((accountId) => this.#listAllPages(accountId), { reuseMs: listingReuseMs });
  }

  /**
   * Creates a link. Not retried after the request may have reached the server (see retry.ts): on a
   * `FanslyNetworkError` the link may exist, and the caller must look (`findCreatedLink`) before trying again.
   */
  async create(accountId: string, link: NewTrackingLink): Promise<TrackingLink> {
    return this.#client.withinOneCall(() => this.#create(accountId, link));
  }

  async #create(accountId: string, link: NewTrackingLink): Promise<TrackingLink> {
    assertAccountId(accountId);
    assertLabel(link.label);
    const description = link.description ?? "";
    assertDescription(description);
    const requestedAt = Date.now();
    const created = await this.#client.send("POST", linksPath(accountId), { label: link.label, description }, optional(LinkExtraction));
    if (created !== undefined) {
      this.#listings.recordCreated(accountId, created);
      return created;
    }
    // The contract leaves the create reply's shape open: with no link in it, find the link we just made (in a
    // listing sent now: one taken before the POST cannot hold it).
    const found = findCreatedLink(await this.list(accountId), { label: link.label, description }, requestedAt);
    if (found !== undefined) return found;
    throw new FanslyProtocolError("the new link in the create reply, or in the list after it", "no matching link", {
      method: "POST",
      path: linksPath(accountId),
      attempts: 1,
    });
  }

  /**
   * Creates a link so that exactly one exists, even when the API fails in a way that leaves that unknown: after a
   * lost reply (connection reset, timeout, body cut short), an unreadable one, or a 502/503/504 — which a gateway
   * may send after the server applied the POST — it lists the account and adopts the link if it is there (`findCreatedLink`: same label
   * and description, created since the first attempt, not in `claimedIds`); only when it is not there does it POST
   * again, with the client's backoff and retry budget. Other errors are thrown at once.
   *
   * Limit: a link made by someone else in the same moment with the same label and description is indistinguishable
   * from ours; pass the ids this process already manages as `claimedIds` so it never picks one of those.
   */
  async createWithoutDuplicates(accountId: string, link: NewTrackingLink, claimedIds: ReadonlySet<string> = new Set()): Promise<TrackingLink> {
    const wanted = { label: link.label, description: link.description ?? "" };
    const settings = this.#client.retrySettings();
    return this.#client.withinOneCall(() => {
      const budget = currentBudget(settings.maxElapsedMs);
      return createLookingFirst(
        {
          post: () => this.#create(accountId, wanted),
          // Listed now, never shared: a listing taken before this POST would say "not made" and we would post twice.
          findMade: async () =>
            findCreatedLink(
              (await this.list(accountId)).filter((candidate) => !claimedIds.has(candidate.id)),
              wanted,
              budget.startedAt,
            ),
          onRetry: (attempt, delayMs, reason) => { this.#client.logRetry("POST", linksPath(accountId), attempt, delayMs, reason); },
        },
        settings,
        budget,
      );
    });
  }

  /**
   * Every link in the account, built-in ones included, following pages if the API pages. Listed now unless
   * `shared` allows a listing this client sent a moment ago (see `ListOptions`).
   */
  async list(accountId: string, options: ListOptions = {}): Promise<TrackingLink[]> {
    assertAccountId(accountId);
    return this.#client.withinOneCall(() => this.#listings.links(accountId, { fresh: options.shared !== true }));
  }

  async #listAllPages(accountId: string): Promise<TrackingLink[]> {
    const links: TrackingLink[] = [];
    let next: NextPage | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await this.#client.send("GET", `${linksPath(accountId)}${pageQuery(next)}`, undefined, LinkPageExtraction);
      links.push(...result.links);
      if (result.next === undefined) return links;
      next = result.next;
    }
    throw new FanslyProtocolError(`a list that ends within ${MAX_LIST_PAGES} pages`, "the reply kept announcing more pages", {
      method: "GET",
      path: linksPath(accountId),
      attempts: MAX_LIST_PAGES,
    });
  }

  /**
   * The link with this id, or `undefined` when the account has no such link. The API has no single-link GET, so
   * this lists the account: pass `shared: true` when many reads arrive together (a refresh).
   */
  async get(accountId: string, id: string, options: ListOptions = {}): Promise<TrackingLink | undefined> {
    assertLinkId(id, "id");
    return findLinkById(await this.list(accountId, options), id);
  }

  /**
   * Sets a link's label and description. Returns the link when the reply carries it, or `undefined` when the
   * reply says only `success: true` (the update payload is undocumented).
   */
  async update(accountId: string, update: TrackingLinkUpdate): Promise<TrackingLink | undefined> {
    assertAccountId(accountId);
    assertLinkId(update.id, "id");
    assertLabel(update.label);
    assertDescription(update.description);
    const body = { id: update.id, label: update.label, description: update.description };
    const updated = await this.#client.withinOneCall(() => this.#client.send("PUT", linksPath(accountId), body, optional(LinkExtraction)));
    this.#listings.recordUpdated(accountId, body);
    return updated;
  }

  /** Deletes a link. A link that is already gone (404) is success too: `{ alreadyGone: true }`. */
  async delete(accountId: string, id: string): Promise<DeleteResult> {
    assertAccountId(accountId);
    assertLinkId(id);
    try {
      await this.#client.withinOneCall(() => this.#client.send("DELETE", linksPath(accountId), { trackingLinkId: id }, NothingExtraction));
      this.#listings.recordDeleted(accountId, id);
      return { deleted: true };
    } catch (error) {
      if (!isLinkAlreadyGone(error)) throw error;
      this.#listings.recordDeleted(accountId, id);
      return { alreadyGone: true };
    }
  }
}

/** Accounts connected to the key. */
export class AccountsApi {
  readonly #client: FanslyClient;

  constructor(client: FanslyClient) {
    this.#client = client;
  }

  /** The accounts this key may use; a cheap way to check a key and an account id before changing anything. */
  async list(): Promise<Account[]> {
    return this.#client.withinOneCall(() => this.#client.send("GET", "/api/fansly/accounts", undefined, AccountsExtraction));
  }
}

/** Wraps an extraction so that a reply without the thing yields `undefined` instead of a protocol error. */
function optional<T>(extraction: Extraction<T>): Extraction<T | undefined> {
  return {
    expected: extraction.expected,
    extract(data) {
      const result = extraction.extract(data);
      return result.ok ? result : { ok: true, value: undefined };
    },
  };
}

export function findLinkById(links: readonly TrackingLink[], id: string): TrackingLink | undefined {
  return links.find((link) => link.id === id);
}

/**
 * A 404 on DELETE means the link is gone, unless the server says the *account* is unknown: then nothing was
 * deleted and saying "already gone" would drop a live link from state. (The two 404s are told apart by message,
 * a guess: the contract documents only "404 for an unknown account or link".)
 */
export function isLinkAlreadyGone(error: unknown): boolean {
  return error instanceof FanslyNotFoundError && !/account/i.test(error.serverMessage ?? "");
}

/**
 * The link a create made, found by listing when its reply was lost or carried no id: same label and description,
 * created no earlier than `requestedAt` less the clock skew. Among several, the newest. Without `createdAt` on the
 * links this cannot tell ours from an older twin, so it returns a match only when there is exactly one.
 */
export function findCreatedLink(
  links: readonly TrackingLink[],
  wanted: { label: string; description: string },
  requestedAt: number,
): TrackingLink | undefined {
  const twins = links.filter((link) => link.label === wanted.label && link.description === wanted.description);
  const dated = twins.filter((link) => link.createdAt !== undefined);
  if (dated.length === 0) return twins.length === 1 ? twins[0] : undefined;
  const recent = dated
    .filter((link) => Date.parse(link.createdAt ?? "") >= requestedAt - CREATE_MATCH_CLOCK_SKEW_MS)
    .sort((a, b) => Date.parse(b.createdAt ?? "") - Date.parse(a.createdAt ?? ""));
  return recent[0];
}
