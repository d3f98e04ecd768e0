/**
 * Turns the text `pulumi preview --diff` prints into a pull-request (or merge-request) comment: the counts, the
 * changed resources, and the whole output folded away when it fits, cut at a line (never inside a character) when
 * it does not. Pure: no I/O, so the pipeline's comment can be checked byte for byte.
 */

import { escapeForDisplay } from "../fields";
import { plural } from "../plural";
import { estimateLinesIn } from "../provider/costs";
import { mandatoryHeadline, parsePolicyViolations, type PolicyViolation } from "./previewCommentPolicies";

/** GitHub refuses an issue or pull-request comment longer than this many characters ("body is too long"). */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;
/** Below this a summary with counts and a few resources no longer fits; `--max-chars` refuses less. */
export const MIN_COMMENT_CHARS = 2_000;
/** When the whole comment does not fit, the changed-resource table may take at most this share of the limit. */
const TABLE_SHARE_WHEN_SUMMARISED = 0.5;
/** A cut diff shorter than this helps nobody: the comment then points at the run log alone. */
const MIN_DIFF_CHARS = 500;
/** A failed preview's `error:` lines shown above the output, at most this many, each at most ERROR_LINE_MAX_CHARS. */
const MAX_ERROR_LINES = 20;
const ERROR_LINE_MAX_CHARS = 1_000;
/** The first error in the headline, at most this long: a headline is read at a glance. */
const HEADLINE_ERROR_MAX_CHARS = 200;
/** The policy-violation table may take at most this share of the limit; the rest is in the output and the log. */
const POLICY_SHARE = 0.25;
/** A violation's message in the table, at most this long. */
const POLICY_MESSAGE_MAX_CHARS = 400;
/** The first line of every comment: pipelines find the comment to update by it. */
const MARKER_PREFIX = "<!-- pulumi-fansly:preview-comment";

export type ChangeKind = "create" | "update" | "delete" | "replace" | "import";

const CHANGE_KINDS: readonly ChangeKind[] = ["create", "update", "delete", "replace", "import"];

/** Table order: what destroys something first, so a reviewer sees it without scrolling. */
const REVIEW_ORDER: Record<ChangeKind, number> = { delete: 0, replace: 1, update: 2, create: 3, import: 4 };

const KIND_ICONS: Record<ChangeKind, string> = { create: "➕", update: "✏️", delete: "➖", replace: "🔁", import: "📥" };

interface ChangedResource {
  kind: ChangeKind;
  /** The resource's name (the last part of its URN). */
  name: string;
  /** Its type, e.g. `pulumi-nodejs:dynamic/fansly:TrackingLink`. */
  type: string;
  /** Inputs the step changes (`label`, `accountId`), as far as the output shows them. */
  properties: string[];
}

export interface PreviewSummary {
  /** The stack named in "Previewing update (<stack>):", if the output has that line. */
  stack: string | undefined;
  /** Steps per kind, from Pulumi's own "Resources:" summary when present, else counted from the steps listed. */
  counts: Record<ChangeKind, number>;
  unchanged: number | undefined;
  resources: ChangedResource[];
  /**
   * `error:` lines, except the one `--expect-no-changes` adds when there are changes. An error that ends with ":"
   * ("Running program … failed with an unhandled exception:") has its cause, the next line, appended.
   */
  errors: string[];
  /**
   * What the headline shows of the first error: its cause when it has one (the exception, not "Running program…");
   * when a policy pack's mandatory violations failed the preview, how many and of which policies.
   */
  firstError: string | undefined;
  /** The violations a policy pack (`--policy-pack`) reported, mandatory and advisory. */
  policyViolations: PolicyViolation[];
  /** The text has something only `pulumi preview` prints: a "Previewing …" line, a "Resources:" summary, a step. */
  recognised: boolean;
  /** The output ends with `--expect-no-changes`'s complaint: changes were found where none were expected. */
  changesWereUnexpected: boolean;
  /**
   * The output reaches Pulumi's closing `Resources:` summary, whole: at least one of its lines; the "N changes" total
   * Pulumi prints when two or more kinds change, adding up; and every kind of step listed above it counted in it.
   * Without it the output was cut short (or the preview stopped), and no count may be given.
   */
  complete: boolean;
  /** The providers' "fansly estimate: …" lines (src/provider/costs.ts), one per provider process, in order. */
  costs: string[];
}

