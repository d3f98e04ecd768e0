/**
 * The performance report as data: every link's lifetime counters, the ratios a marketer reads, totals per account
 * and overall, and the change since earlier snapshots. Every output format (table, CSV, JSON, HTML) renders this
 * one structure, so they cannot disagree on a number; rounding of ratios happens here, once.
 */
import { COMPARISONS, REPORT_COUNTERS, type ComparisonName, type Counters } from "./counters";
import type { AccountListing, Baselines, Snapshot } from "./snapshots";

export { COMPARISONS, REPORT_COUNTERS, type ComparisonName, type Counters } from "./counters";

/**
 * Money stays in Fansly's raw integers: the API does not say what unit they are in (see the API notes). This names
 * them when the user has not (`report --money-unit` names them, e.g. "USD cents"; the figures stay unconverted).
 */
const MONEY_UNIT = "Fansly's raw integer units (not converted to a currency)";

export interface Ratios {
  /** Claims per click, 4 decimals; null without clicks. */
  claimsPerClick: number | null;
  /** Subscriptions per claim, 4 decimals; null without claims. */
  subscriptionsPerClaim: number | null;
  /** Net money per click, in the raw units, 2 decimals; null without clicks. */
  netPerClick: number | null;
}

export interface Comparison {
  name: ComparisonName;
  title: string;
  /** When the snapshot compared with was taken (ISO-8601). */
  takenAt: string;
}

/** Change in each counter since a comparison; a comparison is absent when its snapshot did not hold the account. */
export type Changes = Partial<Record<ComparisonName, Counters>>;

export interface LinkRow {
  accountId: string;
  linkId: string;
  label: string;
  /** Fansly's own claim sources (For You, Search, Suggestions), not links anyone made. */
  builtIn: boolean;
  counters: Counters;
  ratios: Ratios;
  changes: Changes;
}

export interface TotalRow {
  counters: Counters;
  ratios: Ratios;
  changes: Changes;
}

/** Totals kept apart: the links people made, and Fansly's built-in sources. */
interface Totals {
  links: TotalRow;
  builtIn: TotalRow;
}

interface AccountSection {
  accountId: string;
  /** Links people made, best first (net, then subscriptions). */
  links: LinkRow[];
  builtIn: LinkRow[];
  totals: Totals;
}

export interface TrendPoint {
  takenAt: string;
  /** The account's links' lifetime net at that time (built-in sources not included). */
  net: bigint;
  subscriptions: bigint;
}

export interface PerformanceReport {
  generatedAt: string;
  moneyUnit: string;
  /** Best account first (by its links' net, then subscriptions). */
  accounts: AccountSection[];
  /** Every account's links in one list, best first. */
  links: LinkRow[];
  builtIn: LinkRow[];
  totals: Totals;
  comparisons: Comparison[];
  /** One series per account, oldest first, ending with this report; empty without earlier snapshots. */
  trend: Record<string, TrendPoint[]>;
}

const ZERO: Counters = { clicks: 0n, claims: 0n, follows: 0n, subscriptions: 0n, gross: 0n, net: 0n };

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A ratio is read, not summed: the nearest number is exact enough (counters stay exact). */
function ratio(numerator: bigint, denominator: bigint, decimals: number): number | null {
  return denominator === 0n ? null : round(Number(numerator) / Number(denominator), decimals);
}

/** -1, 0 or 1: bigints have no subtraction to a number a sort can use. */
function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function ratiosOf(counters: Counters): Ratios {
  return {
    claimsPerClick: ratio(counters.claims, counters.clicks, 4),
    subscriptionsPerClaim: ratio(counters.subscriptions, counters.claims, 4),
    netPerClick: ratio(counters.net, counters.clicks, 2),
  };
}

/** Adds counters up, field by field. */
export function sumCounters(rows: readonly Counters[]): Counters {
  const total = { ...ZERO };
  for (const row of rows) for (const name of REPORT_COUNTERS) total[name] += row[name];
  return total;
}

function minus(now: Counters, then: Counters): Counters {
  return Object.fromEntries(REPORT_COUNTERS.map((name) => [name, now[name] - then[name]])) as Counters;
}

