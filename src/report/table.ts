/**
 * The report as text for an 80-column terminal: a section per account (links, their total, the change since
 * earlier snapshots, then Fansly's built-in sources apart), then the totals of all accounts. Labels are
 * truncated and, if numbers grow too wide, the least-read columns are dropped (and named): a row never wraps.
 */
import { escapeForDisplay } from "../fields";
import { plural } from "../plural";
import { formatChange, formatCount, formatTime, RATIO_FORMATS } from "./format";
import { COMPARISONS, type Changes, type Counters, type PerformanceReport, type Ratios, type TotalRow } from "./model";

const TABLE_WIDTH = 80;
/** Below this a label stops telling links apart: drop a column instead. */
const MIN_LABEL_WIDTH = 12;

type ColumnKey = keyof Counters | keyof Ratios;

interface Column {
  key: ColumnKey;
  header: string;
}

/** In reading order. DROP_ORDER says which go first when the numbers leave no room. */
const COLUMNS: readonly Column[] = [
  { key: "clicks", header: "Clicks" },
  { key: "claims", header: "Claims" },
  { key: "follows", header: "Follows" },
  { key: "subscriptions", header: "Subs" },
  { key: "gross", header: "Gross" },
  { key: "net", header: "Net" },
  { key: "claimsPerClick", header: "Cl/Ck" },
  { key: "subscriptionsPerClaim", header: "Sb/Cl" },
  { key: "netPerClick", header: "Net/Ck" },
];
const DROP_ORDER: readonly ColumnKey[] = ["follows", "gross", "netPerClick", "subscriptionsPerClaim", "claims"];

/** A line of the table: a label and its cells, or a line of text across the width. */
type Line = { label: string; cells: Partial<Record<ColumnKey, string>> } | { text: string };

const CHANGE_LABELS: Record<string, string> = { previous: "Δ previous", "7d": "Δ 7 days", "30d": "Δ 30 days" };

function cellsOf(row: { counters: Counters; ratios: Ratios }): Partial<Record<ColumnKey, string>> {
  const cells: Partial<Record<ColumnKey, string>> = {};
  for (const [key, value] of Object.entries(row.counters)) cells[key as keyof Counters] = formatCount(value);
  for (const [key, format] of Object.entries(RATIO_FORMATS)) cells[key as keyof Ratios] = format(row.ratios[key as keyof Ratios]);
  return cells;
}

function changeLines(changes: Changes, indent: string): Line[] {
  return COMPARISONS.flatMap(({ name }) => {
    const change = changes[name];
    if (change === undefined) return [];
    const cells: Partial<Record<ColumnKey, string>> = {};
    for (const [key, value] of Object.entries(change)) cells[key as keyof Counters] = formatChange(value);
    return [{ label: `${indent}${CHANGE_LABELS[name] ?? name}`, cells }];
  });
}

function totalLines(label: string, total: TotalRow): Line[] {
  return [{ label, cells: cellsOf(total) }, ...changeLines(total.changes, " ")];
}

function bodyLines(report: PerformanceReport): Line[] {
  const lines: Line[] = [];
  for (const account of report.accounts) {
    lines.push({ text: "" }, { text: `── ${escapeForDisplay(account.accountId)} ` }, { label: "Link", cells: {} });
    if (account.links.length === 0) lines.push({ text: "(no links of its own yet)" });
    // A label is whatever someone typed in a dashboard: shown, never obeyed by the terminal.
    for (const link of account.links) lines.push({ label: escapeForDisplay(link.label), cells: cellsOf(link) });
    lines.push(...totalLines("Links total", account.totals.links));
    if (account.builtIn.length > 0) {
      lines.push({ text: "Fansly's built-in sources (not links):" });
      for (const source of account.builtIn) lines.push({ label: escapeForDisplay(source.label), cells: cellsOf(source) });
    }
  }
  if (report.accounts.length > 1) {
    lines.push({ text: "" }, { text: `── All ${report.accounts.length} accounts ` }, { label: "", cells: {} });
    lines.push(...totalLines("Links total", report.totals.links), ...totalLines("Built-in total", report.totals.builtIn));
  }
  return lines;
}

