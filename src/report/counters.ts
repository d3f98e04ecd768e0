/** The counters a report reads from each link, and the earlier snapshots it compares with: shared by the report
 * model and the snapshot files, so neither needs the other for them. */

/** The report's names for the link's TRAFFIC_COUNTERS (src/fields.ts): `gross` and `net` are the API's `totalGross` and `totalNet`. */
export const REPORT_COUNTERS = ["clicks", "claims", "follows", "subscriptions", "gross", "net"] as const;
type ReportCounter = (typeof REPORT_COUNTERS)[number];
/** Exact at any size (the API's counters are whole numbers up to 2^63 - 1, see the client's CounterSchema): sums too. */
export type Counters = Record<ReportCounter, bigint>;

/** The earlier snapshots a report compares with, when the folder holds them. */
export const COMPARISONS = [
  { name: "previous", title: "previous snapshot", ageDays: 0 },
  { name: "7d", title: "7 days ago", ageDays: 7 },
  { name: "30d", title: "30 days ago", ageDays: 30 },
] as const;
export type ComparisonName = (typeof COMPARISONS)[number]["name"];
