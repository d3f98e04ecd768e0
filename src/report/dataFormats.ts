/**
 * The report as CSV (RFC 4180) and as JSON: every row and every number, unformatted, for spreadsheets and scripts.
 */
import { stringifyKeepingBigIntegers } from "../client/internal/json";
import { escapeForDisplay } from "../fields";
import { REPORT_COUNTERS, type Changes, type ComparisonName, type Counters, type PerformanceReport, type Ratios } from "./model";

const REPORT_KIND = "pulumi-fansly/performance-report";
const REPORT_VERSION = 1;

/**
 * The JSON output: the report itself, named and versioned so a script can tell it from anything else. Labels keep
 * their exact text; a control or bidi character in one is written as JSON's own `\u` escape, so the file reads
 * back the same and a terminal shown it obeys nothing.
 */
export function renderJson(report: PerformanceReport): string {
  return `${escapeForDisplay(stringifyKeepingBigIntegers({ kind: REPORT_KIND, version: REPORT_VERSION, ...report }, 2), { keepLineBreaks: true })}\n`;
}

/** CSV column names for counters: money carries its unit in the name, as a spreadsheet shows nothing else. */
const COUNTER_COLUMNS: Record<keyof Counters, string> = {
  clicks: "clicks",
  claims: "claims",
  follows: "follows",
  subscriptions: "subscriptions",
  gross: "gross_raw_units",
  net: "net_raw_units",
};
const RATIO_COLUMNS: Record<keyof Ratios, string> = {
  claimsPerClick: "claims_per_click",
  subscriptionsPerClaim: "subscriptions_per_claim",
  netPerClick: "net_per_click",
};

/** `row` says what a line is: a link, a built-in source, or a total (per account, or overall with no account). */
type RowKind = "link" | "built-in" | "total links" | "total built-in";

interface CsvRow {
  row: RowKind;
  accountId: string;
  linkId: string;
  label: string;
  counters: Counters;
  ratios: Ratios;
  changes: Changes;
}

/**
 * A spreadsheet runs a cell that starts with = + - or @ as a formula; a label is someone's text, so it is quoted out.
 * CSV has no escape of its own for a control character, and people read it (a spreadsheet, `column -t`), so a control
 * or bidi character in a label is shown escaped (`\u001b`), as in the table.
 */
function defuse(text: string): string {
  const shown = escapeForDisplay(text);
  return /^[=+\-@]/.test(shown) ? `'${shown}` : shown;
}

function field(value: string | number | bigint | null): string {
  if (value === null) return "";
  const text = String(value);
  if (!/[",\r\n]/.test(text)) return text;
  return `"${text.replaceAll('"', '""')}"`;
}

export function renderCsv(report: PerformanceReport): string {
  const comparisons: ComparisonName[] = report.comparisons.map((comparison) => comparison.name);
  const header = [
    "row",
    "account",
    "link_id",
    "label",
    ...REPORT_COUNTERS.map((name) => COUNTER_COLUMNS[name]),
    ...Object.values(RATIO_COLUMNS),
    ...comparisons.flatMap((comparison) => REPORT_COUNTERS.map((name) => `${COUNTER_COLUMNS[name]}_change_${comparison}`)),
  ];
  const rows: CsvRow[] = [
    ...report.links.map((link) => ({ row: "link" as const, ...link })),
    ...report.builtIn.map((source) => ({ row: "built-in" as const, ...source })),
    ...report.accounts.flatMap((account) => [
      { row: "total links" as const, accountId: account.accountId, linkId: "", label: "", ...account.totals.links },
      { row: "total built-in" as const, accountId: account.accountId, linkId: "", label: "", ...account.totals.builtIn },
    ]),
    { row: "total links", accountId: "", linkId: "", label: "", ...report.totals.links },
    { row: "total built-in", accountId: "", linkId: "", label: "", ...report.totals.builtIn },
  ];
  const lines = rows.map((row) =>
    [
      row.row,
      escapeForDisplay(row.accountId),
      row.linkId,
      defuse(row.label),
      ...REPORT_COUNTERS.map((name) => row.counters[name]),
      ...(Object.keys(RATIO_COLUMNS) as (keyof Ratios)[]).map((name) => row.ratios[name]),
      ...comparisons.flatMap((comparison) => REPORT_COUNTERS.map((name) => row.changes[comparison]?.[name] ?? null)),
    ]
      .map(field)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
