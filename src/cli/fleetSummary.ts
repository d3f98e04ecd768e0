/**
 * One comment (or issue) for a fleet: every stack of a project previewed, or drift-checked, by its own CI job, read
 * back from what each job kept (`<stack>.txt`, the `pulumi preview` output; `<stack>.exit`, its exit status). A
 * table names every stack and what it found; the stacks that changed, drifted or failed follow, each folded with
 * its own preview comment. Pure: no I/O, so what a reviewer reads can be checked byte for byte.
 */
import { plural } from "../plural";
import { MIN_COMMENT_CHARS, parsePreview, previewVerdict, renderPreviewComment, totalChanges, type ChangeKind, type PreviewSummary } from "./previewComment";

/** What the jobs ran: `pulumi preview --diff` on a pull request, or the scheduled `--refresh --expect-no-changes`. */
export type FleetRunKind = "preview" | "drift";

/** One stack's job, as it left its report; both undefined when the job left none (it stopped before the preview). */
export interface StackReport {
  stack: string;
  output: string | undefined;
  exitCode: number | undefined;
}

/**
 * What a stack's job found:
 * - `changes`: a preview with changes to review; `unchanged`: a preview with none;
 * - `drifted`: a drift check that found the live links different from the branch; `in-sync`: one that found none;
 * - `failed`: the preview failed, printed no preview, or was cut short: nothing may read as "no changes";
 * - `missing`: the job left no report (it failed before the preview, or was cancelled).
 */
export type StackOutcome = "changes" | "unchanged" | "drifted" | "in-sync" | "failed" | "missing";

export interface FleetSummaryOptions {
  kind: FleetRunKind;
  /** Link to the run, for the details that do not fit. */
  runUrl?: string;
  /** Longest text to produce, in UTF-16 code units. */
  maxChars: number;
}

/** The first line of a fleet summary: a pipeline finds its comment (or its issue's body) by it and updates it. */
function fleetSummaryMarker(kind: FleetRunKind): string {
  return `<!-- pulumi-fansly:fleet-summary kind=${kind} -->`;
}

/** Outcomes a person must look at: the exit status of `fleet-summary` is non-zero when any stack has one. */
const NEEDS_A_LOOK: ReadonlySet<StackOutcome> = new Set(["drifted", "failed", "missing"]);
/** Table and details order: what needs a person first. */
const OUTCOME_ORDER: Record<StackOutcome, number> = { missing: 0, failed: 1, drifted: 2, changes: 3, unchanged: 4, "in-sync": 5 };
const OUTCOME_TEXT: Record<StackOutcome, string> = {
  changes: "📝 changes",
  unchanged: "✅ no changes",
  drifted: "⚠️ drifted",
  "in-sync": "✅ in sync",
  failed: "❌ failed",
  missing: "❓ no report",
};
const COUNTED_KINDS: readonly ChangeKind[] = ["create", "update", "delete", "replace"];
const TITLES: Record<FleetRunKind, string> = { preview: "Pulumi preview", drift: "Drift check" };
/** Room kept for the `<details>` wrapper around each stack's own comment. */
const DETAILS_WRAPPER_CHARS = 120;

export interface StackResult {
  report: StackReport;
  outcome: StackOutcome;
  summary: PreviewSummary | undefined;
}

/** What one stack's report says, by the same verdict `preview-comment` gives a single stack. */
function stackOutcome(report: StackReport, kind: FleetRunKind): StackResult {
  if (report.output === undefined || report.exitCode === undefined) return { report, outcome: "missing", summary: undefined };
  const summary = parsePreview(report.output);
  if (previewVerdict(summary, report.exitCode) !== "ok") return { report, outcome: "failed", summary };
  const changed = totalChanges(summary.counts) > 0;
  // --expect-no-changes exits non-zero (7 since Pulumi 3.226) when it finds changes: that is drift, not a failure.
  if (kind === "drift") return { report, outcome: changed || report.exitCode !== 0 ? "drifted" : "in-sync", summary };
  return { report, outcome: changed ? "changes" : "unchanged", summary };
}

export function needsALook(outcome: StackOutcome): boolean {
  return NEEDS_A_LOOK.has(outcome);
}

function stackCode(stack: string): string {
  const tick = "`";
  return tick + stack.replaceAll(tick, "'") + tick;
}

