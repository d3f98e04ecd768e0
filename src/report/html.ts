/**
 * The report as one self-contained HTML file: the funnel chart (top links by net, the rest summed), the trend
 * per account when snapshots exist, then the tables. No script, no font, no stylesheet or image from anywhere:
 * it opens offline, from a build artifact or a mail attachment, and reads on a phone (the tables scroll sideways).
 * Every cell carries its raw number in `data-value`, so a script (or a test) reads exactly what JSON says.
 */
import { escapeXml, funnelChart, funnelGroups, trendChart } from "./chart";
import { plural } from "../plural";
import { formatChange, formatCount, formatTime, RATIO_FORMATS } from "./format";
import { REPORT_COUNTERS, type Changes, type Comparison, type Counters, type PerformanceReport, type Ratios } from "./model";

/** Links drawn one by one in the funnel chart; the rest become one "N more links" group. */
const CHART_TOP_LINKS = 20;

const COUNTER_HEADERS: Record<keyof Counters, string> = { clicks: "Clicks", claims: "Claims", follows: "Follows", subscriptions: "Subs", gross: "Gross", net: "Net" };
const RATIO_HEADERS: Record<keyof Ratios, string> = { claimsPerClick: "Claims / click", subscriptionsPerClaim: "Subs / claim", netPerClick: "Net / click" };
/** Of the changes, the table shows the two a reader looks for; CSV and JSON have all six. */
const CHANGE_COLUMNS = ["subscriptions", "net"] as const;

const STYLE = `
:root{color-scheme:light dark;--fg:#111827;--muted:#6b7280;--bg:#fff;--line:#e5e7eb;--head:#f9fafb}
@media (prefers-color-scheme:dark){:root{--fg:#f3f4f6;--muted:#9ca3af;--bg:#111827;--line:#374151;--head:#1f2937}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:960px;margin:0 auto;padding:16px}h1{font-size:1.4rem;margin:0 0 4px}h2{font-size:1.1rem;margin:28px 0 8px}
.meta,.note{color:var(--muted);font-size:.85rem;margin:0}.chart{display:block;max-width:720px;height:auto}
.chart text{font-size:11px;fill:var(--fg)}.chart .small{font-size:9.5px;fill:var(--muted)}.chart .strong{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:6px 0;font-size:.85rem}.legend span{display:inline-block;width:12px;height:4px;margin-right:6px;vertical-align:middle}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.85rem;font-variant-numeric:tabular-nums}th,td{padding:5px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
th{background:var(--head);text-align:right;font-weight:600;position:sticky;top:0}th:first-child,td:first-child,th.text,td.text{text-align:left}td{text-align:right}
td.label{max-width:16rem;overflow:hidden;text-overflow:ellipsis}tbody td:first-child{position:sticky;left:0;background:var(--bg)}tr.total td{font-weight:600}tr.change td{color:var(--muted);font-size:.8rem}
`;

function cell(column: string, value: number | bigint | null, shown: string): string {
  return `<td data-col="${column}" data-value="${value ?? ""}">${escapeXml(shown)}</td>`;
}

function numberCells(counters: Counters, ratios: Ratios): string {
  return (
    REPORT_COUNTERS.map((name) => cell(name, counters[name], formatCount(counters[name]))).join("") +
    (Object.keys(RATIO_FORMATS) as (keyof Ratios)[]).map((name) => cell(name, ratios[name], RATIO_FORMATS[name](ratios[name]))).join("")
  );
}

function changeCells(changes: Changes, comparisons: readonly Comparison[]): string {
  return comparisons
    .flatMap(({ name }) => CHANGE_COLUMNS.map((counter) => {
      const value = changes[name]?.[counter];
      return value === undefined ? cell(`${counter}_change_${name}`, null, "") : cell(`${counter}_change_${name}`, value, formatChange(value));
    }))
    .join("");
}