/** Columns that can be display-wider than one cell per code point (emoji, CJK) count as two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide = code >= 0x1f000 || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xff60);
    width += wide ? 2 : code < 0x20 ? 0 : 1;
  }
  return width;
}

/** The longest start of `chars` that fits in `width` display columns. */
function fittingStart(chars: readonly string[], width: number): string[] {
  const kept: string[] = [];
  for (const char of chars) {
    if (displayWidth(kept.join("") + char) > width) break;
    kept.push(char);
  }
  return kept;
}

/**
 * Fits a label to exactly `width` display columns. A long one loses its middle, not its end: labels of one
 * campaign often differ only at the end ("Reddit post #3", "Reddit post #4").
 */
export function fitLabel(text: string, width: number): string {
  const clean = text.replace(/\s+/g, " ");
  if (displayWidth(clean) <= width) return clean + " ".repeat(width - displayWidth(clean));
  const chars = Array.from(clean);
  const tailWidth = Math.floor((width - 1) * 0.4);
  const tail = fittingStart([...chars].reverse(), tailWidth).reverse();
  const head = fittingStart(chars, width - 1 - displayWidth(tail.join("")));
  const fitted = `${head.join("")}…${tail.join("")}`;
  return fitted + " ".repeat(width - displayWidth(fitted));
}

function layout(lines: readonly Line[]): { columns: { column: Column; width: number }[]; labelWidth: number; dropped: Column[] } {
  const widthOf = (column: Column): number =>
    Math.max(column.header.length, ...lines.map((line) => ("cells" in line ? (line.cells[column.key] ?? "").length : 0)));
  let columns = COLUMNS.map((column) => ({ column, width: widthOf(column) }));
  const used = (): number => columns.reduce((total, { width }) => total + width + 1, 0);
  for (const key of DROP_ORDER) {
    if (TABLE_WIDTH - used() >= MIN_LABEL_WIDTH) break;
    columns = columns.filter(({ column }) => column.key !== key);
  }
  const dropped = COLUMNS.filter((column) => !columns.some((kept) => kept.column === column));
  return { columns, labelWidth: Math.max(MIN_LABEL_WIDTH, TABLE_WIDTH - used()), dropped };
}

function fitText(text: string): string {
  if (displayWidth(text) <= TABLE_WIDTH) return text;
  return `${fittingStart(Array.from(text), TABLE_WIDTH - 1).join("")}…`;
}

/** The whole table, every line at most TABLE_WIDTH display columns, ending with a newline. */
export function renderTable(report: PerformanceReport): string {
  const lines = bodyLines(report);
  const { columns, labelWidth, dropped } = layout(lines);
  const rendered = lines.map((line) => {
    if ("text" in line) return line.text.startsWith("── ") ? line.text + "─".repeat(Math.max(0, TABLE_WIDTH - displayWidth(line.text))) : fitText(line.text);
    const isHeader = Object.keys(line.cells).length === 0;
    const cells = columns.map(({ column, width }) => (isHeader ? column.header : (line.cells[column.key] ?? "")).padStart(width));
    return `${fitLabel(line.label, labelWidth)} ${cells.join(" ")}`.trimEnd();
  });
  const notes = [
    `Tracking-link performance: ${plural(report.accounts.length, "account")}, ${formatTime(report.generatedAt)}`,
    fitText(`Gross and Net in ${report.moneyUnit}.`),
    "Cl/Ck: claims per click, Sb/Cl: subscriptions per claim, Net/Ck: net per click.",
    "Best links first.",
  ];
  const footer = report.comparisons.map((comparison) => fitText(`${CHANGE_LABELS[comparison.name] ?? comparison.name}: since the snapshot of ${formatTime(comparison.takenAt)}`));
  if (dropped.length > 0) footer.push(fitText(`Not shown, to fit ${TABLE_WIDTH} columns: ${dropped.map((column) => column.header).join(", ")} (--format csv has them)`));
  return [...notes, ...rendered, ...(footer.length > 0 ? ["", ...footer] : [])].join("\n") + "\n";
}
