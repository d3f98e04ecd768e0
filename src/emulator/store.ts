import { z } from "zod";
import { BUILT_IN_LINK_TYPE, CUSTOM_LINK_TYPE, TRAFFIC_COUNTERS } from "../fields";
import { accountNotFound, builtInLinkIsReadOnly, trackingLinkNotFound } from "./errors";

/** The only `status` the API notes have seen; nothing in the emulator changes it. */
const LINK_STATUS_ACTIVE = 1;

/** Fansly creates these in every account, in this order. */
export const BUILT_IN_LINK_LABELS: readonly string[] = ["For You", "Search", "Suggestions"];
/** The account an emulator knows when nobody names one. */
export const DEFAULT_ACCOUNTS: readonly string[] = ["fansly_demo"];

// Ids look like real Fansly snowflakes: the first is the example id in the API notes, and each next id is one
// millisecond of snowflake time later (the low 22 bits hold worker and sequence), so ids stay 18 digits, grow
// with creation order, and never repeat — the counter survives deletes and, through the data file, restarts.
const FIRST_LINK_ID = 845759434926862336n;
const LINK_ID_STEP = 1n << 22n;
// internalId is a Fansly field whose meaning is unknown (guess: a database row number); a counter is enough.
const FIRST_INTERNAL_ID = 100001;
const SNAPSHOT_VERSION = 1;

const digitString = z.string().regex(/^\d+$/, { error: "must be a string of digits" });

export const EmulatorTrackingLinkSchema = z.object({
  id: digitString,
  label: z.string(),
  description: z.string(),
  type: z.union([z.literal(BUILT_IN_LINK_TYPE), z.literal(CUSTOM_LINK_TYPE)]),
  internalId: z.string(),
  status: z.number().int(),
  createdAt: z.number().int(),
  clicks: z.number(),
  claims: z.number(),
  follows: z.number(),
  subscriptions: z.number(),
  totalGross: z.number(),
  totalNet: z.number(),
});
/** A link as the emulator stores it and returns it (the fields the API notes infer for Fansly's links). */
export type EmulatorTrackingLink = z.infer<typeof EmulatorTrackingLinkSchema>;

/** What `toJSON()` returns and the data file holds. */
export const StoreSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  nextId: digitString,
  nextInternalId: z.number().int().positive(),
  accounts: z.record(z.string().min(1), z.array(EmulatorTrackingLinkSchema)),
});
export type StoreSnapshot = z.infer<typeof StoreSnapshotSchema>;

/** A link's lifetime traffic counters (src/fields.ts TRAFFIC_COUNTERS), as Fansly counts them (money in its raw integer units). */
export type LinkCounters = Pick<EmulatorTrackingLink, (typeof TRAFFIC_COUNTERS)[number]>;

/** New values for some of one link's counters; the others keep theirs. */
export interface CounterUpdate {
  accountId: string;
  linkId: string;
  counters: Partial<LinkCounters>;
}

/** The fields a caller may set on a custom link. */
export interface LinkInput {
  label: string;
  description: string;
}

/**
 * The emulator's state: account id → links. Handlers call it; tests inject one (`createStore()`) to seed and
 * inspect. Methods that a request can trigger throw `EmulatorHttpError`, so a handler never checks and maps.
 */