export interface CommentOptions {
  /** Stack name for the heading and the marker (default: the one the output names). */
  stack?: string;
  /** Link to the full job log, offered when the output is cut. */
  runUrl?: string;
  /** Exit status of the `pulumi preview` that printed the text; non-zero makes the comment say it failed. */
  exitCode?: number;
  /** Heading instead of "Pulumi preview" (e.g. "Drift check"). */
  title?: string;
  /** Longest comment to produce, in UTF-16 code units (default GITHUB_COMMENT_MAX_CHARS). */
  maxChars?: number;
}

// Ops Pulumi prints, in both of its formats ("create replacement" in the table, "create-replacement" with --diff).
// Reads, refreshes and unchanged steps change nothing remote, so they are not listed.
const OP_KINDS: Record<string, ChangeKind | undefined> = {
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create replacement": "replace",
  "create-replacement": "replace",
  "delete original": "replace",
  "delete-replaced": "replace",
  replacement: "replace",
  import: "import",
  "import replacement": "import",
  "import-replacement": "import",
};

/** `~ pulumi-nodejs:dynamic/fansly:TrackingLink: (update)` — a step header of `pulumi preview --diff`. */
const DIFF_HEADER = /^(\s*)(?:\+\+|\+-|-\+|--|[-+~<>=])?\s*([A-Za-z0-9_.-]+:[^\s()]*): \(([a-z-]+)\)\s*$/;
/** `~  pulumi-nodejs:dynamic/fansly:TrackingLink reddit update [diff: ~label]` — a row of plain `pulumi preview`. */
const TABLE_ROW =
  /^\s*(?:\+\+|\+-|-\+|--|[-+~<>=])\s+([A-Za-z0-9_.-]+:\S+) (.+?) (create replacement|delete original|import replacement|create|update|delete|replace|import)(?: \[diff: ([^\]]*)\])?\s*$/;
const URN_LINE = /^\s*\[urn=(urn:pulumi:[^\]]+)\]\s*$/;
/** A changed property directly under a step header: `~ label : "a" => "b"`. */
const PROPERTY_LINE = /^(\s*)(\+-|-\+|[-+~])\s?([^\s:][^:]*?)\s*:/;
const COUNT_LINE = /^\s*(?:[-+~<>=]{1,2})?\s*(\d+) to (create|update|delete|replace|import)\b/;
const UNCHANGED = /(\d+) unchanged\s*$/;
/** `6 changes. 2 unchanged`: the total Pulumi prints under the per-kind lines when two or more kinds change. */
const TOTAL_LINE = /^\s*(\d+) changes?\b/;
const ERROR_LINE = /^\s*error: (.*)$/;
const UNEXPECTED_CHANGES = /no changes were expected/;
const STACK_LINE = /^\s*Previewing (?:update|refresh|destroy) \(([^)]+)\)/;
// eslint-disable-next-line no-control-regex -- ANSI colour codes begin with ESC; a coloured log must still parse
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

/**
 * The output as a viewer reads it: no colour codes, `\n` line ends, and any other control or bidi character (a label
 * from the API inside a diff) shown as an escape, so the comment is inert wherever it is printed.
 */
function cleanPreviewText(text: string): string {
  return escapeForDisplay(text.replace(ANSI, "").replace(/\r\n?/g, "\n"), { keepLineBreaks: true });
}

function nameFromUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function emptyCounts(): Record<ChangeKind, number> {
  return { create: 0, update: 0, delete: 0, replace: 0, import: 0 };
}

