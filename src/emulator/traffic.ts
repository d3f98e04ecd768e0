/**
 * Traffic for the emulator's links, so a demo or a report has something to show: counters set by hand
 * (`POST /__emulator/counters`) and a seeded simulation that grows them over time (`--simulate-traffic SEED`).
 * Fansly moves these counters from visitors' behaviour, never from an API call; neither does the emulator's API.
 */
import { z } from "zod";
import { errorMessage, EmulatorHttpError } from "./errors";
import { BUILT_IN_LINK_TYPE, TRAFFIC_COUNTERS } from "../fields";
import type { CounterUpdate, EmulatorStore, EmulatorTrackingLink, LinkCounters } from "./store";
import { seededRandom } from "./seededRandom";

/** Simulated traffic. Same seed, same links, same number of ticks: the same counters, on any machine. */
export interface TrafficSpec {
  /** Any whole number; each seed gives every link its own popularity and conversion rates. */
  seed: number;
  /** Real time between two ticks of simulated traffic. Default 1000 ms. */
  intervalMs?: number;
}

export const DEFAULT_TRAFFIC_INTERVAL_MS = 1_000;

// Per tick and link, clicks arrive at a link-specific rate between these (a log-uniform draw: a few links carry
// most traffic, as with real campaigns). Built-in sources get a multiple of it: For You is Fansly's feed.
const MIN_CLICKS_PER_TICK = 0.2;
const MAX_CLICKS_PER_TICK = 8;
const BUILT_IN_POPULARITY: Readonly<Record<string, number>> = { "For You": 3, Search: 1.5, Suggestions: 1 };
// Funnel rates drawn per link: claims per click, follows per claim, subscriptions per claim.
const CLAIM_RATE = [0.05, 0.35] as const;
const FOLLOW_RATE = [0.3, 0.7] as const;
const SUBSCRIPTION_RATE = [0.03, 0.25] as const;
// Subscription prices in Fansly's raw money units (their scale is undocumented: these only need to look plausible).
const PRICES = [4_990, 9_990, 14_990, 19_990] as const;
// Net is what the creator keeps: Fansly's published creator share is 80 %.
const CREATOR_SHARE = 0.8;

/** FNV-1a: a link's profile depends on the seed and its own identity, not on which links exist beside it. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

interface LinkProfile {
  clicksPerTick: number;
  claimRate: number;
  followRate: number;
  subscriptionRate: number;
  price: number;
}

function between(random: () => number, [low, high]: readonly [number, number]): number {
  return low + (high - low) * random();
}

function profileOf(seed: number, accountId: string, link: EmulatorTrackingLink): LinkProfile {
  const random = seededRandom(hash(`${seed}/${accountId}/${link.id}`));
  const logRate = between(random, [Math.log(MIN_CLICKS_PER_TICK), Math.log(MAX_CLICKS_PER_TICK)]);
  const boost = link.type === BUILT_IN_LINK_TYPE ? (BUILT_IN_POPULARITY[link.label] ?? 1) * 2 : 1;
  return {
    clicksPerTick: Math.exp(logRate) * boost,
    claimRate: between(random, CLAIM_RATE),
    followRate: between(random, FOLLOW_RATE),
    subscriptionRate: between(random, SUBSCRIPTION_RATE),
    price: PRICES[Math.floor(random() * PRICES.length)] ?? PRICES[0],
  };
}

/** Knuth's Poisson draw: fine for the small means used here. */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let p = random(); p > limit; p *= random()) count++;
  return count;
}

function binomial(random: () => number, trials: number, rate: number): number {
  let hits = 0;
  for (let i = 0; i < trials; i++) if (random() < rate) hits++;
  return hits;
}

/**
 * Grows every link's counters, tick by tick. Each link keeps a funnel that holds in every tick, so it holds in
 * the totals: claims ≤ clicks, follows ≤ claims, subscriptions ≤ claims, net ≤ gross.
 */
export class TrafficSimulator {
  readonly #random: () => number;

