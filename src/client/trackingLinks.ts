/**
 * `TrackingLinksApi`: an account's tracking links (list, get, create, update, delete), and the pure functions that
 * tell which link is which.
 */
import { FanslyNotFoundError, FanslyProtocolError } from "./errors";
import {
  LinkExtraction,
  LinkPageExtraction,
  NothingExtraction,
  type Extraction,
  type NextPage,
  type TrackingLink,
} from "./schemas";
import { createLookingFirst } from "./recovery";
import { AccountListings } from "./internal/accountListings";
import { currentBudget } from "./internal/budget";
import { assertAccountId, assertDescription, assertLabel, assertLinkId } from "./internal/guards";
import type { Requester } from "./internal/requester";

/** A list that pages more than this is looping, not long: an agency account holds hundreds of links, not 100k. */
export const MAX_LIST_PAGES = 1_000;
/**
 * When a create reply carries no id we find the link by listing; a link counts as ours when it was created no
 * earlier than this before our request (clocks of our machine and Fansly's may differ).
 */
export const CREATE_MATCH_CLOCK_SKEW_MS = 5 * 60_000;

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
  readonly #client: Requester;
  /** Listings shared by this client's readers; every write below is recorded there. */
  readonly #listings: AccountListings;

  constructor(client: Requester, listingReuseMs: number) {
    this.#client = client;
    this.#listings = new AccountListings((accountId) => this.#listAllPages(accountId), { reuseMs: listingReuseMs });
  }

  /**
   * Creates a link. Not retried after the request may have reached the server (see recovery.ts): on a
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
      // Copied now: the budget's start moves later while requests wait for a rate-limit slot (budget.ts), and a POST
      // sent before such a wait made its link before the moved start.
      const callStartedAt = budget.startedAt;
      return createLookingFirst(
        {
          post: () => this.#create(accountId, wanted),
          // Listed now, never shared: a listing taken before this POST would say "not made" and we would post twice.
          findMade: async () =>
            findCreatedLink(
              (await this.list(accountId)).filter((candidate) => !claimedIds.has(candidate.id)),
              wanted,
              callStartedAt,
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
