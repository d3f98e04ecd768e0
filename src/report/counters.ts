/** The counters a report reads from each link, and the earlier snapshots it compares with: shared by the report
 * model and the snapshot files, so neither needs the other for them. */

export const COUNTER_NAMES = ["clicks", "claims", "follows", "subscriptions", "gross", "net"] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
/** Exact at any size (the API's counters are whole numbers up to 2^63 - 1, see the client's CounterSchema): sums too. */
export type Counters = Record<CounterName, bigint>;

/** The earlier snapshots a report compares with, when the folder holds them. */
export const COMPARISONS = [
  { name: "previous", title: "previous snapshot", ageDays: 0 },
  { name: "7d", title: "7 days ago", ageDays: 7 },
  { name: "30d", title: "30 days ago", ageDays: 30 },
] as const;
export type ComparisonName = (typeof COMPARISONS)[number]["name"];
