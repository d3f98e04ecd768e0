/**
 * One listing of an account's links, shared by every reader in this process that arrives close together.
 *
 * Why: the API has no single-link GET, so every read of one link is a full account listing. `pulumi refresh` reads
 * every resource in parallel; without sharing, N links in an account cost N listings (N credits, N × N links on
 * the wire). With it, a refresh costs about one listing per account.
 *
 * What it may hide, and for how long: a change made by *someone else* (the dashboard, another tool) after a
 * listing was taken, for at most `reuseMs` after that listing completed (the client's `listingReuseMs`, default
 * 10 s: long enough for one refresh's burst of parallel reads). Every command is its own process, so
 * nothing survives into the next command; a hand edit made before the command started is always seen.
 *
 * What it never hides: writes made through this process. Each successful create, update and delete is recorded
 * as a change to the account; a reader is given the listing with every change recorded since that listing
 * *started* applied on top (applying a change the listing already holds is harmless: an upsert or a removal by
 * id). A listing that fails is dropped at once, so the next reader asks again.
 *
 * Confirmations — "did my POST whose reply was lost make the link?", "is the link really gone after a 404?" —
 * must not be answered by a listing taken before the write: they ask for a `fresh` listing, which is sent now and
 * then shared with later readers.
 */
import type { TrackingLink } from "../schemas";

/** What this process did to an account since some moment. */
type AccountChange =
  | { kind: "created"; link: TrackingLink }
  | { kind: "updated"; id: string; label: string; description: string }
  | { kind: "deleted"; id: string };

interface Listing {
  /** Sequence number of the last change recorded before this listing was sent. */
  readonly sentAfterChange: number;
  readonly links: Promise<readonly TrackingLink[]>;
  /** When the reply arrived (`undefined` while in flight). */
  completedAt: number | undefined;
}

interface AccountEntry {
  listing: Listing | undefined;
  /**
   * Changes in the order they were made, numbered from 1. Kept for the whole process: a reader of an older listing
   * may still need them, and one command makes at most a few thousand writes.
   */
  changes: { seq: number; change: AccountChange }[];
  lastSeq: number;
}

/** Lists an account now, following pages (the client's `list`). */
export type ListAccount = (accountId: string) => Promise<readonly TrackingLink[]>;

export class AccountListings {
  readonly #listNow: ListAccount;
  readonly #reuseMs: number;
  readonly #now: () => number;
  readonly #accounts = new Map<string, AccountEntry>();

  constructor(listNow: ListAccount, options: { reuseMs: number; now?: () => number }) {
    this.#listNow = listNow;
    this.#reuseMs = options.reuseMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The account's links as this process knows them: a listing in flight or completed within `reuseMs` is shared,
   * else a new one is sent. `fresh: true` always sends a new one (for confirmations after an uncertain write).
   */
  async links(accountId: string, options: { fresh?: boolean } = {}): Promise<TrackingLink[]> {
    const entry = this.#entry(accountId);
    const shared = entry.listing;
    const listing = shared !== undefined && options.fresh !== true && this.#isRecent(shared) ? shared : this.#send(accountId, entry);
    const links = await listing.links;
    return applyChanges(links, entry.changes.filter(({ seq }) => seq > listing.sentAfterChange).map(({ change }) => change));
  }

  /** Records a link this process created. */
  recordCreated(accountId: string, link: TrackingLink): void {
    this.#record(accountId, { kind: "created", link });
  }

  /** Records an update this process made (the reply may not carry the link, so only what was sent). */
  recordUpdated(accountId: string, update: { id: string; label: string; description: string }): void {
    this.#record(accountId, { kind: "updated", ...update });
  }

  /** Records a link this process deleted, or found already gone. */
  recordDeleted(accountId: string, id: string): void {
    this.#record(accountId, { kind: "deleted", id });
  }

  #isRecent(listing: Listing): boolean {
    return listing.completedAt === undefined || this.#now() - listing.completedAt < this.#reuseMs;
  }

  #send(accountId: string, entry: AccountEntry): Listing {
    const listing: Listing = { sentAfterChange: entry.lastSeq, links: this.#listNow(accountId), completedAt: undefined };
    // A fresh listing sent while an older one is in flight replaces it: it is the newer view.
    entry.listing = listing;
    listing.links.then(
      () => {
        listing.completedAt = this.#now();
      },
      () => {
        // A failed listing is not reused: the next reader asks again.
        if (entry.listing === listing) entry.listing = undefined;
      },
    );
    return listing;
  }

  #record(accountId: string, change: AccountChange): void {
    const entry = this.#entry(accountId);
    entry.lastSeq += 1;
    entry.changes.push({ seq: entry.lastSeq, change });
  }

  #entry(accountId: string): AccountEntry {
    let entry = this.#accounts.get(accountId);
    if (entry === undefined) {
      entry = { listing: undefined, changes: [], lastSeq: 0 };
      this.#accounts.set(accountId, entry);
    }
    return entry;
  }
}

/** A listing with this process's later writes on top, in the order they were made. */
function applyChanges(links: readonly TrackingLink[], changes: readonly AccountChange[]): TrackingLink[] {
  if (changes.length === 0) return [...links];
  const byId = new Map(links.map((link) => [link.id, link]));
  for (const change of changes) {
    if (change.kind === "created") {
      byId.delete(change.link.id);
      byId.set(change.link.id, change.link);
    } else if (change.kind === "updated") {
      const link = byId.get(change.id);
      if (link !== undefined) byId.set(change.id, { ...link, label: change.label, description: change.description });
    } else {
      byId.delete(change.id);
    }
  }
  return [...byId.values()];
}