export interface EmulatorStore {
  accountIds(): readonly string[];
  hasAccount(accountId: string): boolean;
  /** Adds an account holding Fansly's three built-in links; an existing account is left alone. */
  addAccount(accountId: string): void;
  /** Built-in links first, then custom links in creation order. Copies: changing them changes nothing. */
  listLinks(accountId: string): readonly EmulatorTrackingLink[];
  /** Only the links the creator made (type 1000), in creation order. */
  customLinks(accountId: string): readonly EmulatorTrackingLink[];
  findLink(accountId: string, linkId: string): EmulatorTrackingLink | undefined;
  createLink(accountId: string, input: LinkInput): EmulatorTrackingLink;
  updateLink(accountId: string, linkId: string, input: LinkInput): EmulatorTrackingLink;
  deleteLink(accountId: string, linkId: string): void;
  /** Code-side only (no HTTP route does this): adds `count` custom links labelled `${labelPrefix}${n}`, n from 1. */
  seedLinks(accountId: string, count: number, labelPrefix: string): readonly EmulatorTrackingLink[];
  /**
   * Sets traffic counters, built-in links included (For You and Search get traffic too). Traffic, not the API,
   * moves counters, so no API route does this: the `/__emulator/counters` control and the traffic simulator do.
   * All or nothing: an unknown account or link (EmulatorHttpError) or a value that is not a whole number of 0 or
   * more (RangeError) changes nothing. One change notification for the batch.
   */
  setCounters(updates: readonly CounterUpdate[]): readonly EmulatorTrackingLink[];
  toJSON(): StoreSnapshot;
  /** Replaces the whole state with a snapshot (validated; throws an Error naming the bad field). */
  load(snapshot: unknown): void;
  /** Called after every change; returns the function that unsubscribes. */
  onChange(listener: () => void): () => void;
}