/** Best first: net, then subscriptions; ties by account and label so every format lists rows in one order. */
function byPerformance(a: { counters: Counters; accountId?: string; label?: string }, b: typeof a): number {
  return (
    compare(b.counters.net, a.counters.net) ||
    compare(b.counters.subscriptions, a.counters.subscriptions) ||
    (a.accountId ?? "").localeCompare(b.accountId ?? "") ||
    (a.label ?? "").localeCompare(b.label ?? "")
  );
}

/**
 * Builds the report from this run's listings and the snapshots to compare with. A link that a baseline's account
 * did not hold is new since then, so its whole count is its change; an account the baseline did not hold has no
 * change for that comparison. Totals' changes add up the links present now: a deleted link's past does not count.
 */
export function buildReport(listings: readonly AccountListing[], baselines: Baselines, history: readonly Snapshot[], now: Date, moneyUnit = MONEY_UNIT): PerformanceReport {
  const comparisons: Comparison[] = COMPARISONS.flatMap(({ name, title }) => {
    const snapshot = baselines[name];
    return snapshot === undefined ? [] : [{ name, title, takenAt: snapshot.takenAt }];
  });
  const accounts = listings.map((listing) => accountSection(listing, baselines, comparisons)).sort((a, b) => byPerformance(a.totals.links, b.totals.links) || a.accountId.localeCompare(b.accountId));
  const links = accounts.flatMap((account) => account.links).sort(byPerformance);
  const builtIn = accounts.flatMap((account) => account.builtIn).sort(byPerformance);
  return {
    generatedAt: now.toISOString(),
    moneyUnit,
    accounts,
    links,
    builtIn,
    totals: {
      links: totalOf(accounts.map((account) => account.totals.links), comparisons),
      builtIn: totalOf(accounts.map((account) => account.totals.builtIn), comparisons),
    },
    comparisons,
    trend: trendOf(listings, history, now),
  };
}

function accountSection(listing: AccountListing, baselines: Baselines, comparisons: readonly Comparison[]): AccountSection {
  const rows = listing.links.map((link): LinkRow => {
    const changes: Changes = {};
    for (const { name } of comparisons) {
      const before = baselines[name]?.accounts[listing.accountId];
      if (before === undefined) continue;
      const then = before.find((old) => old.id === link.id);
      changes[name] = minus(link.counters, then?.counters ?? ZERO);
    }
    return { accountId: listing.accountId, linkId: link.id, label: link.label, builtIn: link.builtIn, counters: link.counters, ratios: ratiosOf(link.counters), changes };
  });
  const links = rows.filter((row) => !row.builtIn).sort(byPerformance);
  const builtIn = rows.filter((row) => row.builtIn).sort(byPerformance);
  return { accountId: listing.accountId, links, builtIn, totals: { links: totalOf(links, comparisons), builtIn: totalOf(builtIn, comparisons) } };
}

function totalOf(rows: readonly { counters: Counters; changes: Changes }[], comparisons: readonly Comparison[]): TotalRow {
  const counters = sumCounters(rows.map((row) => row.counters));
  const changes: Changes = {};
  for (const { name } of comparisons) {
    const known = rows.flatMap((row) => (row.changes[name] === undefined ? [] : [row.changes[name]]));
    if (known.length > 0) changes[name] = sumCounters(known);
  }
  return { counters, ratios: ratiosOf(counters), changes };
}

function trendOf(listings: readonly AccountListing[], history: readonly Snapshot[], now: Date): Record<string, TrendPoint[]> {
  if (history.length === 0) return {};
  const trend: Record<string, TrendPoint[]> = {};
  const pointOf = (takenAt: string, links: AccountListing["links"]): TrendPoint => {
    const total = sumCounters(links.filter((link) => !link.builtIn).map((link) => link.counters));
    return { takenAt, net: total.net, subscriptions: total.subscriptions };
  };
  for (const listing of listings) {
    const earlier = [...history]
      .sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt))
      .flatMap((snapshot) => {
        const links = snapshot.accounts[listing.accountId];
        return links === undefined ? [] : [pointOf(snapshot.takenAt, links)];
      });
    trend[listing.accountId] = [...earlier, pointOf(now.toISOString(), listing.links)];
  }
  return trend;
}