  constructor(
    private readonly store: EmulatorStore,
    private readonly seed: number,
  ) {
    this.#random = seededRandom(seed);
  }

  /** Adds `ticks` ticks of traffic to every link of every account, in one store change. */
  tick(ticks = 1): void {
    const updates: CounterUpdate[] = [];
    for (const accountId of this.store.accountIds()) {
      for (const link of this.store.listLinks(accountId)) {
        const counters: LinkCounters = { ...link };
        const profile = profileOf(this.seed, accountId, link);
        for (let t = 0; t < ticks; t++) this.grow(counters, profile);
        updates.push({ accountId, linkId: link.id, counters: pickCounters(counters) });
      }
    }
    this.store.setCounters(updates);
  }

  private grow(counters: LinkCounters, profile: LinkProfile): void {
    const clicks = poisson(this.#random, profile.clicksPerTick);
    const claims = binomial(this.#random, clicks, profile.claimRate);
    const follows = binomial(this.#random, claims, profile.followRate);
    const subscriptions = binomial(this.#random, claims, profile.subscriptionRate);
    counters.clicks += clicks;
    counters.claims += claims;
    counters.follows += follows;
    counters.subscriptions += subscriptions;
    counters.totalGross += subscriptions * profile.price;
    counters.totalNet += subscriptions * Math.floor(profile.price * CREATOR_SHARE);
  }
}

function pickCounters(link: LinkCounters): LinkCounters {
  return Object.fromEntries(TRAFFIC_COUNTERS.map((field) => [field, link[field]])) as LinkCounters;
}

/** Starts ticking on a timer; returns the function that stops it. The timer never holds a process open. */
export function simulateTraffic(store: EmulatorStore, spec: TrafficSpec): () => void {
  const simulator = new TrafficSimulator(store, spec.seed);
  const timer = setInterval(() => {
    simulator.tick();
  }, spec.intervalMs ?? DEFAULT_TRAFFIC_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

const counter = z.number({ error: "must be a whole number of 0 or more" }).int({ error: "must be a whole number of 0 or more" }).min(0, { error: "must be a whole number of 0 or more" });

/** One link's new counters, as `POST /__emulator/counters` takes them. */
const CounterUpdateSchema = z.strictObject(
  {
    accountId: z.string({ error: "is required: the account id, e.g. fansly_demo" }).min(1),
    trackingLinkId: z.string({ error: 'is required: the link id as a string, e.g. "845759434926862336"' }).regex(/^\d+$/),
    ...Object.fromEntries(TRAFFIC_COUNTERS.map((field) => [field, counter.optional()])),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has unknown field(s) ${issue.keys.join(", ")}; counters are ${TRAFFIC_COUNTERS.join(", ")}` : "must be a JSON object") },
);

export const COUNTERS_EXAMPLE = '{"accountId":"fansly_demo","trackingLinkId":"845759434926862336","clicks":120,"claims":30,"subscriptions":4,"totalGross":39960,"totalNet":31968}';

/** Checks and applies a counters body: one update, or an array of them (all or nothing). */
export function applyCounterBody(store: EmulatorStore, body: unknown): { ok: true; links: readonly EmulatorTrackingLink[] } | { ok: false; status: number; message: string } {
  const parsed = z.array(CounterUpdateSchema).safeParse(Array.isArray(body) ? body : [body]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = (issue?.path ?? []).filter((part) => typeof part !== "number").join(".");
    return { ok: false, status: 400, message: `${where === "" ? "the body" : where} ${issue?.message ?? "is invalid"}; example: ${COUNTERS_EXAMPLE}` };
  }
  const updates = parsed.data.map(({ accountId, trackingLinkId, ...counters }) => ({ accountId, linkId: trackingLinkId, counters }));
  try {
    return { ok: true, links: store.setCounters(updates) };
  } catch (error) {
    if (!(error instanceof EmulatorHttpError)) throw error;
    return { ok: false, status: error.status, message: `${errorMessage(error)}; GET /__emulator/state lists every account and link id` };
  }
}