export interface StoreSeed {
  /** Accounts to create, each with the three built-in links. Default `["fansly_demo"]`. */
  accounts?: readonly string[];
  /** Clock for `createdAt`, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

export function createStore(seed: StoreSeed = {}): EmulatorStore {
  const store = new InMemoryStore(seed.now ?? Date.now);
  for (const accountId of seed.accounts ?? DEFAULT_ACCOUNTS) store.addAccount(accountId);
  return store;
}

function copyLink(link: EmulatorTrackingLink): EmulatorTrackingLink {
  return { ...link };
}

function isBuiltIn(link: EmulatorTrackingLink): boolean {
  return link.type === BUILT_IN_LINK_TYPE;
}

function builtInsFirst(a: EmulatorTrackingLink, b: EmulatorTrackingLink): number {
  return Number(isBuiltIn(b)) - Number(isBuiltIn(a));
}

class InMemoryStore implements EmulatorStore {
  private readonly accounts = new Map<string, EmulatorTrackingLink[]>();
  private readonly listeners = new Set<() => void>();
  private nextId = FIRST_LINK_ID;
  private nextInternalId = FIRST_INTERNAL_ID;

  constructor(private readonly now: () => number) {}

  accountIds(): readonly string[] {
    return [...this.accounts.keys()];
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  addAccount(accountId: string): void {
    if (this.accounts.has(accountId)) return;
    this.accounts.set(
      accountId,
      BUILT_IN_LINK_LABELS.map((label) => this.newLink(BUILT_IN_LINK_TYPE, { label, description: "" })),
    );
    this.changed();
  }

  listLinks(accountId: string): readonly EmulatorTrackingLink[] {
    return [...this.linksOf(accountId)].sort(builtInsFirst).map(copyLink);
  }

  customLinks(accountId: string): readonly EmulatorTrackingLink[] {
    return this.linksOf(accountId)
      .filter((link) => !isBuiltIn(link))
      .map(copyLink);
  }

  findLink(accountId: string, linkId: string): EmulatorTrackingLink | undefined {
    const link = this.linksOf(accountId).find((candidate) => candidate.id === linkId);
    return link === undefined ? undefined : copyLink(link);
  }

  createLink(accountId: string, input: LinkInput): EmulatorTrackingLink {
    const links = this.linksOf(accountId);
    const link = this.newLink(CUSTOM_LINK_TYPE, input);
    links.push(link);
    this.changed();
    return copyLink(link);
  }

  updateLink(accountId: string, linkId: string, input: LinkInput): EmulatorTrackingLink {
    const link = this.changeableLink(accountId, linkId);
    link.label = input.label;
    link.description = input.description;
    this.changed();
    return copyLink(link);
  }

  deleteLink(accountId: string, linkId: string): void {
    const link = this.changeableLink(accountId, linkId);
    const links = this.linksOf(accountId);
    links.splice(links.indexOf(link), 1);
    this.changed();
  }

  seedLinks(accountId: string, count: number, labelPrefix: string): readonly EmulatorTrackingLink[] {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`seedLinks: count must be a non-negative integer, got ${String(count)}`);
    }
    const links = this.linksOf(accountId);
    const seeded: EmulatorTrackingLink[] = [];
    for (let n = 1; n <= count; n += 1) {
      const link = this.newLink(CUSTOM_LINK_TYPE, { label: `${labelPrefix}${n}`, description: "" });
      links.push(link);
      seeded.push(copyLink(link));
    }
    // One notification for the batch: with a data file, seeding 10,000 links is one write, not 10,000.
    this.changed();
    return seeded;
  }

  setCounters(updates: readonly CounterUpdate[]): readonly EmulatorTrackingLink[] {
    const targets = updates.map(({ accountId, linkId, counters }) => {
      const link = this.linksOf(accountId).find((candidate) => candidate.id === linkId);
      if (link === undefined) throw trackingLinkNotFound();
      for (const [field, value] of Object.entries(counters)) {
        if (!Number.isSafeInteger(value) || value < 0) {
          throw new RangeError(`setCounters: ${field} must be a whole number of 0 or more, got ${String(value)}`);
        }
      }
      return { link, counters };
    });
    for (const { link, counters } of targets) Object.assign(link, counters);
    if (targets.length > 0) this.changed();
    return targets.map(({ link }) => copyLink(link));
  }

  toJSON(): StoreSnapshot {
    const accounts: Record<string, EmulatorTrackingLink[]> = {};
    for (const [accountId, links] of this.accounts) accounts[accountId] = links.map(copyLink);
    return {
      version: SNAPSHOT_VERSION,
      nextId: this.nextId.toString(),
      nextInternalId: this.nextInternalId,
      accounts,
    };
  }

  load(snapshot: unknown): void {
    const parsed = StoreSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new Error(`not an emulator state snapshot: ${z.prettifyError(parsed.error)}`);
    this.accounts.clear();
    let highestId = 0n;
    for (const [accountId, links] of Object.entries(parsed.data.accounts)) {
      this.accounts.set(accountId, links.map(copyLink));
      for (const link of links) if (BigInt(link.id) > highestId) highestId = BigInt(link.id);
    }
    // A hand-edited file may hold ids past its counter; moving the counter on keeps "never reused" true.
    const recorded = BigInt(parsed.data.nextId);
    this.nextId = recorded > highestId ? recorded : highestId + LINK_ID_STEP;
    this.nextInternalId = parsed.data.nextInternalId;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private linksOf(accountId: string): EmulatorTrackingLink[] {
    const links = this.accounts.get(accountId);
    if (links === undefined) throw accountNotFound();
    return links;
  }

  /** The stored (mutable) link a PUT or DELETE may touch: it must exist and be custom. */
  private changeableLink(accountId: string, linkId: string): EmulatorTrackingLink {
    const link = this.linksOf(accountId).find((candidate) => candidate.id === linkId);
    if (link === undefined) throw trackingLinkNotFound();
    if (isBuiltIn(link)) throw builtInLinkIsReadOnly();
    return link;
  }

  private newLink(type: EmulatorTrackingLink["type"], input: LinkInput): EmulatorTrackingLink {
    const id = this.nextId;
    this.nextId += LINK_ID_STEP;
    const internalId = this.nextInternalId;
    this.nextInternalId += 1;
    return {
      id: id.toString(),
      label: input.label,
      description: input.description,
      type,
      internalId: String(internalId),
      status: LINK_STATUS_ACTIVE,
      createdAt: this.now(),
      clicks: 0,
      claims: 0,
      follows: 0,
      subscriptions: 0,
      totalGross: 0,
      totalNet: 0,
    };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