/** Which property markers mean "this input changes": a replacement also lists every output it drops with `-`. */
function countsAsChanged(kind: ChangeKind, marker: string): boolean {
  return kind === "update" || marker !== "-";
}

/** Lines that belong to the preview itself, never the cause of an error printed just before them. */
function isPreviewStructure(line: string): boolean {
  return line.trim() === "Resources:" || STACK_LINE.test(line) || DIFF_HEADER.test(line) || TABLE_ROW.test(line) || URN_LINE.test(line);
}

export function parsePreview(text: string): PreviewSummary {
  const lines = cleanPreviewText(text).split("\n");
  const byKey = new Map<string, ChangedResource>();
  const summaryCounts = emptyCounts();
  let sawSummary = false;
  let inSummary = false;
  let summaryLines = 0;
  let summaryTotal: number | undefined;
  let unchanged: number | undefined;
  let stack: string | undefined;
  const errors: string[] = [];
  let changesWereUnexpected = false;
  let recognised = false;
  // An error ending with ":" waits for its cause on the next non-empty line.
  let awaitingCause: number | undefined;
  let firstError: string | undefined;
  // The --diff step being read: its header's indent, and where its URN and properties go.
  let step: { indent: number; kind: ChangeKind | undefined; type: string; resource: ChangedResource | undefined } | undefined;

  const record = (kind: ChangeKind, type: string, name: string, properties: string[]): ChangedResource => {
    const key = `${type}::${name}`;
    const known = byKey.get(key);
    if (known !== undefined) {
      for (const property of properties) if (!known.properties.includes(property)) known.properties.push(property);
      return known;
    }
    const resource = { kind, name, type, properties: [...properties] };
    byKey.set(key, resource);
    return resource;
  };

  for (const line of lines) {
    const stackMatch = STACK_LINE.exec(line);
    if (stackMatch?.[1] !== undefined) {
      recognised = true;
      stack ??= stackMatch[1];
    }

    const error = ERROR_LINE.exec(line);
    if (error?.[1] !== undefined) {
      if (UNEXPECTED_CHANGES.test(error[1])) changesWereUnexpected = true;
      else errors.push(error[1].trimEnd());
      awaitingCause = error[1].trimEnd().endsWith(":") ? errors.length - 1 : undefined;
      continue;
    }
    if (awaitingCause !== undefined && line.trim() !== "" && !isPreviewStructure(line)) {
      errors[awaitingCause] = `${errors[awaitingCause] ?? ""} ${line.trim()}`;
      if (awaitingCause === 0) firstError = line.trim();
      awaitingCause = undefined;
      continue;
    }
    if (line.trim() !== "") awaitingCause = undefined;

    if (line.trim() === "Resources:") {
      recognised = true;
      inSummary = true;
      sawSummary = true;
      step = undefined;
      continue;
    }
    if (inSummary) {
      const count = COUNT_LINE.exec(line);
      if (count?.[1] !== undefined && count[2] !== undefined) {
        summaryCounts[count[2] as ChangeKind] += Number(count[1]);
        summaryLines += 1;
        continue;
      }
      const total = TOTAL_LINE.exec(line);
      if (total?.[1] !== undefined) summaryTotal = Number(total[1]);
      const same = UNCHANGED.exec(line);
      if (same?.[1] !== undefined) unchanged = Number(same[1]);
      if (total !== null || same !== null) {
        summaryLines += 1;
        continue;
      }
      if (line.trim() === "") inSummary = false;
      continue;
    }

    const header = DIFF_HEADER.exec(line);
    if (header?.[1] !== undefined && header[2] !== undefined && header[3] !== undefined) {
      recognised = true;
      step = { indent: header[1].length, kind: OP_KINDS[header[3]], type: header[2], resource: undefined };
      continue;
    }

    const row = TABLE_ROW.exec(line);
    if (row?.[1] !== undefined && row[2] !== undefined && row[3] !== undefined && row[1] !== "pulumi:pulumi:Stack") {
      const kind = OP_KINDS[row[3]];
      recognised = true;
      if (kind !== undefined) {
        const properties = (row[4] ?? "").split(/[\s,]+/).map((p) => p.replace(/^[-+~]+/, "")).filter((p) => p !== "");
        record(kind, row[1], row[2], properties);
      }
      step = undefined;
      continue;
    }

    if (step === undefined) continue;
    if (line.trim() === "--outputs:--") {
      step = undefined; // what follows are outputs, not the inputs the step changes
      continue;
    }
    const urn = URN_LINE.exec(line);
    if (urn?.[1] !== undefined) {
      if (step.kind !== undefined && step.resource === undefined) step.resource = record(step.kind, step.type, nameFromUrn(urn[1]), []);
      continue;
    }
    const property = PROPERTY_LINE.exec(line);
    if (
      property?.[1] !== undefined &&
      property[2] !== undefined &&
      property[3] !== undefined &&
      property[1].length === step.indent + 2 &&
      step.resource !== undefined &&
      countsAsChanged(step.resource.kind, property[2]) &&
      !step.resource.properties.includes(property[3])
    ) {
      step.resource.properties.push(property[3]);
    }
  }

  const resources = [...byKey.values()];
  let counts = summaryCounts;
  if (!sawSummary) {
    counts = emptyCounts();
    for (const resource of resources) counts[resource.kind] += 1;
  }
  const policyViolations = parsePolicyViolations(lines);
  // Pulumi's own error for them is only "preview failed": the violations are the reason.
  firstError = mandatoryHeadline(policyViolations) ?? firstError ?? errors[0];
  const kindsCounted = CHANGE_KINDS.filter((kind) => summaryCounts[kind] > 0);
  const complete =
    sawSummary &&
    summaryLines > 0 &&
    (kindsCounted.length < 2 || summaryTotal === totalChanges(summaryCounts)) &&
    resources.every((resource) => summaryCounts[resource.kind] > 0);
  return {
    stack,
    counts,
    unchanged,
    resources,
    errors,
    changesWereUnexpected,
    recognised,
    firstError,
    policyViolations,
    complete,
    costs: estimateLinesIn(lines.join("\n")),
  };
}