function countCells(result: StackResult): string {
  if (result.summary === undefined || result.outcome === "failed") return COUNTED_KINDS.map(() => "").join(" | ");
  const { counts } = result.summary;
  return COUNTED_KINDS.map((kind) => String(counts[kind])).join(" | ");
}

function headline(results: readonly StackResult[], kind: FleetRunKind): string {
  const count = (outcome: StackOutcome): number => results.filter((r) => r.outcome === outcome).length;
  const named = (outcome: StackOutcome): string => {
    const stacks = results.filter((r) => r.outcome === outcome).map((r) => stackCode(r.report.stack));
    return `${stacks.length} ${outcome === "missing" ? "without a report" : outcome} (${stacks.join(", ")})`;
  };
  const problems = (["drifted", "failed", "missing"] as const).filter((outcome) => count(outcome) > 0).map(named);
  const fleet = `${TITLES[kind]} · fleet of ${plural(results.length, "stack")}`;
  if (problems.length > 0) return `### ${count("failed") + count("missing") > 0 ? "❌" : "⚠️"} ${fleet}: ${problems.join(", ")}`;
  if (kind === "drift") return `### ✅ ${fleet}: every stack in sync`;
  const changed = count("changes");
  return changed === 0 ? `### ✅ ${fleet}: no changes` : `### 📝 ${fleet}: ${changed} with changes`;
}

function table(results: readonly StackResult[]): string {
  const head = "| stack | result | ➕ create | ✏️ update | ➖ delete | 🔁 replace |\n|---|---|---|---|---|---|";
  return [head, ...results.map((r) => `| ${stackCode(r.report.stack)} | ${OUTCOME_TEXT[r.outcome]} | ${countCells(r)} |`)].join("\n");
}

/** A stack's own preview comment, folded; its marker dropped (the fleet summary has its own). */
function stackDetails(result: StackResult, kind: FleetRunKind, maxChars: number, runUrl: string | undefined): string {
  const { stack, output, exitCode } = result.report;
  const summaryLine = `<details><summary>${stackCode(stack)}: ${OUTCOME_TEXT[result.outcome]}</summary>`;
  if (output === undefined || exitCode === undefined) {
    return `${summaryLine}\n\nThe job left no report: it stopped before the preview (or was cancelled). Nothing here says the stack matches the program; see the job log.\n\n</details>`;
  }
  const comment = renderPreviewComment(output, { stack, exitCode, title: TITLES[kind], maxChars, ...(runUrl === undefined ? {} : { runUrl }) });
  return `${summaryLine}\n\n${comment.slice(comment.indexOf("\n") + 1)}\n\n</details>`;
}

/** The whole summary, at most `options.maxChars` long: the table always, then as many stacks' details as fit. */
export function renderFleetSummary(reports: readonly StackReport[], options: FleetSummaryOptions): { text: string; results: StackResult[] } {
  const results = reports.map((report) => stackOutcome(report, options.kind)).sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || a.report.stack.localeCompare(b.report.stack));
  const footer = options.runUrl === undefined ? [] : [`<sub>[Run](${options.runUrl}) · posted by \`pulumi-fansly fleet-summary\`</sub>`];
  const head = [fleetSummaryMarker(options.kind), headline(results, options.kind), table(results)];
  const worthDetails = results.filter((r) => r.outcome !== "unchanged" && r.outcome !== "in-sync");
  const parts: string[] = [];
  // The note that details were left out, when some are: its room is kept from the start.
  const leftOutNote = (n: number): string => `> The details of ${plural(n, "more stack")} do not fit here: ${options.runUrl === undefined ? "each job's log has them" : `[the run](${options.runUrl}) has them`}.`;
  let used = [...head, ...footer].join("\n\n").length + leftOutNote(worthDetails.length).length + 2;
  let shown = 0;
  for (const [i, result] of worthDetails.entries()) {
    const share = Math.floor((options.maxChars - used) / (worthDetails.length - i)) - DETAILS_WRAPPER_CHARS;
    if (share < MIN_COMMENT_CHARS) break;
    const details = stackDetails(result, options.kind, share, options.runUrl);
    if (used + details.length + 2 > options.maxChars) break;
    parts.push(details);
    used += details.length + 2;
    shown += 1;
  }
  if (shown < worthDetails.length) parts.push(leftOutNote(worthDetails.length - shown));
  return { text: [...head, ...parts, ...footer].join("\n\n"), results };
}