function headerRow(first: string[], comparisons: readonly Comparison[]): string {
  const headers = [
    ...first.map((text) => `<th class="text">${text}</th>`),
    ...REPORT_COUNTERS.map((name) => `<th>${COUNTER_HEADERS[name]}</th>`),
    ...Object.values(RATIO_HEADERS).map((text) => `<th>${text}</th>`),
    ...comparisons.flatMap((comparison) => CHANGE_COLUMNS.map((counter) => `<th title="since ${formatTime(comparison.takenAt)}">Δ ${COUNTER_HEADERS[counter]} (${escapeXml(comparison.title)})</th>`)),
  ];
  return `<thead><tr>${headers.join("")}</tr></thead>`;
}

function rowsTable(rows: PerformanceReport["links"], kind: "link" | "built-in", comparisons: readonly Comparison[]): string {
  const body = rows
    .map((row) => `<tr data-row="${kind}" data-account="${escapeXml(row.accountId)}" data-link-id="${row.linkId}"><td class="label text" title="${escapeXml(row.label)}">${escapeXml(row.label)}</td><td class="text">${escapeXml(row.accountId)}</td>${numberCells(row.counters, row.ratios)}${changeCells(row.changes, comparisons)}</tr>`)
    .join("");
  return `<div class="scroll"><table>${headerRow([kind === "link" ? "Link" : "Source", "Account"], comparisons)}<tbody>${body}</tbody></table></div>`;
}

function totalsTable(report: PerformanceReport): string {
  const scopes = [...report.accounts.map((account) => ({ accountId: account.accountId, shown: account.accountId, totals: account.totals })), { accountId: "", shown: "All accounts", totals: report.totals }];
  const body = scopes
    .flatMap(({ accountId, shown, totals }) =>
      (["links", "builtIn"] as const).map((which) => {
        const total = totals[which];
        const kind = which === "links" ? "total links" : "total built-in";
        return `<tr class="total" data-row="${kind}" data-account="${escapeXml(accountId)}"><td class="text">${escapeXml(shown)}</td><td class="text">${which === "links" ? "links" : "built-in"}</td>${numberCells(total.counters, total.ratios)}${changeCells(total.changes, report.comparisons)}</tr>`;
      }),
    )
    .join("");
  return `<div class="scroll"><table>${headerRow(["Account", "Of"], report.comparisons)}<tbody>${body}</tbody></table></div>`;
}

export function renderHtml(report: PerformanceReport): string {
  const accounts = plural(report.accounts.length, "account");
  const shownInChart = Math.min(CHART_TOP_LINKS, report.links.length);
  const chart = funnelChart(funnelGroups(report.links, CHART_TOP_LINKS, report.accounts.length > 1));
  const trend = trendChart(report.trend);
  const trendSection =
    trend === undefined
      ? `<p class="note">A trend appears here once earlier snapshots exist: run the report with <code>--save DIR</code> regularly (the drift job in examples/gitops does it daily).</p>`
      : `<h2>Trend: links' lifetime net per account</h2>${trend.svg}<ul class="legend">${trend.colors.map(([accountId, color]) => `<li><span style="background:${color}"></span>${escapeXml(accountId)}</li>`).join("")}</ul>`;
  const since = report.comparisons.map((comparison) => `${escapeXml(comparison.title)}: ${formatTime(comparison.takenAt)}`).join("; ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tracking-link performance, ${formatTime(report.generatedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Tracking-link performance</h1>
<p class="meta">${accounts} · ${plural(report.links.length, "link")} · ${formatTime(report.generatedAt)} · money (gross, net) in ${escapeXml(report.moneyUnit)}</p>
<h2>Funnel per link: ${shownInChart === report.links.length ? "every link" : `top ${shownInChart} by net, the rest together`}</h2>
${chart}
${trendSection}
<h2>Links, best first (net, then subscriptions)</h2>
${rowsTable(report.links, "link", report.comparisons)}
${since === "" ? "" : `<p class="note">Δ compares with the snapshots of ${since}.</p>`}
<h2>Fansly's built-in sources (For You, Search, Suggestions)</h2>
${rowsTable(report.builtIn, "built-in", report.comparisons)}
<h2>Totals</h2>
${totalsTable(report)}
</main>
</body>
</html>
`;
}