export function totalChanges(counts: Record<ChangeKind, number>): number {
  return CHANGE_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

/** The hidden first line of the comment for `stack`: the same on every run, so a pipeline can find and update it. */
export function commentMarker(stack: string | undefined): string {
  const safe = (stack ?? "default").replace(/[^A-Za-z0-9._/@-]/g, "_");
  return `${MARKER_PREFIX} stack=${safe} -->`;
}

/** Longest prefix of `text` of at most `maxUnits` UTF-16 code units that ends between two graphemes. */
function cutAtCharacterBoundary(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = 0;
  for (const { segment, index } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    if (index + segment.length > maxUnits) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Whole lines of `text` that fit in `maxUnits` (each with its `\n`); a first line too long is cut between characters. */
function leadingLinesWithin(text: string, maxUnits: number): { text: string; lines: number; cutInsideLine: boolean } {
  const lines = text.split("\n");
  let used = 0;
  let count = 0;
  for (const line of lines) {
    const cost = line.length + 1;
    if (used + cost > maxUnits) break;
    used += cost;
    count += 1;
  }
  if (count === 0) return { text: cutAtCharacterBoundary(lines[0] ?? "", maxUnits), lines: 0, cutInsideLine: true };
  return { text: lines.slice(0, count).join("\n"), lines: count, cutInsideLine: false };
}

/** Backticks enough that nothing in `body` closes the block early (CommonMark: a longer fence). */
function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * Text from the preview as a code span: inert wherever it goes (no @mention, link, image, emphasis or HTML), as
 * GitHub renders nothing inside code. The fence is longer than any run of backticks in the text.
 */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ")) ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** A code span in a table cell: a `|` ends a cell even inside code, unless escaped. */
function inlineCode(text: string): string {
  return codeSpan(text.replace(/\|/g, "\\|"));
}

/** `pulumi-nodejs:dynamic/fansly:TrackingLink` reads as `fansly:TrackingLink`: every dynamic resource shares the prefix. */
function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

function countsSentence(summary: PreviewSummary): string {
  const parts = CHANGE_KINDS.filter((kind) => summary.counts[kind] > 0).map((kind) => `${KIND_ICONS[kind]} ${summary.counts[kind]} to ${kind}`);
  const unchanged = summary.unchanged === undefined ? "" : `; ${summary.unchanged} unchanged`;
  return `**${plural(totalChanges(summary.counts), "change")}**: ${parts.join(", ")}${unchanged}`;
}

function tableRow(resource: ChangedResource): string {
  const properties = resource.properties.length === 0 ? "" : resource.properties.map(inlineCode).join(", ");
  return `| ${KIND_ICONS[resource.kind]} ${resource.kind} | ${inlineCode(resource.name)} | ${inlineCode(shortType(resource.type))} | ${properties} |`;
}

const TABLE_HEAD = "| change | resource | type | changed inputs |\n|---|---|---|---|";

/** The changed-resource table, with as many rows as fit in `budget` (all when undefined). */
function resourceTable(unordered: readonly ChangedResource[], budget: number | undefined): { text: string; shown: number } {
  const resources = [...unordered].sort((a, b) => REVIEW_ORDER[a.kind] - REVIEW_ORDER[b.kind]);
  const rows: string[] = [];
  let used = TABLE_HEAD.length;
  for (const [i, resource] of resources.entries()) {
    const row = tableRow(resource);
    const rest = resources.length - i - 1;
    // Room for this row and, if rows remain after it, the "and N more" line.
    const reserve = rest > 0 ? moreRow(resources.length).length + 1 : 0;
    if (budget !== undefined && used + row.length + 1 + reserve > budget) break;
    rows.push(row);
    used += row.length + 1;
  }
  const hidden = resources.length - rows.length;
  if (hidden > 0) rows.push(moreRow(hidden));
  return { text: `**Changed resources**\n\n${TABLE_HEAD}\n${rows.join("\n")}`, shown: resources.length - hidden };
}

function moreRow(hidden: number): string {
  return `| … | and ${plural(hidden, "more resource")}: see the run log | | |`;
}

const POLICY_HEAD = "| level | policy | resource | message |\n|---|---|---|---|";

/** The policy violations, mandatory first, as many rows as fit in `budget`; the rest counted. */
function policyTable(violations: readonly PolicyViolation[], budget: number): string {
  const ordered = [...violations].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1));
  const rows: string[] = [];
  let used = POLICY_HEAD.length;
  for (const [i, violation] of ordered.entries()) {
    const message = `${cutAtCharacterBoundary(violation.message, POLICY_MESSAGE_MAX_CHARS)}${violation.message.length > POLICY_MESSAGE_MAX_CHARS ? "…" : ""}`;
    const row = `| ${violation.level === "mandatory" ? "❌ mandatory" : "⚠️ advisory"} | ${inlineCode(violation.policy)} | ${inlineCode(violation.name)} (${inlineCode(shortType(violation.type))}) | ${inlineCode(message)} |`;
    const reserve = i < ordered.length - 1 ? 80 : 0;
    if (used + row.length + 1 + reserve > budget) break;
    rows.push(row);
    used += row.length + 1;
  }
  const hidden = ordered.length - rows.length;
  if (hidden > 0) rows.push(`| … | and ${plural(hidden, "more violation")}: see the run log | | |`);
  return `**Policy violations**\n\n${POLICY_HEAD}\n${rows.join("\n")}`;
}

function logHint(runUrl: string | undefined): string {
  return runUrl === undefined ? "the job log has all of it" : `[the run log](${runUrl}) has all of it`;
}

function details(summaryLine: string, body: string): string {
  const fence = fenceFor(body);
  return `<details><summary>${summaryLine}</summary>\n\n${fence}\n${body}\n${fence}\n\n</details>`;
}

function fullOutputSummary(lineCount: number): string {
  return `Full <code>pulumi preview</code> output (${plural(lineCount, "line")})`;
}

function cutOutputSummary(shown: number, total: number, cutInsideLine: boolean): string {
  const what = cutInsideLine ? "The start of the first line" : `The first ${shown.toLocaleString("en-US")} of ${plural(total, "line")}`;
  return `${what} of the <code>pulumi preview</code> output (cut: the rest is in the run log)`;
}

/** The first error, as the headline shows it: one line in a code span, so nothing in it is live Markdown. */
function headlineError(first: string | undefined): string {
  if (first === undefined) return "";
  const plain = first.replace(/\s+/g, " ").trim();
  return `: ${codeSpan(`${cutAtCharacterBoundary(plain, HEADLINE_ERROR_MAX_CHARS)}${plain.length > HEADLINE_ERROR_MAX_CHARS ? "…" : ""}`)}`;
}

function heading(summary: PreviewSummary, options: CommentOptions, verdict: PreviewVerdict): string {
  const title = options.title ?? "Pulumi preview";
  const stack = options.stack ?? summary.stack;
  const where = stack === undefined ? "" : ` · ${codeSpan(stack)}`;
  const total = totalChanges(summary.counts);
  if (verdict === "failed") return `### ❌ ${title}${where}: failed${headlineError(summary.firstError)}`;
  if (verdict === "unreadable") return `### ❓ ${title}${where}: no preview to read`;
  if (verdict === "incomplete") return `### ⚠️ ${title}${where}: incomplete output, no count`;
  if (total === 0) return `### ✅ ${title}${where}: no changes`;
  return `### 📝 ${title}${where}: ${plural(total, "change")}`;
}

function errorBlock(errors: readonly string[], exitCode: number | undefined): string {
  if (errors.length === 0) return `\`pulumi preview\` exited with status ${exitCode ?? "unknown"} and printed no \`error:\` line; see the output below.`;
  const shown = errors.slice(0, MAX_ERROR_LINES).map((e) => `error: ${cutAtCharacterBoundary(e, ERROR_LINE_MAX_CHARS)}`);
  if (errors.length > shown.length) shown.push(`… and ${plural(errors.length - shown.length, "more error")}`);
  const body = shown.join("\n");
  const fence = fenceFor(body);
  return `${fence}\n${body}\n${fence}`;
}

function unreadableLine(output: string, empty: boolean): string {
  const said = empty ? "The input was empty" : `The input is not \`pulumi preview\` output (it begins ${codeSpan(cutAtCharacterBoundary(output.split("\n")[0] ?? "", 80))})`;
  return `${said}: the preview may not have run. **Nothing here says the stack matches the program**; see the job log.`;
}

function incompleteLine(): string {
  return (
    "The output ends before Pulumi's closing `Resources:` summary (cut short, or the preview stopped): how many " +
    "resources would change is unknown. **Nothing here says the stack matches the program**; see the job log."
  );
}

/** The providers' estimate lines, each as a code span (inert): what the update will cost in requests = credits. */
function costLines(costs: readonly string[]): string {
  return `**Cost**: ${costs.map(codeSpan).join("<br>")}`;
}

function noChangesLine(summary: PreviewSummary): string {
  const unchanged = summary.unchanged === undefined ? "" : ` (${plural(summary.unchanged, "resource")} unchanged)`;
  return `The stack matches the program${unchanged}: nothing would be created, updated, replaced or deleted.`;
}

/**
 * What the comment says about the preview, and what the command's exit status says:
 * - `ok`: the preview ran; it found changes or none (a drift check's `--expect-no-changes` exit counts as ran);
 * - `failed`: it printed an `error:` line or exited non-zero;
 * - `unreadable`: empty, or not `pulumi preview` output: the preview may not have run, so nothing may read as "no changes";
 * - `incomplete`: a preview's output without its closing summary (a log cut short): no count may be given.
 */
export type PreviewVerdict = "ok" | "failed" | "unreadable" | "incomplete";

export function previewVerdict(summary: PreviewSummary, exitCode: number | undefined): PreviewVerdict {
  const total = totalChanges(summary.counts);
  if (summary.errors.length > 0) return "failed";
  if (exitCode !== undefined && exitCode !== 0 && !(summary.changesWereUnexpected && total > 0)) return "failed";
  if (!summary.recognised) return "unreadable";
  return summary.complete ? "ok" : "incomplete";
}

/** The whole comment for a preview's printed text. Never longer than `options.maxChars` (default 65,536). */
export function renderPreviewComment(previewText: string, options: CommentOptions = {}): string {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_MAX_CHARS;
  const output = cleanPreviewText(previewText).replace(/\n+$/, "");
  const empty = output.trim() === "";
  const summary = parsePreview(output);
  const total = totalChanges(summary.counts);
  const verdict = previewVerdict(summary, options.exitCode);

  const head: string[] = [commentMarker(options.stack ?? summary.stack), heading(summary, options, verdict)];
  if (verdict === "failed") head.push(errorBlock(summary.errors, options.exitCode));
  if (verdict === "unreadable") head.push(unreadableLine(output, empty));
  else if (verdict === "incomplete") head.push(incompleteLine());
  else if (total > 0) head.push(countsSentence(summary));
  else if (verdict === "ok") head.push(noChangesLine(summary));
  if (summary.costs.length > 0 && verdict !== "unreadable") head.push(costLines(summary.costs));
  if (summary.policyViolations.length > 0) head.push(policyTable(summary.policyViolations, Math.floor(maxChars * POLICY_SHARE)));
  const footer = options.runUrl === undefined ? [] : [`<sub>[Run log](${options.runUrl}) · posted by \`pulumi-fansly preview-comment\`</sub>`];
  const assemble = (parts: readonly string[]): string => [...head, ...parts, ...footer].join("\n\n");

  const lineCount = empty ? 0 : output.split("\n").length;
  const whole = assemble([
    ...(summary.resources.length > 0 && verdict !== "incomplete" ? [resourceTable(summary.resources, undefined).text] : []),
    ...(empty ? [] : [details(fullOutputSummary(lineCount), output)]),
  ]);
  if (whole.length <= maxChars) return whole;

  // Too long: keep the counts, as much of the table as its share allows, then as much of the output as is left.
  const table =
    summary.resources.length > 0 && verdict !== "incomplete" ? resourceTable(summary.resources, Math.floor(maxChars * TABLE_SHARE_WHEN_SUMMARISED) - assemble([]).length) : undefined;
  const listed =
    table === undefined ? "" : table.shown === summary.resources.length ? " The list of changed resources is complete;" : ` The list shows ${table.shown} of ${summary.resources.length} changed resources;`;
  const note = `> **Summarised.** The full preview output (${plural(lineCount, "line")}, ${plural(output.length, "character")}) does not fit in one comment (limit ${maxChars.toLocaleString("en-US")} characters).${listed} ${logHint(options.runUrl)}.`;
  const withoutOutput = assemble([note, ...(table === undefined ? [] : [table.text])]);
  // The wrapper around the cut output, at its longest (the line counts written at full width).
  const wrapper = details(cutOutputSummary(lineCount, lineCount, false), "").length + fenceFor(output).length * 2;
  const room = maxChars - withoutOutput.length - wrapper - 2;
  if (room < MIN_DIFF_CHARS) return withoutOutput;
  const cut = leadingLinesWithin(output, room);
  return assemble([note, ...(table === undefined ? [] : [table.text]), details(cutOutputSummary(cut.lines, lineCount, cut.cutInsideLine), cut.text)]);
}
