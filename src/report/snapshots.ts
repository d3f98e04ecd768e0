/**
 * Dated snapshots of every link's lifetime counters, one JSON file per report run with `--save DIR`. Comparing
 * with earlier ones turns lifetime totals into a trend. The folder holds nothing else: a file we did not write
 * is refused rather than skipped, so a typo in `--save` cannot quietly start a second, empty history.
 */
import { readdir, readFile } from "node:fs/promises";
import { parseJsonKeepingBigIntegers, stringifyKeepingBigIntegers } from "../client/internal/json";
import { join } from "node:path";
import { z } from "zod";
import { ReportError } from "./errors";
import { COMPARISONS, REPORT_COUNTERS, type ComparisonName, type Counters } from "./counters";
import { messageOf } from "../thrown";

export const SNAPSHOT_KIND = "pulumi-fansly/performance-snapshot";
const SNAPSHOT_VERSION = 1;
const FILE_PREFIX = "performance-";
/** `performance-2026-12-02T06-23-05-123Z.json`: the time it was taken, sortable, with no `:` (Windows). */
const FILE_PATTERN = /^performance-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A daily job does not start at the same second every day: "7 days ago" accepts a snapshot this much younger
 * than 7 days, so yesterday's run at 06:23:40 still counts for today's at 06:23:10.
 */
const SCHEDULE_SLACK_MS = 6 * 60 * 60 * 1000;
/**
 * How far after this machine's clock a snapshot may be dated: machines that share a folder (a CI cache) disagree by
 * seconds, not more. A later date is a wrong clock or a forged file, and would sit in every trend as "the newest".
 */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

/** A counter as a snapshot holds it: a whole number of 0 or more, read exact at any size (see stringifyKeepingBigIntegers). */
const counter = z
  .union([z.bigint().nonnegative(), z.number().int().nonnegative(), z.string().regex(/^\d+$/, "must be a whole number of 0 or more")])
  .transform((value) => BigInt(value));
const CountersSchema = z.object(Object.fromEntries(REPORT_COUNTERS.map((name) => [name, counter])) as Record<keyof Counters, typeof counter>);

const SnapshotLinkSchema = z.object({
  id: z.string().regex(/^\d+$/, "must be a link id (digits)"),
  label: z.string(),
  builtIn: z.boolean(),
  counters: CountersSchema,
});
export type SnapshotLink = z.infer<typeof SnapshotLinkSchema>;

export const SnapshotSchema = z.object({
  kind: z.literal(SNAPSHOT_KIND),
  version: z.literal(SNAPSHOT_VERSION),
  takenAt: z.iso.datetime(),
  accounts: z.record(z.string().min(1), z.array(SnapshotLinkSchema)),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** One account's links as listed in this run (and as a snapshot stores them). */
export interface AccountListing {
  accountId: string;
  links: SnapshotLink[];
}

export function snapshotOf(listings: readonly AccountListing[], takenAt: Date): Snapshot {
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    takenAt: takenAt.toISOString(),
    accounts: Object.fromEntries(listings.map((listing) => [listing.accountId, listing.links])),
  };
}

/** A snapshot file's text: counters as JSON numbers with every digit (older releases read them as numbers). */
export function snapshotText(snapshot: Snapshot): string {
  return `${stringifyKeepingBigIntegers(snapshot, 2)}\n`;
}

export function snapshotFileName(takenAt: Date): string {
  return `${FILE_PREFIX}${takenAt.toISOString().replace(/[:.]/g, "-")}.json`;
}

/**
 * Every snapshot in the folder, checked. A missing folder is an empty history (`--save` creates it). Hidden
 * entries (`.gitkeep`, our own temporary files) are ignored; anything else that is not a valid snapshot is an error.
 */
export async function readSnapshotFolder(dir: string, shownAs: string, now: Date): Promise<Snapshot[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => !entry.name.startsWith(".")).map((entry) => (entry.isFile() ? entry.name : `${entry.name}/`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    if (code === "ENOTDIR") throw new ReportError(`--save ${shownAs} is a file, not a folder: pass a folder for the snapshots (it is created when missing)`);
    throw error;
  }
  const snapshots: Snapshot[] = [];
  for (const name of names.sort()) {
    const shown = join(shownAs, name);
    if (!FILE_PATTERN.test(name)) {
      throw new ReportError(`${shown} is not a pulumi-fansly snapshot: move it out of ${shownAs} (the --save folder holds only performance-….json snapshots), or --save another folder`);
    }
    const snapshot = parseSnapshot(await readFile(join(dir, name), "utf8"), shown);
    if (Date.parse(snapshot.takenAt) > now.getTime() + FUTURE_SKEW_MS) {
      throw new ReportError(
        `${shown} is dated ${snapshot.takenAt}, after this machine's time (${now.toISOString()}): a snapshot cannot come from the future; ` +
          `check this machine's clock, or delete the file`,
      );
    }
    snapshots.push(snapshot);
  }
  return snapshots;
}

function parseSnapshot(text: string, shown: string): Snapshot {
  let json: unknown;
  try {
    json = parseJsonKeepingBigIntegers(text);
  } catch (error) {
    throw new ReportError(`${shown} is not valid JSON (${oneLine(error)}): delete it, or restore it from an earlier copy (the drift job's build artifacts keep one)`);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > SNAPSHOT_VERSION && (json as { kind?: unknown }).kind === SNAPSHOT_KIND) {
    throw new ReportError(`${shown} was written by a newer pulumi-fansly (snapshot version ${version}): upgrade pulumi-fansly to read it`);
  }
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined || issue.path.length === 0 ? "" : ` at ${issue.path.map(String).join(".")}`;
    throw new ReportError(`${shown} is not a valid pulumi-fansly snapshot (${issue?.message ?? "wrong shape"}${at}): delete it, or restore it from an earlier copy`);
  }
  return parsed.data;
}

function oneLine(error: unknown): string {
  return messageOf(error).split("\n")[0] ?? "";
}

/** A snapshot chosen for each comparison, when one exists (see chooseBaselines). */
export type Baselines = Partial<Record<ComparisonName, Snapshot>>;

/**
 * The snapshot each comparison uses: "previous" is the newest one taken before now; "7d" and "30d" the newest one
 * at least that old (less SCHEDULE_SLACK_MS). A comparison without such a snapshot is left out.
 */
export function chooseBaselines(history: readonly Snapshot[], now: Date): Baselines {
  const newestFirst = [...history].sort((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt));
  const baselines: Baselines = {};
  for (const { name, ageDays } of COMPARISONS) {
    const minimumAgeMs = ageDays === 0 ? 1 : ageDays * DAY_MS - SCHEDULE_SLACK_MS;
    const chosen = newestFirst.find((snapshot) => now.getTime() - Date.parse(snapshot.takenAt) >= minimumAgeMs);
    if (chosen !== undefined) baselines[name] = chosen;
  }
  return baselines;
}
